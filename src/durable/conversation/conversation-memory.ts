import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import { limitsFrom } from "../../limits";
import { countMessageTokens, messageIdentity } from "../../memory/chat/messages";
import type { ContextResponse } from "../../memory/context/types";
import type {
  AppendReceipt,
  Conversation,
  ConversationSettings,
  MessagePage,
  RewindReceipt,
  SearchHit,
} from "../../memory/conversation";
import { sha256Hex } from "../../memory/digest";
import type { SearchMode } from "../../memory/match";
import { pageSeqs } from "../../memory/message-pages";
import { fail, ok, type Result } from "../../memory/result";
import type { TokenizerName } from "../../memory/tokens";
import { type ArchiveStore, kvArchive } from "../../storage/archive";
import { cachedArchive, isolateSegments } from "../../storage/segment-cache";
import { tokenCounter } from "../../storage/tokenizer-tables";
import { directoryStub } from "../directory/api";
import { eraseScopeMemories } from "../memories/erase";
import { applyMigrations, hasTable } from "../sqlite/migrations";
import { Refused, refusable } from "../sqlite/refusal";
import { embedderFor } from "../vectors/embedder";
import { forgetVectorIndex } from "../vectors/store";
import type {
  AppendInput,
  ContextRequest,
  ConversationApi,
  ConversationRef,
  EraseProgress,
  MessagePageQuery,
} from "./api";
import { orUnavailable, readBySeqs, withinReadBudget } from "./archive";
import { assembleContext, userMemorySearch } from "./context";
import {
  beginErasure,
  deleteSegmentBatch,
  ERASE_RESUME_MS,
  erasureOf,
  receiptOf,
  recordMemoriesErased,
} from "./erase";
import { pinnedOverLimit } from "./pinned";
import { rewindAfter } from "./rewind";
import { type ConversationRow, toConversation } from "./rows";
import { CONVERSATION_MIGRATIONS, CONVERSATION_SNAPSHOT } from "./schema";
import { forgetMessageCounts, searchMessages } from "./search";
import {
  ConversationFacts,
  insertConversation,
  settingsConflict,
  updateSettings,
} from "./settings";
import { ConversationWork } from "./work";
import { appendMessages, type PreparedBatch, type Written } from "./writes";

/** A write while an erase is under way: the alarm finishes the erase within seconds. */
const beingErased = () =>
  fail("unavailable", "The conversation is being deleted; retry shortly") as Result<never>;

/**
 * One conversation's working memory. Every write is one synchronous SQLite transaction,
 * so ordering, exactly-once appends and counters hold without locks. Messages that leave
 * working memory wait in an outbox (still readable) until the alarm writes them to KV as
 * one segment. A conversation that was never written has no schema: reads cost no storage.
 */
