import type { Env } from "../../env";
import { messageVectorModel } from "../../memory/vectors/message-document";
import type { ArchiveStore } from "../../storage/archive";
import { directoryStub } from "../directory/api";
import { DueWork } from "../sqlite/due-work";
import { embedMessageStep } from "../vectors/backlog";
import { embedderFor } from "../vectors/embedder";
import { messageEmbeddingSources } from "../vectors/messages";
import { vectorState } from "../vectors/store";
import {
  dropSpilledRows,
  outboxFlushDue,
  readBySeqs,
  recordSegment,
  reserveSegment,
  SPILLED_GRACE_MS,
  takeOutboxBatch,
  toSegment,
  unrecordedWrites,
} from "./archive";
import type { ConversationRow } from "./rows";
import { indexWordsStep } from "./search";
import { type BackgroundGuard, foldIntoSummary } from "./summary";
import { readConversation, spillAllUnpinned, sweepIdempotency } from "./writes";

/** The kinds of background work of a conversation. */
export type WorkKind =
  | "flush_outbox"
  | "drop_spilled"
  | "idle_flush"
  | "summarize"
  | "sync_directory"
  | "embed"
  | "index_words";

/** Pause between two summary batches of a backlog. */
const SUMMARY_PACE_MS = 1_000;
/** Appends within this wait are embedded together. */
const EMBED_DELAY_MS = 500;
export const FLUSH_SEGMENTS_PER_RUN = 200; // a KV put each: one alarm stays far below 1,000 operations

/**
 * The conversation's background work, driven by the `due_work` table and the object's
 * one alarm: writing the outbox to KV, dropping spilled rows after the grace period,
 * folding archived messages into the summary, and flushing an idle conversation.
 */
export class ConversationWork {
  private alarmAt: number | null = null;
  /** Whether `idle_flush` is known to be in `due_work` (saves a statement per append). */
  private idleScheduled = false;
  /** Whether `embed` is known to be in `due_work` (saves a statement per append). */
  private embedScheduled = false;
  private flushing: Promise<boolean> | null = null;
  private erasing = false;
  /** Incremented when an erase begins: work that started before it stops writing. */
  private generation = 0;
  /** Writes to other objects (facts as memories) an erase must wait for. */
  private readonly outbound = new Set<Promise<unknown>>();
  private readonly sql: SqlStorage;
  private readonly due: DueWork<WorkKind>;

  constructor(
    private readonly env: Env,
    private readonly storage: DurableObjectStorage,
    private readonly archive: () => ArchiveStore,
    /** False once an erase has begun: work in flight then stops before its next write. */
    private readonly active: () => boolean,
  ) {
    this.sql = storage.sql;
    this.due = new DueWork(storage.sql);
  }

  /** At start: work due without an alarm (a migration leaves `index_words` so) gets one. */
  async load(schemaReady: boolean): Promise<void> {
    this.alarmAt = await this.storage.getAlarm();
    if (schemaReady && this.alarmAt === null) await this.armAlarm();
  }

  /** Schedules the work a write caused and makes sure the alarm will fire for it. */
  async scheduleAfterWrite(row: ConversationRow, spilled: number): Promise<void> {
    let scheduled = false;
    if (spilled > 0) {
      const due = outboxFlushDue(this.sql, row.outbox_since ?? Date.now());
      this.due.schedule("flush_outbox", due);
      if (row.summary_strategy !== "off") this.due.schedule("summarize", due);
      scheduled = true;
    }
    if (this.scheduleEmbedding(row)) scheduled = true;
    if (row.ttl_seconds !== null && !this.idleScheduled) {
      // Set once; the idle work pushes itself later while the conversation stays active.
      const idleAt = Date.parse(row.updated_at) + row.ttl_seconds * 1000;
      this.due.schedule("idle_flush", idleAt, { keepExisting: true });
      this.idleScheduled = true;
      scheduled = true;
    }
    if (scheduled) await this.armAlarm();
  }

