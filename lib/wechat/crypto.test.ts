import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  buildEncryptedReply,
  decodeEncodingAESKey,
  decryptMessage,
  encryptMessage,
  msgSignature,
  pkcs7Pad,
  pkcs7Unpad,
  PushCryptoError,
  pushSignature,
  verifyMsgSignature,
  verifyPushSignature,
  type EncryptedEnvelope,
  type PushCryptoConfig,
  type PushCryptoErrorCode,
} from "./crypto";

// wechat-crypto@0.0.2 (node-webot) ships no types; this is its whole public surface.
interface ReferenceCrypt {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(text: string): string;
  decrypt(encrypt: string): { message: string; id: string };
}
type ReferenceCryptCtor = new (token: string, encodingAESKey: string, appId: string) => ReferenceCrypt;
const loadCommonJs = createRequire(import.meta.url);
const WXBizMsgCrypt = loadCommonJs("wechat-crypto") as ReferenceCryptCtor;

/** Deterministic byte stream (SHA-256 in counter mode) so every "random" case is reproducible. */
function seededRng(seed: string) {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (n: number): Buffer => {
    while (pool.length < n) {
      pool = Buffer.concat([pool, createHash("sha256").update(`${seed}/${counter++}`).digest()]);
    }
    const out = Buffer.from(pool.subarray(0, n));
    pool = pool.subarray(n);
    return out;
  };
  const int = (max: number): number => bytes(4).readUInt32BE(0) % max;
  const pick = (alphabet: string, length: number): string =>
    Array.from({ length }, () => alphabet[int(alphabet.length)]).join("");
  return { bytes, int, pick };
}
type Rng = ReturnType<typeof seededRng>;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 32 random bytes in base64 without "="; retried until no "+" or "/" (WeChat keys are letters/digits). */
function keyFromBytes(rng: Rng): string {
  for (;;) {
    const key = rng.bytes(32).toString("base64").slice(0, 43);
    if (!/[+/]/.test(key)) return key;
  }
}

/** 43 arbitrary letters/digits, as the WeChat console generates (the last char's low bits are dropped). */
function keyFromAlphabet(rng: Rng): string {
  return rng.pick(ALNUM, 43);
}

function randomConfig(rng: Rng, encodingAESKey: string): PushCryptoConfig {
  return {
    token: rng.pick(ALNUM, 3 + rng.int(30)),
    encodingAESKey,
    appId: `wx${rng.bytes(8).toString("hex")}`,
  };
}

function randomAscii(rng: Rng, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(0x20 + rng.int(0x5f))).join("");
}

function randomChinese(rng: Rng, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(0x4e00 + rng.int(0x5000))).join("");
}

const CHINESE = "<xml><Content><![CDATA[你好，世界]]></Content></xml>";

function payloads(rng: Rng): string[] {
  return [
    `<xml><Content><![CDATA[${randomAscii(rng, rng.int(300))}]]></Content></xml>`,
    randomAscii(rng, 1 + rng.int(64)),
    CHINESE,
    `<xml><Content><![CDATA[${randomChinese(rng, 1 + rng.int(80))} 😀 ${randomAscii(rng, 5)}]]></Content></xml>`,
    "<xml></xml>",
    "",
    `<xml><Content><![CDATA[${(randomChinese(rng, 40) + randomAscii(rng, 60)).repeat(30)}]]></Content></xml>`,
  ];
}

function envelopeFor(
  config: PushCryptoConfig,
  encrypt: string,
  timestamp = "1700000000",
  nonce = "135792468",
) {
  return { encrypt, msgSignature: msgSignature(config.token, timestamp, nonce, encrypt), timestamp, nonce };
}

/** AES-256-CBC with the WeChat key/IV and no padding at all, to craft malformed plaintexts. */
function sealRaw(config: PushCryptoConfig, plaintext: Buffer): string {
  const key = decodeEncodingAESKey(config.encodingAESKey);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString("base64");
}

function openRaw(config: PushCryptoConfig, encrypt: string): Buffer {
  const key = decodeEncodingAESKey(config.encodingAESKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypt, "base64")), decipher.final()]);
}

