import type { Memory } from "../../memory/memories";
import { fail, type Result } from "../../memory/result";
import type { Migration } from "../sqlite/migrations";

/**
 * The MemoryRecord object's SQLite schema — one `record` row (identity, state, the
 * current and the last pushed version), every version's body — and its table of due
 * work, which drives its one alarm.
 */
export const RECORD_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "one memory: its versions and its due work",
    sql: `
      CREATE TABLE record (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        synced_version INTEGER NOT NULL DEFAULT 0,
        scopes TEXT NOT NULL
      );
      CREATE TABLE versions (version INTEGER PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE due (kind TEXT PRIMARY KEY, at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
    `,
  },
  {
    id: 2,
    description: "due work in the due_work table every object shares (sqlite/due-work.ts)",
    sql: `
      CREATE TABLE due_work (
        kind TEXT PRIMARY KEY,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO due_work (kind, due_at, attempts) SELECT kind, at, attempts FROM due;
      DROP TABLE due;
    `,
  },
  {
    id: 3,
    description: "how far an erase got, so one of thousands of versions resumes, not restarts",
    sql: "ALTER TABLE record ADD COLUMN erased_through INTEGER NOT NULL DEFAULT 0;",
  },
];

export type RecordRow = {
  tenant: string;
  id: string;
  /** `live`, or `erasing` while its KV keys and index entries are being removed. */
  state: "live" | "erasing";
  version: number;
  /** The version last written to KV and every index (0: none yet). */
  synced_version: number;
  /** While erasing: the current body and versions 1..erased_through are gone from KV. */
  erased_through: number;
  scopes: string;
};

/** Kinds of due work: push versions to KV and indexes, expire, finish an erase. */
export type RecordWork = "sync" | "expire" | "erase";

/** A change is pushed at once; if that push is cut short, the alarm pushes it after this. */
export const SYNC_DELAY_MS = 5_000;
/** The first retry of a failed push or erase; later ones back off from it. */
export const FIRST_RETRY_MS = 10_000;

/** A create while the id's predecessor is still being erased (its alarm goes on at once). */
export const stillErasing = (): Result<never> =>
  fail("unavailable", "A memory with this id is being erased; retry shortly", "id");

/** One stored version of the memory. */
export function versionBody(sql: SqlStorage, version: number): Memory {
  const { body } = sql
    .exec<{ body: string }>("SELECT body FROM versions WHERE version = ?", version)
    .one();
  return JSON.parse(body) as Memory;
}

/** Every stored version from `version` on (at most `limit` of them), oldest first. */
export function versionsFrom(sql: SqlStorage, version: number, limit = -1): Memory[] {
  return sql
    .exec<{ body: string }>(
      "SELECT body FROM versions WHERE version >= ? ORDER BY version LIMIT ?",
      version,
      limit,
    )
    .toArray()
    .map((r) => JSON.parse(r.body) as Memory);
}