  /** The alarm: runs every due kind of work; a failure is retried with backoff. */
  async runDue(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    const guard = this.guard();
    for (const kind of this.due.dueKinds(now)) {
      if (!guard.current()) return;
      try {
        await this.run(kind, now, guard);
      } catch (error) {
        if (!guard.current()) return;
        const retryAt = this.due.retry(kind, now);
        console.error(
          JSON.stringify({ event: "work_failed", kind, retryAt, error: String(error) }),
        );
      }
    }
    if (guard.current()) await this.armAlarm();
  }

  /** Runs `erase` with no flush in flight and none starting, so no KV key outlives it. */
  async whileErasing<T>(erase: () => Promise<T>): Promise<T> {
    this.erasing = true;
    this.generation++;
    try {
      await this.flushing?.catch(() => undefined);
      await Promise.allSettled([...this.outbound]);
      const result = await erase();
      this.alarmAt = null;
      this.idleScheduled = false;
      this.embedScheduled = false;
      return result;
    } finally {
      this.erasing = false;
    }
  }

  private async run(kind: WorkKind, now: number, guard: BackgroundGuard): Promise<void> {
    if (kind === "flush_outbox") {
      const more = await this.flushOutbox(); // a long outbox goes on in the next invocation
      if (guard.current()) this.due.goOn(kind, more, Date.now());
    } else if (kind === "summarize") {
      const more = await foldIntoSummary(this.env, this.storage, this.archive(), guard);
      // A backlog (a bulk import) is folded a batch a second, so requests keep the object.
      if (guard.current()) this.due.goOn(kind, more, Date.now() + SUMMARY_PACE_MS);
    } else if (kind === "sync_directory") {
      const row = readConversation(this.sql);
      if (row.listed === 1 && row.listed_user_id === row.user_id) this.due.complete(kind);
      else await this.syncListing(row);
    } else if (kind === "embed") {
      const more = await this.embedStep();
      if (!guard.current()) return;
      // A backlog (embeddings just turned on, a model change) goes on a batch at a time.
      this.due.goOn(kind, more, Date.now());
      this.embedScheduled = more;
    } else if (kind === "index_words") {
      const more = await indexWordsStep(this.storage, this.archive(), guard.current);
      if (guard.current()) this.due.goOn(kind, more, Date.now());
    } else if (kind === "drop_spilled") {
      const next = dropSpilledRows(this.sql, now);
      this.due.goOn(kind, next !== null, next ?? now);
    } else {
      await this.flushIfIdle(now);
    }
  }

  private async flushIfIdle(now: number): Promise<void> {
    const row = readConversation(this.sql);
    this.idleScheduled = false;
    if (row.ttl_seconds === null) return this.due.complete("idle_flush");
    this.idleScheduled = true;
    const idleAt = Date.parse(row.updated_at) + row.ttl_seconds * 1000;
    if (now < idleAt) return this.due.scheduleAt("idle_flush", idleAt);
    this.storage.transactionSync(() => {
      if (spillAllUnpinned(this.sql) > 0 && row.summary_strategy !== "off") {
        this.due.schedule("summarize", now);
      }
      sweepIdempotency(this.sql, now);
      this.due.complete("idle_flush");
    });
    this.idleScheduled = false;
    if (await this.flushOutbox()) this.due.schedule("flush_outbox", Date.now());
  }

  /**
   * Makes sure messages not embedded yet (new ones, or all of them when embeddings were
   * just turned on or the model changed) will be: schedules `embed` unless it is. Answers
   * whether it scheduled; the caller arms the alarm.
   */
  private scheduleEmbedding(row: ConversationRow): boolean {
    if (this.embedScheduled) return false;
    const embedder = embedderFor(this.env);
    if (!embedder) return false;
    const state = vectorState(this.sql);
    if (state?.model === messageVectorModel(embedder.model) && state.through >= row.next_seq - 1)
      return false;
    this.due.schedule("embed", Date.now() + EMBED_DELAY_MS, { keepExisting: true });
    this.embedScheduled = true;
    return true;
  }