function plaintextOf(random: Buffer, lengthField: number, xml: Buffer, appId: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(lengthField, 0);
  return Buffer.concat([random, length, xml, Buffer.from(appId)]);
}

function errorCode(run: () => unknown): PushCryptoErrorCode | "no error" {
  try {
    run();
  } catch (error) {
    if (error instanceof PushCryptoError) return error.code;
    throw error;
  }
  return "no error";
}

const fixed: PushCryptoConfig = {
  token: "pamtest",
  encodingAESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  appId: "wxb11529c136998cb6",
};
const fixedRandom = Buffer.from("0123456789abcdef");
const fixedOptions = { timestamp: "1409304348", nonce: "xxxxxx", random: fixedRandom };

describe("push signature", () => {
  it("hashes token, timestamp and nonce sorted as strings, not numbers", () => {
    // sha1("1700000000" + "99" + "abc"), computed with sha1sum
    expect(pushSignature("abc", "1700000000", "99")).toBe("8655591737b82d8611774325ebc04e0842f019a2");
    expect(pushSignature("abc", "99", "1700000000")).toBe(pushSignature("abc", "1700000000", "99"));
  });

  it("agrees with wechat-crypto (an empty fourth part sorts first and adds nothing)", () => {
    const rng = seededRng("push-signature");
    for (let i = 0; i < 50; i++) {
      const config = randomConfig(rng, keyFromBytes(rng));
      const timestamp = String(1_600_000_000 + rng.int(200_000_000));
      const nonce = String(rng.int(1_000_000_000));
      const reference = new WXBizMsgCrypt(config.token, config.encodingAESKey, config.appId);
      expect(pushSignature(config.token, timestamp, nonce)).toBe(
        reference.getSignature(timestamp, nonce, ""),
      );
    }
  });

  it("verifies a correct signature and rejects wrong, truncated, extended and empty ones", () => {
    const query = { timestamp: "1700000000", nonce: "99" };
    const signature = pushSignature("abc", query.timestamp, query.nonce);
    expect(verifyPushSignature("abc", { ...query, signature })).toBe(true);
    expect(verifyPushSignature("abd", { ...query, signature })).toBe(false);
    expect(verifyPushSignature("abc", { ...query, nonce: "98", signature })).toBe(false);
    const flipped = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
    expect(verifyPushSignature("abc", { ...query, signature: flipped })).toBe(false);
    expect(verifyPushSignature("abc", { ...query, signature: signature.slice(0, -1) })).toBe(false);
    expect(verifyPushSignature("abc", { ...query, signature: `${signature}0` })).toBe(false);
    expect(verifyPushSignature("abc", { ...query, signature: "" })).toBe(false);
    expect(verifyPushSignature("abc", { ...query, signature: "é".repeat(20) })).toBe(false);
  });
});

describe("msg_signature", () => {
  it("hashes the four parts sorted as strings", () => {
    // sha1("1700000000" + "99" + "Zebra" + "abc+/="), computed with sha1sum
    expect(msgSignature("Zebra", "1700000000", "99", "abc+/=")).toBe(
      "89353bab23c5f49821678cd58c1f9f064dd4a508",
    );
  });

  it("verifies in constant time and rejects any mismatch", () => {
    const envelope = envelopeFor(fixed, "abc");
    expect(verifyMsgSignature(fixed.token, envelope)).toBe(true);
    expect(verifyMsgSignature(fixed.token, { ...envelope, encrypt: "abd" })).toBe(false);
    expect(
      verifyMsgSignature(fixed.token, { ...envelope, msgSignature: envelope.msgSignature.slice(1) }),
    ).toBe(false);
  });
});