export class ConversationMemory extends DurableObject<Env> implements ConversationApi {
  private readonly sql: SqlStorage;
  private schemaReady = false;
  /** Where archive segments go. Tests swap in a failing store to inject faults. */
  archive: ArchiveStore;
  private readonly work: ConversationWork;
  private readonly facts: ConversationFacts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.facts = new ConversationFacts(this.sql, () => this.schemaReady);
    this.archive = cachedArchive(kvArchive(env.ARCHIVE), isolateSegments);
    this.work = new ConversationWork(
      env,
      ctx.storage,
      () => this.archive,
      () => this.schemaReady && !this.facts.erasing(),
    );
    ctx.blockConcurrencyWhile(async () => {
      if (hasTable(this.sql, "_migrations")) this.ensureSchema();
      await this.work.load(this.schemaReady);
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
    const tokenizer = settings.tokenizer ?? this.facts.tokenizer();
    const count = settings.summary?.text ? await tokenCounter(this.env, tokenizer) : undefined;
    const result = this.ctx.storage.transactionSync(() => {
      if (this.facts.erasing()) return beingErased();
      const existing = this.row();
      if (!existing) {
        this.ensureSchema();
        return ok({
          created: true,
          spilled: 0,
          row: insertConversation(this.sql, ref, settings, count),
        });
      }
      const conflict = settingsConflict(existing, settings, limitsFrom(this.env).metadataBytes);
      if (conflict) return conflict;
      return ok({ created: false, ...updateSettings(this.sql, existing, settings, count) });
    });
    this.facts.settingsMayChange();
    if (!result.ok) return result;
    const { row, spilled, created } = result.value;
    await this.afterWrite(row, spilled);
    return ok({ conversation: toConversation(row), created });
  }

  async append(input: AppendInput): Promise<Result<AppendReceipt>> {
    for (;;) {
      const tokenizer = this.facts.tokenizer();
      const count = await tokenCounter(this.env, tokenizer);
      const prepared: PreparedBatch = {
        tokens: input.messages.map((m) => countMessageTokens(count, m)),
        identities: await Promise.all(input.messages.map((m) => sha256Hex(messageIdentity(m)))),
      };
      // The conversation row is read once, here; the writes carry its counters forward.
      const result = refusable(this.ctx.storage, () => {
        this.ensureSchema();
        if (this.facts.erasing()) return beingErased();
        // Checked before anything is written: a failed Result does not roll back.
        const pinned = pinnedOverLimit(this.sql, input.messages);
        if (pinned) return pinned;
        const existing = this.row();
        const row = existing ?? insertConversation(this.sql, input, input.settings ?? {}, count);
        // A PUT may have changed the tokenizer while we loaded it: count again.
        if (row.tokenizer !== tokenizer) return null;
        let configured: Written = { spilled: 0, row };
        if (existing && input.settings) {
          const conflict = settingsConflict(
            existing,
            input.settings,
            limitsFrom(this.env).metadataBytes,
          );
          if (conflict) return conflict;
          configured = updateSettings(this.sql, existing, input.settings, count);
        }
        const appended = appendMessages(this.sql, configured.row, input, prepared);
        // Refused after the settings were written (a message id taken with other content):
        // nothing of the request may stay, so the transaction is rolled back.
        if (!appended.ok) throw new Refused(appended);
        return ok({ ...appended.value, spilled: configured.spilled + appended.value.spilled });
      });
      // A refusal rolled the schema back too when this write created it.
      if (result !== null && !result.ok && !hasTable(this.sql, "_migrations")) {
        this.schemaReady = false;
        this.facts.forget();
      }
      if (input.settings || result === null) this.facts.settingsMayChange();
      if (result === null) continue;
      if (!result.ok) return result;
      await this.afterWrite(result.value.row, result.value.spilled);
      return ok(result.value.receipt);
    }
  }

  /** Removes every message after `afterSeq`, if all of them are still in working memory. */
  async rewind(afterSeq: number): Promise<Result<RewindReceipt>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    const result = this.ctx.storage.transactionSync(() => rewindAfter(this.sql, row, afterSeq));
    if (!result.ok) return result;
    if (result.value.receipt.removed > 0) forgetMessageCounts(this.sql);
    await this.afterWrite(result.value.row, 0);
    return ok(result.value.receipt);
  }