  /** Before a search: a backlog nobody is working on (embeddings just turned on) is started. */
  async backfillEmbeddings(row: ConversationRow): Promise<void> {
    if (this.scheduleEmbedding(row)) await this.armAlarm();
  }

  /** One batch of the embedding backlog (see `embedMessageStep`). */
  private async embedStep(): Promise<boolean> {
    const embedder = embedderFor(this.env);
    if (!embedder) return false;
    const last = readConversation(this.sql).next_seq - 1;
    const model = messageVectorModel(embedder.model);
    return embedMessageStep(this.storage, embedder, model, last, (seqs) =>
      messageEmbeddingSources((wanted) => readBySeqs(this.sql, this.archive(), wanted), seqs),
    );
  }

  /** Writes the outbox to KV, ≤ FLUSH_SEGMENTS_PER_RUN segments; true when more is waiting. */
  private flushOutbox(): Promise<boolean> {
    this.flushing ??= (async () => {
      try {
        for (let written = 0; ; written++) {
          if (this.erasing) return false;
          if (written === FLUSH_SEGMENTS_PER_RUN) return takeOutboxBatch(this.sql) !== null;
          await this.dropUnrecordedWrites();
          const batch = takeOutboxBatch(this.sql);
          if (!batch || this.erasing) return false;
          const { n, key } = this.storage.transactionSync(() => reserveSegment(this.sql, batch));
          await this.archive().put(key, toSegment(batch));
          // The erase deletes the key: it is recorded in `segment_writes`.
          if (this.erasing) return false;
          this.storage.transactionSync(() => {
            const now = Date.now();
            recordSegment(this.sql, n, key, batch, now);
            this.due.schedule("drop_spilled", now + SPILLED_GRACE_MS);
          });
        }
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /**
   * Lists the conversation in its tenant's directory (which user erase and export page
   * through) once, and again when its owner changes. Records what the directory answers
   * it holds, not what was sent; a failure, or a directory that holds another owner (a
   * newer entry won a race), is retried by the alarm with backoff until they agree.
   */
  async syncListing(row: ConversationRow): Promise<void> {
    if (row.listed === 1 && row.listed_user_id === row.user_id) return;
    const guard = this.guard();
    try {
      const held = await directoryStub(this.env, row.tenant).remember({
        id: row.id,
        userId: row.user_id,
        createdAt: row.created_at,
        version: row.version,
      });
      if (!guard.current()) return;
      this.sql.exec("UPDATE conversation SET listed = 1, listed_user_id = ?", held.userId);
      if (held.userId === readConversation(this.sql).user_id) {
        this.due.complete("sync_directory");
        return;
      }
    } catch (error) {
      console.error(JSON.stringify({ event: "directory_sync_failed", error: String(error) }));
      if (!guard.current()) return;
    }
    this.due.retry("sync_directory", Date.now());
    await this.armAlarm();
  }

  private guard(): BackgroundGuard {
    const generation = this.generation;
    return {
      current: () => generation === this.generation && this.active(),
      track: <T>(write: Promise<T>) => {
        this.outbound.add(write);
        return write.finally(() => this.outbound.delete(write));
      },
    };
  }

  /** Deletes what an earlier write may have left in KV before its record (crash, failure). */
  private async dropUnrecordedWrites(): Promise<void> {
    const writes = unrecordedWrites(this.sql);
    if (writes.length === 0) return;
    await this.archive().delete(writes.map((w) => w.kv_key));
    for (const { n } of writes) this.sql.exec("DELETE FROM segment_writes WHERE n = ?", n);
  }

  private async armAlarm(): Promise<void> {
    const due = this.due.next();
    if (due === null || (this.alarmAt !== null && this.alarmAt <= due)) return;
    await this.storage.setAlarm(due);
    this.alarmAt = due;
  }
}