describe("EncodingAESKey", () => {
  it("decodes 43 letters/digits to 32 bytes", () => {
    expect(decodeEncodingAESKey(fixed.encodingAESKey)).toHaveLength(32);
    const rng = seededRng("keys");
    for (let i = 0; i < 20; i++) expect(decodeEncodingAESKey(keyFromAlphabet(rng))).toHaveLength(32);
  });

  it("rejects malformed keys with bad_key and never echoes the key", () => {
    const good = fixed.encodingAESKey;
    const malformed = [
      "",
      good.slice(0, 42),
      `${good}A`,
      `${good}=`,
      `${good.slice(0, 42)}+`,
      `${good.slice(0, 42)}/`,
      `${good.slice(0, 42)}-`,
      ` ${good.slice(1)}`,
      `${good.slice(0, 42)}\n`,
      `${good.slice(0, 42)}é`,
      Buffer.alloc(32, 7).toString("base64"),
    ];
    for (const encodingAESKey of malformed) {
      const config = { ...fixed, encodingAESKey };
      for (const run of [
        () => decodeEncodingAESKey(encodingAESKey),
        () => encryptMessage(config, "<xml/>", fixedOptions),
        () => decryptMessage(config, envelopeFor(config, "AAAA")),
        () => buildEncryptedReply(config, "<xml/>", fixedOptions),
      ]) {
        expect(errorCode(run)).toBe("bad_key");
      }
      try {
        decodeEncodingAESKey(encodingAESKey);
      } catch (error) {
        if (encodingAESKey.length > 3) expect((error as Error).message).not.toContain(encodingAESKey);
      }
    }
  });
});

describe("PKCS#7 to 32 bytes", () => {
  it("pads every length to a multiple of 32 with 1..32 bytes of the pad value, and unpads back", () => {
    const seen = new Set<number>();
    for (let length = 0; length <= 96; length++) {
      const data = Buffer.alloc(length, 0xaa);
      const padded = pkcs7Pad(data);
      const pad = padded[padded.length - 1]!;
      seen.add(pad);
      expect(padded.length % 32).toBe(0);
      expect(padded.length - length).toBe(pad);
      expect(padded.subarray(length).every((byte) => byte === pad)).toBe(true);
      expect(pkcs7Unpad(padded).equals(data)).toBe(true);
    }
    expect(seen.size).toBe(32);
  });

  it("rejects pad values 0 and >32, pads longer than the data, and unequal pad bytes", () => {
    expect(errorCode(() => pkcs7Unpad(Buffer.from([1, 2, 0])))).toBe("bad_padding");
    expect(errorCode(() => pkcs7Unpad(Buffer.alloc(64, 33)))).toBe("bad_padding");
    expect(errorCode(() => pkcs7Unpad(Buffer.from([5, 5, 5])))).toBe("bad_padding");
    expect(errorCode(() => pkcs7Unpad(Buffer.from([9, 4, 3, 4, 4])))).toBe("bad_padding");
    expect(errorCode(() => pkcs7Unpad(Buffer.alloc(0)))).toBe("bad_padding");
  });
});

describe("encryptMessage layout", () => {
  it("is deterministic with a given random prefix and lays out random ‖ BE length ‖ XML ‖ appId ‖ pad", () => {
    const first = encryptMessage(fixed, CHINESE, fixedOptions);
    expect(encryptMessage(fixed, CHINESE, fixedOptions)).toEqual(first);
    expect(first.msgSignature).toBe(msgSignature(fixed.token, "1409304348", "xxxxxx", first.encrypt));

    const xml = Buffer.from(CHINESE, "utf8");
    const unpadded = plaintextOf(fixedRandom, xml.length, xml, fixed.appId);
    const plain = openRaw(fixed, first.encrypt);
    expect(plain.length % 32).toBe(0);
    expect(plain.subarray(0, unpadded.length).equals(unpadded)).toBe(true);
    expect(plain.readUInt32BE(16)).toBe(xml.length);
    expect(xml.length).toBeGreaterThan(CHINESE.length); // byte length, not character count
    const pad = plain.length - unpadded.length;
    expect(pad).toBeGreaterThanOrEqual(1);
    expect(pad).toBeLessThanOrEqual(32);
    expect(plain.subarray(unpadded.length).every((byte) => byte === pad)).toBe(true);
  });

  it("uses fresh random bytes when none are given", () => {
    const options = { timestamp: "1", nonce: "2" };
    expect(encryptMessage(fixed, "<xml/>", options).encrypt).not.toBe(
      encryptMessage(fixed, "<xml/>", options).encrypt,
    );
  });

  it("refuses a random prefix that is not 16 bytes", () => {
    for (const random of [Buffer.alloc(15), Buffer.alloc(17), new Uint8Array(0)]) {
      expect(() => encryptMessage(fixed, "<xml/>", { ...fixedOptions, random })).toThrow(RangeError);
    }
  });
});

