/**
 * The table of due work that drives an object's one alarm:
 * `due_work (kind TEXT PRIMARY KEY, due_at INTEGER, attempts INTEGER)`, created by each
 * object's migrations. Alarms are retried and can run twice, so each kind of work is
 * idempotent and is removed only once done. A failed attempt is retried with exponential
 * backoff from `firstRetryMs`, capped at five minutes, with a little jitter so objects
 * that failed together do not retry together.
 */
export class DueWork<Kind extends string> {
  constructor(
    private readonly sql: SqlStorage,
    private readonly firstRetryMs = 1_000,
  ) {}

  /**
   * Schedules `kind` at `at`, or earlier if it is already due sooner; with `keepExisting`,
   * an existing entry is left as it is.
   */
  schedule(kind: Kind, at: number, options: { keepExisting?: boolean } = {}): void {
    this.sql.exec(
      options.keepExisting
        ? "INSERT INTO due_work (kind, due_at) VALUES (?, ?) ON CONFLICT (kind) DO NOTHING"
        : `INSERT INTO due_work (kind, due_at) VALUES (?, ?)
           ON CONFLICT (kind) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)`,
      kind,
      at,
    );
  }

  /** Schedules `kind` at exactly `at`, as a first attempt (also to push work later). */
  scheduleAt(kind: Kind, at: number): void {
    this.sql.exec(
      `INSERT INTO due_work (kind, due_at) VALUES (?, ?)
       ON CONFLICT (kind) DO UPDATE SET due_at = excluded.due_at, attempts = 0`,
      kind,
      at,
    );
  }

  /** Work done a batch at a time: due again at `at` while there is `more`, else done. */
  goOn(kind: Kind, more: boolean, at: number): void {
    if (more) this.scheduleAt(kind, at);
    else this.complete(kind);
  }

  complete(kind: Kind): void {
    this.sql.exec("DELETE FROM due_work WHERE kind = ?", kind);
  }

  /** A failed attempt: answers when the next one is due. */
  retry(kind: Kind, now: number): number {
    const attempts =
      this.sql
        .exec<{ attempts: number }>(
          "UPDATE due_work SET attempts = attempts + 1 WHERE kind = ? RETURNING attempts",
          kind,
        )
        .toArray()[0]?.attempts ?? 1;
    if (attempts === 1) this.schedule(kind, now);
    const delay = Math.min(this.firstRetryMs * 2 ** (attempts - 1), 300_000);
    const at = now + delay + Math.floor(Math.random() * 250);
    this.sql.exec("UPDATE due_work SET due_at = ? WHERE kind = ?", at, kind);
    return at;
  }

  /** The kinds due by `now`, earliest first. */
  dueKinds(now: number): Kind[] {
    return this.sql
      .exec<{ kind: Kind }>("SELECT kind FROM due_work WHERE due_at <= ? ORDER BY due_at", now)
      .toArray()
      .map((row) => row.kind);
  }

  /** When the alarm should next run, or null when nothing is due. */
  next(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM due_work").one().at;
  }
}
