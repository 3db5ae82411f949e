import type { Env } from "../../env";
import { DueWork } from "../sqlite/due-work";
import { embedMemoryStep } from "../vectors/backlog";
import { embedderFor } from "../vectors/embedder";
import { vectorState } from "../vectors/store";

/** Writes within this wait are embedded together. */
const EMBED_DELAY_MS = 500;

/**
 * A memory index's embedding backlog, driven by its `due_work` table (one kind, `embed`)
 * and the index's one alarm, which it shares with expiries. Every memory row with no
 * vector is pending: a new memory, a new version (a new row), or all of them after a
 * model change; a removed row takes its vector with it.
 */
export class IndexEmbedding {
  private readonly due: DueWork<"embed">;
  /** Whether pending work is known to be scheduled, or known to be none (checked once). */
  private settled = false;

  constructor(
    private readonly env: Env,
    private readonly storage: DurableObjectStorage,
  ) {
    this.due = new DueWork(storage.sql);
  }

  /** After a write: embed what it stored, soon (not earlier than a pending retry). */
  schedule(): void {
    if (!embedderFor(this.env)) return;
    this.due.schedule("embed", Date.now() + EMBED_DELAY_MS, { keepExisting: true });
    this.settled = true;
  }

  /**
   * Before a search: once per object start, a backlog nobody works on (embeddings just
   * turned on, a model change) is scheduled. Answers whether the alarm needs arming.
   */
  backfill(): boolean {
    if (this.settled) return false;
    this.settled = true;
    const embedder = embedderFor(this.env);
    if (!embedder || this.due.next() !== null) return false;
    const state = vectorState(this.storage.sql);
    const pending =
      state?.model !== embedder.model ||
      this.storage.sql
        .exec(
          "SELECT 1 FROM memories m WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.id = m.seq) LIMIT 1",
        )
        .toArray().length > 0;
    if (!pending) return false;
    this.due.schedule("embed", Date.now());
    return true;
  }

  /** The alarm's share: one batch if due; a failure is retried with backoff. */
  async runDue(now: number): Promise<void> {
    if (!this.due.dueKinds(now).includes("embed")) return;
    const embedder = embedderFor(this.env);
    if (!embedder) return this.due.complete("embed");
    try {
      const sql = this.storage.sql;
      const more = await embedMemoryStep(this.storage, embedder, (limit) =>
        sql
          .exec<{ seq: number; body: string }>(
            `SELECT seq, body FROM memories m
             WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.id = m.seq) ORDER BY seq LIMIT ?`,
            limit,
          )
          .toArray()
          .map((r) => ({ id: r.seq, text: (JSON.parse(r.body) as { text: string }).text })),
      );
      if (more) this.due.scheduleAt("embed", Date.now());
      else this.due.complete("embed");
    } catch (error) {
      const retryAt = this.due.retry("embed", now);
      console.error(JSON.stringify({ event: "embedding_failed", retryAt, error: String(error) }));
    }
  }

  /** When embedding work is next due, or null. */
  next(): number | null {
    return this.due.next();
  }
}
