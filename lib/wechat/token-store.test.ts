import { drizzle } from "drizzle-orm/better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "@/lib/db/connection";
import { migrateDatabase } from "@/lib/db/migrate";
import { TokenStore, type TokenCodec } from "./token-store";

const codec: TokenCodec = {
  seal: (t, appid) => `${appid}:${t}`,
  open: (s, appid) => s.slice(appid.length + 1),
};
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unionview-token-"));
  file = join(dir, "t.db");
  migrateDatabase(file);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const store = () => new TokenStore(drizzle(openSqlite(file)), codec);

describe("shared token store", () => {
  it("fetches once for many concurrent callers across store instances", async () => {
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 50));
      return { token: `T${fetches}`, expiresIn: 7200 };
    };
    const stores = [store(), store(), store()];
    const tokens = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.get("wx1", fetch)));
    expect(new Set(tokens)).toEqual(new Set(["T1"]));
    expect(fetches).toBe(1);
  });

  it("renews once after an invalidation, and ignores a stale invalidation", async () => {
    let n = 0;
    const fetch = async () => ({ token: `T${++n}`, expiresIn: 7200 });
    const a = store();
    const b = store();
    expect(await a.get("wx1", fetch)).toBe("T1");
    a.invalidate("wx1", "T1");
    b.invalidate("wx1", "T1");
    expect(await b.get("wx1", fetch)).toBe("T2");
    a.invalidate("wx1", "T1"); // late report about the old token: must not throw away T2
    expect(await a.get("wx1", fetch)).toBe("T2");
    expect(n).toBe(2);
  });

  it("renews a token close to expiry and hands the old one to the fetcher", async () => {
    const seen: (string | null)[] = [];
    let n = 0;
    const fetch = async (stale: string | null) => {
      seen.push(stale);
      return { token: `T${++n}`, expiresIn: n === 1 ? 200 : 7200 };
    };
    const s = store();
    expect(await s.get("wx1", fetch)).toBe("T1");
    expect(await s.get("wx1", fetch)).toBe("T2");
    expect(seen).toEqual([null, "T1"]);
  });

  it("releases the lease when a fetch fails, so the next caller can try", async () => {
    const s = store();
    await expect(s.get("wx1", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await store().get("wx1", async () => ({ token: "T", expiresIn: 7200 }))).toBe("T");
  });
});
