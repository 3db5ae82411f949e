import type { Memory } from "../../memory/memories";
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
];

export type RecordRow = {
  tenant: string;
  id: string;
  /** `live`, or `erasing` while its KV keys and index entries are being removed. */
  state: "live" | "erasing";
  version: number;
  /** The version last written to KV and every index (0: none yet). */
  synced_version: number;
  scopes: string;
};

/** Kinds of due work: push versions to KV and indexes, expire, finish an erase. */
export type DueKind = "sync" | "expire" | "erase";

/** Retry delays of failed pushes, capped. */
export const RETRY_MS = (attempts: number) => Math.min(300_000, 5_000 * 2 ** attempts);

/** Schedules `kind` at exactly `at`, as a first attempt. */
export function setDue(sql: SqlStorage, kind: DueKind, at: number): void {
  sql.exec(
    "INSERT INTO due (kind, at) VALUES (?, ?) ON CONFLICT (kind) DO UPDATE SET at = excluded.at, attempts = 0",
    kind,
    at,
  );
}

/** A failed attempt at `kind`: the next one after a longer delay. */
export function retryDue(sql: SqlStorage, kind: DueKind, now: number): void {
  const attempts =
    sql.exec<{ attempts: number }>("SELECT attempts FROM due WHERE kind = ?", kind).toArray()[0]
      ?.attempts ?? 0;
  sql.exec(
    "UPDATE due SET attempts = ?, at = ? WHERE kind = ?",
    attempts + 1,
    now + RETRY_MS(attempts + 1),
    kind,
  );
}

/** When the alarm should next run, or null when nothing is due. */
export const nextDue = (sql: SqlStorage): number | null =>
  sql.exec<{ at: number | null }>("SELECT MIN(at) AS at FROM due").one().at;

/** One stored version of the memory. */
export function versionBody(sql: SqlStorage, version: number): Memory {
  const { body } = sql
    .exec<{ body: string }>("SELECT body FROM versions WHERE version = ?", version)
    .one();
  return JSON.parse(body) as Memory;
}

/** Every stored version from `version` on, oldest first. */
export function versionsFrom(sql: SqlStorage, version: number): Memory[] {
  return sql
    .exec<{ body: string }>(
      "SELECT body FROM versions WHERE version >= ? ORDER BY version",
      version,
    )
    .toArray()
    .map((r) => JSON.parse(r.body) as Memory);
}