  /** A page of messages by seq, working and archived alike. Cost grows with the page only. */
  async readMessages(query: MessagePageQuery): Promise<Result<MessagePage>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    const page = pageSeqs(row.next_seq - 1, query);
    // A page whose segments would be too many bytes ends early; its cursor goes on.
    const seqs = withinReadBudget(this.sql, page.seqs);
    const nextAfter = seqs.length < page.seqs.length ? (seqs.at(-1) ?? null) : page.nextAfter;
    return orUnavailable(async () => {
      const messages = await readBySeqs(this.sql, this.archive, seqs);
      return ok({ messages, nextAfter });
    });
  }

  /** What the model should see next, within a token budget (see `assembleContext`). */
  async context(request: ContextRequest): Promise<Result<ContextResponse>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    const budget = request.maxTokens ?? row.working_budget;
    if (request.recallTokens !== undefined && request.recallTokens > budget) {
      return fail("invalid_request", "recallTokens cannot exceed maxTokens", "recallTokens");
    }
    const count = await tokenCounter(this.env, row.tokenizer as TokenizerName);
    await this.work.backfillEmbeddings(row);
    return orUnavailable(async () => {
      const packed = await assembleContext(
        {
          sql: this.sql,
          archive: this.archive,
          count,
          searchMemories: row.user_id ? userMemorySearch(this.env, row.tenant, row.user_id) : null,
          embedder: embedderFor(this.env),
        },
        { summary: row.summary, summarizedThrough: row.summarized_through, nextSeq: row.next_seq },
        { ...request, maxTokens: budget },
      );
      if (!packed.ok) return packed;
      const usage = { ...packed.value.usage, tokenizer: row.tokenizer as TokenizerName };
      return ok({ ...packed.value, usage });
    });
  }

  /** Words, meaning or both over every message (working and archived), best first. */
  async search(query: { text: string; limit: number; mode?: SearchMode }) {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found") as Result<SearchHit[]>;
    await this.work.backfillEmbeddings(row);
    return searchMessages(this.sql, this.archive, embedderFor(this.env), query);
  }

  /**
   * One bounded step of removing the conversation (see `erase.ts`): KV segments a batch at
   * a time, then the memories scoped to it, then the directory entry, then the object's
   * storage. Progress is saved after each batch and the alarm resumes an erase whose caller
   * went away, so an erase of any size finishes; callers loop (`eraseConversation`).
   */
  async erase(): Promise<Result<EraseProgress>> {
    const row = this.storedRow();
    if (!row) return fail("not_found", "Conversation not found");
    return this.work.whileErasing(async () => {
      const erasure = beginErasure(this.sql, row);
      this.facts.erasureBegan();
      await this.ctx.storage.setAlarm(Date.now() + ERASE_RESUME_MS);
      if (await deleteSegmentBatch(this.sql, this.archive)) return ok({ done: false });
      if (!erasure.memories_done) {
        const scope = { kind: "conversation", id: row.id } as const;
        const batch = await eraseScopeMemories(this.env, row.tenant, scope, 1);
        recordMemoriesErased(this.sql, batch.erased, batch.done);
        if (!batch.done) return ok({ done: false });
      }
      const receipt = receiptOf(erasureOf(this.sql) ?? erasure);
      await directoryStub(this.env, row.tenant).forget(row.id);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      forgetVectorIndex(this.sql);
      this.facts.forget();
      this.schemaReady = false;
      return ok({ done: true, receipt });
    });
  }

  /** Runs whatever work is due. Alarms are retried and may repeat: every step is idempotent. */
  override async alarm(): Promise<void> {
    if (this.facts.erasing()) await this.erase();
    else if (this.row()) await this.work.runDue();
  }

  /** After a write (`row` as it left it): keep the directory listing current, schedule work. */
  private async afterWrite(row: ConversationRow, spilled: number): Promise<void> {
    await this.work.scheduleAfterWrite(row, spilled);
    await this.work.syncListing(row);
  }

  private ensureSchema(): void {
    if (this.schemaReady) return;
    applyMigrations(this.sql, CONVERSATION_MIGRATIONS, CONVERSATION_SNAPSHOT);
    this.schemaReady = true;
  }

  /** The conversation, or undefined when there is none or it is being erased. */
  private row(): ConversationRow | undefined {
    return this.facts.erasing() ? undefined : this.storedRow();
  }

  private storedRow(): ConversationRow | undefined {
    if (!this.schemaReady) return undefined;
    return this.sql.exec<ConversationRow>("SELECT * FROM conversation").toArray()[0];
  }
}
