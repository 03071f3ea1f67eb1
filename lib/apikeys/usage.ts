import "server-only";
import type Database from "better-sqlite3";
import { beijingDay } from "@/lib/time/beijing";

/**
 * Request counts per key and Beijing day, gathered in memory and written once a second (a write per
 * request would cost more than the lookup it counts). Key id 0 holds refusals of unknown keys.
 */
export class UsageCounter {
  private pending = new Map<
    string,
    { keyId: number; day: string; requests: number; refused: number; lastUsed: number }
  >();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Database.Database) {}

  count(keyId: number, refused: boolean, now: number): void {
    const day = beijingDay(now);
    const id = `${keyId}|${day}`;
    const entry = this.pending.get(id) ?? { keyId, day, requests: 0, refused: 0, lastUsed: 0 };
    entry.requests++;
    if (refused) entry.refused++;
    if (!refused) entry.lastUsed = Math.max(entry.lastUsed, now);
    this.pending.set(id, entry);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        try {
          this.flush();
        } catch (error) {
          console.error(
            "[UnionView] could not write API key usage:",
            error instanceof Error ? error.message : error,
          );
        }
      }, 1000);
      this.timer.unref?.();
    }
  }

  /** Writes what was counted (tests and the key list call this to see current figures). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    this.pending = new Map();
    const db = this.db;
    const upsert = db.prepare(
      `INSERT INTO api_key_usage (key_id, day, requests, refused) VALUES (?, ?, ?, ?)
       ON CONFLICT (key_id, day) DO UPDATE SET requests = requests + excluded.requests, refused = refused + excluded.refused`,
    );
    const used = db.prepare(
      "UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?",
    );
    db.transaction(() => {
      for (const e of entries) {
        upsert.run(e.keyId, e.day, e.requests, e.refused);
        if (e.lastUsed && e.keyId) used.run(e.lastUsed, e.keyId);
      }
    })();
  }
}
