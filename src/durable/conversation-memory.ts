import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type {
  AppendReceipt,
  ContextResponse,
  Conversation,
  ConversationSettings,
  DeletionReceipt,
  MessageInput,
  MessagePage,
  SearchHit,
} from "../memory/conversation";
import { DEFAULT_SETTINGS } from "../memory/conversation";
import { ftsOrQuery } from "../memory/fts-query";
import { fail, ok, type Result } from "../memory/result";
import { loadTokenCounter, type TokenizerName } from "../memory/tokens";
import { type ArchiveStore, kvArchive, segmentKey } from "../storage/archive";
import {
  ArchiveUnavailable,
  dropSpilledRows,
  outboxFlushDue,
  readBySeqs,
  recordSegment,
  SPILLED_GRACE_MS,
  takeOutboxBatch,
  toSegment,
} from "./conversation-archive";
import { assembleContext, type ContextRequest, type MemorySearch } from "./conversation-context";
import { type ConversationRow, toConversation } from "./conversation-rows";
import { CONVERSATION_MIGRATIONS } from "./conversation-schema";
import { insertConversation, settingsConflict, updateSettings } from "./conversation-settings";
import { appendMessages, spillAllUnpinned } from "./conversation-writes";
import {
  completeWork,
  dueKinds,
  nextDue,
  rescheduleWork,
  retryWork,
  scheduleWork,
  type WorkKind,
} from "./due-work";
import { eraseScopeMemories } from "./memory-erase";
import { applyMigrations, hasTable } from "./migrations";
import { directoryStub, memoryIndexStub } from "./stubs";

export interface ConversationRef {
  tenant: string;
  conversationId: string;
}

export interface AppendInput extends ConversationRef {
  messages: MessageInput[];
  idempotencyKey?: string;
  /** Hash of the request body, so a reused key with another body is a conflict. */
  requestHash?: string;
}

const unavailable = () =>
  fail("unavailable", "Archived messages are not readable yet; retry shortly");

/**
 * One conversation's working memory. Every write is one synchronous SQLite transaction,
 * so ordering, exactly-once appends and counters hold without locks. Messages that leave
 * working memory wait in an outbox (still readable) until the alarm writes them to KV as
 * one segment. A conversation that was never written has no schema: reads cost no storage.
 */