describe("cross-check with wechat-crypto", () => {
  const rng = seededRng("cross-check");
  const keys = [
    ...Array.from({ length: 25 }, () => keyFromBytes(rng)),
    ...Array.from({ length: 25 }, () => keyFromAlphabet(rng)),
  ];

  it.each(keys)("key %s in both directions", (key) => {
    const config = randomConfig(rng, key);
    const reference = new WXBizMsgCrypt(config.token, config.encodingAESKey, config.appId);
    const timestamp = String(1_600_000_000 + rng.int(200_000_000));
    const nonce = String(rng.int(1_000_000_000));

    for (const xml of payloads(rng)) {
      const ours = encryptMessage(config, xml, { timestamp, nonce });
      expect(reference.decrypt(ours.encrypt)).toEqual({ message: xml, id: config.appId });
      expect(ours.msgSignature).toBe(reference.getSignature(timestamp, nonce, ours.encrypt));

      const theirs = reference.encrypt(xml);
      const signature = reference.getSignature(timestamp, nonce, theirs);
      expect(msgSignature(config.token, timestamp, nonce, theirs)).toBe(signature);
      expect(decryptMessage(config, { encrypt: theirs, msgSignature: signature, timestamp, nonce })).toBe(
        xml,
      );
    }
  });

  it("round-trips every padding length (XML of 0..70 bytes) both ways", () => {
    const config = randomConfig(rng, keyFromBytes(rng));
    const reference = new WXBizMsgCrypt(config.token, config.encodingAESKey, config.appId);
    for (let length = 0; length <= 70; length++) {
      const xml = randomAscii(rng, length);
      const ours = encryptMessage(config, xml, { timestamp: "1", nonce: "2" });
      expect(reference.decrypt(ours.encrypt).message).toBe(xml);
      const theirs = reference.encrypt(xml);
      expect(decryptMessage(config, envelopeFor(config, theirs))).toBe(xml);
    }
  });

  it("handles a long (>4 KB) Chinese payload", () => {
    const config = randomConfig(rng, keyFromAlphabet(rng));
    const reference = new WXBizMsgCrypt(config.token, config.encodingAESKey, config.appId);
    const xml = `<xml><Content><![CDATA[${"你好，世界！".repeat(800)}]]></Content></xml>`;
    expect(Buffer.byteLength(xml)).toBeGreaterThan(4096);
    const ours = encryptMessage(config, xml, { timestamp: "1", nonce: "2" });
    expect(reference.decrypt(ours.encrypt).message).toBe(xml);
    expect(decryptMessage(config, envelopeFor(config, reference.encrypt(xml)))).toBe(xml);
  });
});

