/**
 * The table of due work that drives an object's one alarm. Alarms are retried and can
 * run twice, so each kind of work is idempotent and is removed only once done.
 */
export type WorkKind = "flush_outbox" | "drop_spilled" | "idle_flush" | "summarize";

/**
 * Schedules `kind` at `at`, or earlier if it is already due sooner; with `keepExisting`,
 * an existing entry is left as it is.
 */
export function scheduleWork(
  sql: SqlStorage,
  kind: WorkKind,
  at: number,
  options: { keepExisting?: boolean } = {},
): void {
  sql.exec(
    options.keepExisting
      ? "INSERT INTO due_work (kind, due_at) VALUES (?, ?) ON CONFLICT (kind) DO NOTHING"
      : `INSERT INTO due_work (kind, due_at) VALUES (?, ?)
         ON CONFLICT (kind) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)`,
    kind,
    at,
  );
}

/** Schedules `kind` at exactly `at` (used to push idle work later). */
export function rescheduleWork(sql: SqlStorage, kind: WorkKind, at: number): void {
  sql.exec(
    `INSERT INTO due_work (kind, due_at) VALUES (?, ?)
     ON CONFLICT (kind) DO UPDATE SET due_at = excluded.due_at, attempts = 0`,
    kind,
    at,
  );
}

export function completeWork(sql: SqlStorage, kind: WorkKind): void {
  sql.exec("DELETE FROM due_work WHERE kind = ?", kind);
}

/** A failed attempt: try again with exponential backoff (1 s, 2 s, 4 s … at most 5 min). */
export function retryWork(sql: SqlStorage, kind: WorkKind, now: number): number {
  const attempts =
    sql
      .exec<{ attempts: number }>(
        "UPDATE due_work SET attempts = attempts + 1 WHERE kind = ? RETURNING attempts",
        kind,
      )
      .toArray()[0]?.attempts ?? 1;
  if (attempts === 1) scheduleWork(sql, kind, now);
  const delay = Math.min(1000 * 2 ** (attempts - 1), 300_000);
  const at = now + delay + Math.floor(Math.random() * 250);
  sql.exec("UPDATE due_work SET due_at = ? WHERE kind = ?", at, kind);
  return at;
}

export function dueKinds(sql: SqlStorage, now: number): WorkKind[] {
  return sql
    .exec<{ kind: WorkKind }>("SELECT kind FROM due_work WHERE due_at <= ? ORDER BY due_at", now)
    .toArray()
    .map((row) => row.kind);
}

export function nextDue(sql: SqlStorage): number | null {
  return sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM due_work").one().at;
}