export class ConversationMemory extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private schemaReady = false;
  private alarmAt: number | null = null;
  private flushing: Promise<void> | null = null;
  private erasing = false;
  /** Where archive segments go. Tests swap in a failing store to inject faults. */
  archive: ArchiveStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.archive = kvArchive(env.ARCHIVE);
    ctx.blockConcurrencyWhile(async () => {
      if (hasTable(this.sql, "_migrations")) this.ensureSchema();
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  async describe(): Promise<Result<Conversation>> {
    const row = this.row();
    return row ? ok(toConversation(row)) : fail("not_found", "Conversation not found");
  }

  async configure(
    ref: ConversationRef,
    settings: ConversationSettings,
  ): Promise<Result<{ conversation: Conversation; created: boolean }>> {
    const result = this.ctx.storage.transactionSync(() => {
      const existing = this.row();
      if (!existing) {
        this.ensureSchema();
        insertConversation(this.sql, ref, settings);
        return ok({ created: true, spilled: 0 });
      }
      const conflict = settingsConflict(existing, settings);
      if (conflict) return conflict;
      return ok({ created: false, spilled: updateSettings(this.sql, existing, settings) });
    });
    if (!result.ok) return result;
    await this.afterWrite(result.value.spilled);
    return ok({ conversation: toConversation(this.mustRow()), created: result.value.created });
  }

  async append(input: AppendInput): Promise<Result<AppendReceipt>> {
    for (;;) {
      const tokenizer = (this.row()?.tokenizer ?? DEFAULT_SETTINGS.tokenizer) as TokenizerName;
      const count = await loadTokenCounter(tokenizer);
      const tokens = input.messages.map((m) => count(m.content));
      const result = this.ctx.storage.transactionSync(() => {
        this.ensureSchema();
        const row = this.row() ?? insertConversation(this.sql, input, {});
        // A PUT may have changed the tokenizer while we loaded it: count again.
        if (row.tokenizer !== tokenizer) return null;
        return appendMessages(this.sql, input, tokens);
      });
      if (result === null) continue;
      if (result.ok) await this.afterWrite(result.value.spilled);
      return result.ok ? ok(result.value.receipt) : result;
    }
  }

  /** A page of messages by seq, working and archived alike. Cost grows with the page only. */
  async readMessages(query: {
    order: "asc" | "desc";
    limit: number;
    after?: number;
  }): Promise<Result<MessagePage>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    const last = row.next_seq - 1;
    const seqs: number[] = [];
    if (query.order === "asc") {
      for (let s = (query.after ?? 0) + 1; s <= last && seqs.length < query.limit; s++)
        seqs.push(s);
    } else {
      const start = Math.min(query.after ?? last + 1, last + 1) - 1;
      for (let s = start; s >= 1 && seqs.length < query.limit; s--) seqs.push(s);
    }
    const end = seqs.at(-1);
    const more = end !== undefined && (query.order === "asc" ? end < last : end > 1);
    try {
      const messages = await readBySeqs(this.sql, this.archive, seqs);
      return ok({ messages, nextAfter: more ? (end as number) : null });
    } catch (error) {
      if (error instanceof ArchiveUnavailable) return unavailable();
      throw error;
    }
  }

  /** What the model should see next, within a token budget (see `assembleContext`). */
  async context(request: ContextRequest): Promise<Result<ContextResponse>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    const budget = request.maxTokens ?? row.working_budget;
    if (request.recallTokens !== undefined && request.recallTokens > budget) {
      return fail("invalid_request", "recallTokens cannot exceed maxTokens", "recallTokens");
    }
    const count = await loadTokenCounter(row.tokenizer as TokenizerName);
    try {
      const packed = await assembleContext(
        this.sql,
        this.archive,
        row,
        request,
        count,
        row.user_id ? this.userMemorySearch(row.tenant, row.user_id) : null,
      );
      if (!packed.ok) return packed;
      const usage = { ...packed.value.usage, tokenizer: row.tokenizer as TokenizerName };
      return ok({ ...packed.value, usage });
    } catch (error) {
      if (error instanceof ArchiveUnavailable) return unavailable();
      throw error;
    }
  }

  private userMemorySearch(tenant: string, userId: string): MemorySearch {
    return async (query, limit) => {
      try {
        const index = memoryIndexStub(this.env, tenant, { kind: "user", id: userId });
        const hits = await index.search({ query, limit: Math.min(100, limit) });
        return hits.map((h) => ({ kind: "memory" as const, ...h }));
      } catch (error) {
        // Recall degrades to the archive alone rather than failing the context call.
        console.error(JSON.stringify({ event: "memory_recall_failed", error: String(error) }));
        return [];
      }
    };
  }

  /** BM25 over every message of the conversation (working and archived), best first. */
  async search(query: { text: string; limit: number }): Promise<Result<SearchHit[]>> {
    if (!this.row()) return fail("not_found", "Conversation not found");
    const match = ftsOrQuery(query.text);
    if (!match) return ok([]);
    const hits = this.sql
      .exec<{ seq: number; rank: number }>(
        "SELECT rowid AS seq, bm25(message_fts) AS rank FROM message_fts WHERE message_fts MATCH ? ORDER BY rank LIMIT ?",
        match,
        query.limit,
      )
      .toArray();
    try {
      const messages = await readBySeqs(
        this.sql,
        this.archive,
        hits.map((h) => h.seq),
      );
      return ok(
        hits.map((hit, i) => ({
          score: Math.round(-hit.rank * 10_000) / 10_000,
          message: messages[i] as SearchHit["message"],
        })),
      );
    } catch (error) {
      if (error instanceof ArchiveUnavailable) return unavailable();
      throw error;
    }
  }

  /**
   * Removes the conversation: KV segments and the memories scoped to it first, then the
   * directory entry, then the object's storage. Each step is idempotent, so a retry after a crash finishes the job.
   */
  async erase(): Promise<Result<DeletionReceipt>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    this.erasing = true;
    try {
      await this.flushing?.catch(() => undefined);
      const keys = this.sql
        .exec<{ kv_key: string }>("SELECT kv_key FROM segments")
        .toArray()
        .map((r) => r.kv_key);
      await this.archive.delete(keys);
      const memories = await eraseScopeMemories(this.env, row.tenant, {
        kind: "conversation",
        id: row.id,
      });
      await directoryStub(this.env, row.tenant).forget(row.id);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.schemaReady = false;
      this.alarmAt = null;
      return ok({ messages: row.next_seq - 1, segments: keys.length, memories });
    } finally {
      this.erasing = false;
    }
  }

  /** Runs whatever work is due. Alarms are retried and may repeat: every step is idempotent. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    if (!this.row()) return;
    const now = Date.now();
    for (const kind of dueKinds(this.sql, now)) {
      try {
        await this.runWork(kind, now);
      } catch (error) {
        const retryAt = retryWork(this.sql, kind, now);
        console.error(
          JSON.stringify({ event: "work_failed", kind, retryAt, error: String(error) }),
        );
      }
    }
    await this.armAlarm();
  }

  private async runWork(kind: WorkKind, now: number): Promise<void> {
    if (kind === "flush_outbox") {
      await this.flushOutbox();
      completeWork(this.sql, kind);
    } else if (kind === "drop_spilled") {
      const next = dropSpilledRows(this.sql, now);
      if (next === null) completeWork(this.sql, kind);
      else rescheduleWork(this.sql, kind, next);
    } else {
      const row = this.mustRow();
      const idleAt = Date.parse(row.updated_at) + (row.ttl_seconds ?? 0) * 1000;
      if (row.ttl_seconds === null) return completeWork(this.sql, kind);
      if (now < idleAt) return rescheduleWork(this.sql, kind, idleAt);
      this.ctx.storage.transactionSync(() => {
        spillAllUnpinned(this.sql);
        completeWork(this.sql, kind);
      });
      await this.flushOutbox();
    }
  }

  /** Writes the outbox to KV, one segment at a time; a failed write leaves the rows in place. */
  private flushOutbox(): Promise<void> {
    this.flushing ??= (async () => {
      try {
        for (;;) {
          const batch = takeOutboxBatch(this.sql);
          if (!batch || this.erasing) return;
          const row = this.mustRow();
          const key = segmentKey(row.tenant, row.id, row.next_segment);
          await this.archive.put(key, toSegment(batch));
          if (this.erasing) return;
          this.ctx.storage.transactionSync(() => {
            const now = Date.now();
            recordSegment(this.sql, row.next_segment, key, batch, now);
            scheduleWork(this.sql, "drop_spilled", now + SPILLED_GRACE_MS);
          });
        }
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** After a write: keep the directory listing current and schedule the work it caused. */
  private async afterWrite(spilled: number): Promise<void> {
    const row = this.mustRow();
    if (spilled > 0) {
      scheduleWork(
        this.sql,
        "flush_outbox",
        outboxFlushDue(this.sql, row.outbox_since ?? Date.now()),
      );
    }
    if (row.ttl_seconds !== null) {
      // The alarm pushes this later while the conversation stays active.
      scheduleWork(this.sql, "idle_flush", Date.parse(row.updated_at) + row.ttl_seconds * 1000, {
        keepExisting: true,
      });
    }
    await this.armAlarm();
    await this.syncDirectory(row);
  }

  private async armAlarm(): Promise<void> {
    const due = nextDue(this.sql);
    if (due === null || (this.alarmAt !== null && this.alarmAt <= due)) return;
    await this.ctx.storage.setAlarm(due);
    this.alarmAt = due;
  }

  /** Lists the conversation in its tenant's directory once, and again when its owner is set. */
  private async syncDirectory(row: ConversationRow): Promise<void> {
    if (row.listed === 1 && row.listed_user_id === row.user_id) return;
    try {
      await directoryStub(this.env, row.tenant).remember({
        id: row.id,
        userId: row.user_id,
        createdAt: row.created_at,
      });
      this.sql.exec("UPDATE conversation SET listed = 1, listed_user_id = ?", row.user_id);
    } catch (error) {
      // The write is already acknowledged; the listing is retried by the next write.
      console.error(JSON.stringify({ event: "directory_sync_failed", error: String(error) }));
    }
  }

  private ensureSchema(): void {
    if (this.schemaReady) return;
    applyMigrations(this.sql, CONVERSATION_MIGRATIONS);
    this.schemaReady = true;
  }

  private row(): ConversationRow | undefined {
    if (!this.schemaReady) return undefined;
    return this.sql.exec<ConversationRow>("SELECT * FROM conversation").toArray()[0];
  }

  private mustRow(): ConversationRow {
    const row = this.row();
    if (!row) throw new Error("conversation row missing after write");
    return row;
  }
}