describe("decryptMessage failures", () => {
  const xml = "<xml><Content><![CDATA[hello]]></Content></xml>";
  const good = envelopeFor(fixed, encryptMessage(fixed, xml, fixedOptions).encrypt);

  it("decrypts the untouched fixed vector", () => {
    expect(decryptMessage(fixed, good)).toBe(xml);
  });

  it("checks msg_signature before anything else and never echoes the token", () => {
    const cases: EncryptedEnvelope[] = [
      { ...good, msgSignature: msgSignature("other", good.timestamp, good.nonce, good.encrypt) },
      { ...good, msgSignature: good.msgSignature.slice(0, -1) },
      { ...good, msgSignature: "" },
      { ...good, nonce: "different" },
      { ...good, timestamp: "1409304349" },
      { ...good, encrypt: "!!not base64!!" },
    ];
    for (const envelope of cases) {
      expect(errorCode(() => decryptMessage(fixed, envelope))).toBe("bad_signature");
    }
    try {
      decryptMessage(fixed, cases[0]!);
    } catch (error) {
      expect((error as Error).message).not.toContain(fixed.token);
    }
  });

  it("rejects a message encrypted for another AppID", () => {
    for (const otherAppId of ["wx0000000000000000", "wxb11529c136998cb", "wxb11529c136998cb66", ""]) {
      const other = { ...fixed, appId: otherAppId };
      const ours = envelopeFor(fixed, encryptMessage(other, xml, fixedOptions).encrypt);
      expect(errorCode(() => decryptMessage(fixed, ours))).toBe("wrong_appid");
    }
    const reference = new WXBizMsgCrypt(fixed.token, fixed.encodingAESKey, "wx0000000000000000");
    const theirs = envelopeFor(fixed, reference.encrypt(xml));
    expect(errorCode(() => decryptMessage(fixed, theirs))).toBe("wrong_appid");
  });

  it("rejects ciphertext that is not base64 of a non-empty multiple of 16 bytes", () => {
    const raw = Buffer.from(good.encrypt, "base64");
    const bad = [
      "",
      "@@@@",
      `${good.encrypt} `,
      good.encrypt.replace(/=+$/, ""),
      Buffer.from(good.encrypt, "base64").toString("base64url"),
      raw.subarray(0, 15).toString("base64"),
      raw.subarray(0, raw.length - 1).toString("base64"),
      Buffer.concat([raw, Buffer.alloc(1)]).toString("base64"),
    ];
    for (const encrypt of bad) {
      if (encrypt === good.encrypt) continue;
      expect(errorCode(() => decryptMessage(fixed, envelopeFor(fixed, encrypt)))).toBe("bad_ciphertext");
    }
  });

  it("rejects every truncation with a PushCryptoError", () => {
    const raw = Buffer.from(good.encrypt, "base64");
    for (let length = 0; length < raw.length; length++) {
      const encrypt = raw.subarray(0, length).toString("base64");
      const code = errorCode(() => decryptMessage(fixed, envelopeFor(fixed, encrypt)));
      if (length % 16 !== 0 || length === 0) expect(code).toBe("bad_ciphertext");
      else expect(code).not.toBe("no error");
    }
    // one block short: the last byte is now an appId character (> 32)
    const oneBlockShort = raw.subarray(0, raw.length - 16).toString("base64");
    expect(errorCode(() => decryptMessage(fixed, envelopeFor(fixed, oneBlockShort)))).toBe("bad_padding");
  });

  it("never crashes on a flipped byte, and never returns the original message", () => {
    const raw = Buffer.from(good.encrypt, "base64");
    for (let index = 0; index < raw.length; index++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = Buffer.from(raw);
        tampered[index] = tampered[index]! ^ mask;
        let result: string | undefined;
        try {
          result = decryptMessage(fixed, envelopeFor(fixed, tampered.toString("base64")));
        } catch (error) {
          expect(error).toBeInstanceOf(PushCryptoError);
        }
        expect(result).not.toBe(xml);
      }
    }
  });

  it("maps targeted flips to the field they corrupt", () => {
    const raw = Buffer.from(good.encrypt, "base64");
    const flip = (index: number) => {
      const tampered = Buffer.from(raw);
      tampered[index] = tampered[index]! ^ 0xff;
      return envelopeFor(fixed, tampered.toString("base64"));
    };
    // CBC: flipping ciphertext byte i flips plaintext byte i + 16.
    expect(errorCode(() => decryptMessage(fixed, flip(raw.length - 17)))).toBe("bad_padding");
    expect(errorCode(() => decryptMessage(fixed, flip(0)))).toBe("bad_length");
  });

  it("rejects a length field that runs past the buffer, or a message too short for its header", () => {
    const body = Buffer.from("<xml/>");
    const room = body.length + fixed.appId.length;
    for (const lengthField of [room + 1, 1000, 0xffffffff]) {
      const plain = pkcs7Pad(plaintextOf(fixedRandom, lengthField, body, fixed.appId));
      const envelope = envelopeFor(fixed, sealRaw(fixed, plain));
      expect(errorCode(() => decryptMessage(fixed, envelope))).toBe("bad_length");
    }
    // exactly filling the buffer is in bounds; it just leaves no appId behind
    const exact = pkcs7Pad(plaintextOf(fixedRandom, room, body, fixed.appId));
    expect(errorCode(() => decryptMessage(fixed, envelopeFor(fixed, sealRaw(fixed, exact))))).toBe(
      "wrong_appid",
    );
    const short = envelopeFor(fixed, sealRaw(fixed, pkcs7Pad(Buffer.alloc(19, 0x41))));
    expect(errorCode(() => decryptMessage(fixed, short))).toBe("bad_length");
    // a valid crafted message with the same helpers, to show the cases above fail only on the length
    const valid = pkcs7Pad(plaintextOf(fixedRandom, body.length, body, fixed.appId));
    expect(decryptMessage(fixed, envelopeFor(fixed, sealRaw(fixed, valid)))).toBe("<xml/>");
  });

  it("rejects padding of 0, of more than 32, and with unequal pad bytes", () => {
    const content = plaintextOf(fixedRandom, 6, Buffer.from("<xml/>"), fixed.appId); // 44 bytes
    const withTail = (tail: number[]) => {
      const plain = Buffer.concat([content, Buffer.from(tail)]);
      return envelopeFor(
        fixed,
        sealRaw(fixed, Buffer.concat([Buffer.alloc(64 - plain.length, 0x41), plain])),
      );
    };
    expect(errorCode(() => decryptMessage(fixed, withTail([0, 0, 0, 0])))).toBe("bad_padding");
    expect(errorCode(() => decryptMessage(fixed, withTail([33, 33, 33, 33])))).toBe("bad_padding");
    expect(errorCode(() => decryptMessage(fixed, withTail([255, 255, 255, 255])))).toBe("bad_padding");
    expect(errorCode(() => decryptMessage(fixed, withTail([3, 4, 4, 4])))).toBe("bad_padding");
    // pad value 32 in a 16-byte ciphertext: longer than the data
    const tiny = envelopeFor(fixed, sealRaw(fixed, Buffer.alloc(16, 32)));
    expect(errorCode(() => decryptMessage(fixed, tiny))).toBe("bad_padding");
  });

  it("rejects decrypted XML that is not valid UTF-8", () => {
    const plain = pkcs7Pad(plaintextOf(fixedRandom, 3, Buffer.from([0x3c, 0xc3, 0x28]), fixed.appId));
    expect(errorCode(() => decryptMessage(fixed, envelopeFor(fixed, sealRaw(fixed, plain))))).toBe(
      "bad_ciphertext",
    );
  });
});

