import { mix32, splitmix32 } from "./prng";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BODY_BYTES = 16;
const PREFIX_CHARS = 5;
export const ID_LENGTH = 1 + PREFIX_CHARS + 22;

/**
 * Openids and unionids are computed from an index, never stored: "o" + a 5-char prefix (shared by one
 * account, like real openids) + base64url of 16 bytes = 28 chars. The first 4 bytes are the index
 * scrambled by a keyed 32-bit Feistel permutation (so it can be inverted); the other 12 are a keyed tag,
 * so a made-up or mistyped id decodes to nothing instead of to someone else.
 */
export class IdCodec {
  readonly prefix: string;
  private readonly roundKeys: Uint32Array;
  private readonly tagKeys: Uint32Array;
  private readonly scratch = Buffer.alloc(BODY_BYTES);

  constructor(key: number) {
    const next = splitmix32(key);
    let prefix = "o";
    for (let i = 0; i < PREFIX_CHARS; i++) prefix += ALPHABET[next() & 63];
    this.prefix = prefix;
    this.roundKeys = Uint32Array.from({ length: 4 }, () => next());
    this.tagKeys = Uint32Array.from({ length: 3 }, () => next());
  }

  encode(index: number): string {
    const body = this.scratch;
    body.writeUInt32BE(this.permute(index), 0);
    for (let i = 0; i < 3; i++) body.writeUInt32BE(this.tag(index, i), 4 + i * 4);
    return this.prefix + body.toString("base64url");
  }

  /** The index an id encodes, or -1 when the id was not made by this codec. */
  decode(id: string): number {
    if (typeof id !== "string" || id.length !== ID_LENGTH || !id.startsWith(this.prefix)) return -1;
    const body = Buffer.from(id.slice(this.prefix.length), "base64url");
    if (body.length !== BODY_BYTES) return -1;
    const index = this.unpermute(body.readUInt32BE(0));
    for (let i = 0; i < 3; i++) if (body.readUInt32BE(4 + i * 4) !== this.tag(index, i)) return -1;
    // base64url decoding ignores stray trailing bits; only the canonical spelling is accepted.
    return this.encode(index) === id ? index : -1;
  }

  private tag(index: number, lane: number): number {
    return mix32(mix32(index ^ (this.tagKeys[lane] as number)) + lane);
  }

  private round(half: number, round: number): number {
    return mix32(half ^ (this.roundKeys[round] as number)) & 0xffff;
  }

  private permute(value: number): number {
    let left = (value >>> 16) & 0xffff;
    let right = value & 0xffff;
    for (let r = 0; r < 4; r++) {
      const next = left ^ this.round(right, r);
      left = right;
      right = next;
    }
    return ((left << 16) | right) >>> 0;
  }

  private unpermute(value: number): number {
    let left = (value >>> 16) & 0xffff;
    let right = value & 0xffff;
    for (let r = 3; r >= 0; r--) {
      const previous = right ^ this.round(left, r);
      right = left;
      left = previous;
    }
    return ((left << 16) | right) >>> 0;
  }
}
