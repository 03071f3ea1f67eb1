import type Database from "better-sqlite3";
import type { WeChatClient } from "@/lib/wechat/client";
import type { WeChatError } from "@/lib/wechat/errors";
import type { DiskFullError } from "./trouble";

export interface Checkpoint {
  /** Listing: the next_openid to continue from, and how many openids are staged. */
  cursor: string;
  listingDone: boolean;
  /** Profiles: the last staged seq whose profile was applied. */
  lastSeq: number;
  /** WeChat trouble the run paused for and has not yet got past: since when, and how many pauses. */
  trouble?: { since: number; pauses: number };
}

export interface RunRow {
  id: number;
  account_id: string;
  kind: "full" | "incremental";
  checkpoint: string | null;
  listed: number;
  lease_owner: string | null;
}

export interface EngineOptions {
  sqlite: Database.Database;
  client: WeChatClient;
  now?: () => number;
  /** Incremental syncs refetch profiles older than this. */
  refreshDays?: number;
  /** Profiles per batch (fetched, then committed with the checkpoint in one transaction). */
  profileChunk?: number;
  /**
   * The worker holding the run's lease (default: the lease owner when the run starts here). Every
   * batch commits only while this owner still holds it: a worker that lost its lease without noticing
   * yet (its heartbeat comes later) rolls its batch back and stops instead of writing over its successor.
   */
  owner?: string;
  /** Called between batches; returning false stops the run (lease lost or cancel requested). */
  shouldContinue?: () => boolean;
  /** Incremented by the client for every request (its onCall option), so the run can count its API calls. */
  calls: { count: number };
  /** Pause (like a 45009) once the account has made this many API calls today (Beijing day). */
  dailyCallBudget?: number;
  /**
   * Riding out WeChat trouble (system busy, minute quota, timeouts, dropped connections) that outlasts
   * the client's own retries: the run pauses for `troubleBackoffMs` (doubling per pause, at most
   * 5 minutes) and resumes from its checkpoint; it fails only when the trouble has lasted
   * `troublePersistMs` without a batch getting through. Defaults: 5 s and 15 minutes.
   */
  troubleBackoffMs?: number;
  troublePersistMs?: number;
  /** How long to wait before trying again when the database's disk is full. Default 30 s. */
  diskFullBackoffMs?: number;
}

export type RunOutcome =
  | { status: "done" }
  /** A spent quota or call budget, WeChat trouble being ridden out, or a full disk. */
  | { status: "paused"; until: number; error: WeChatError | DiskFullError }
  | { status: "failed"; error: unknown }
  | { status: "stopped" };