describe("buildEncryptedReply", () => {
  const reply = "<xml><ToUserName><![CDATA[openid]]></ToUserName><Content><![CDATA[收到]]></Content></xml>";

  it("wraps the encrypted reply with its signature, timestamp and nonce", () => {
    const { encrypt, msgSignature: signature } = encryptMessage(fixed, reply, fixedOptions);
    expect(buildEncryptedReply(fixed, reply, fixedOptions)).toBe(
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
        `<TimeStamp>1409304348</TimeStamp><Nonce><![CDATA[xxxxxx]]></Nonce></xml>`,
    );
  });

  it("produces a body that wechat-crypto and decryptMessage both open", () => {
    const body = buildEncryptedReply(fixed, reply, { timestamp: "1700000000", nonce: "42" });
    const field = (name: string) =>
      new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>`).exec(body)?.[1];
    const envelope = {
      encrypt: field("Encrypt")!,
      msgSignature: field("MsgSignature")!,
      timestamp: field("TimeStamp")!,
      nonce: field("Nonce")!,
    };
    expect(envelope.timestamp).toBe("1700000000");
    expect(envelope.nonce).toBe("42");
    const reference = new WXBizMsgCrypt(fixed.token, fixed.encodingAESKey, fixed.appId);
    expect(reference.decrypt(envelope.encrypt)).toEqual({ message: reply, id: fixed.appId });
    expect(reference.getSignature("1700000000", "42", envelope.encrypt)).toBe(envelope.msgSignature);
    expect(decryptMessage(fixed, envelope)).toBe(reply);
  });

  it("keeps odd nonce and timestamp text from breaking the XML", () => {
    const body = buildEncryptedReply(fixed, reply, { timestamp: "1<2&3", nonce: "a]]>b" });
    expect(body).toContain("<TimeStamp>1&lt;2&amp;3</TimeStamp>");
    expect(body).toContain("<Nonce><![CDATA[a]]]]><![CDATA[>b]]></Nonce>");
  });
});
