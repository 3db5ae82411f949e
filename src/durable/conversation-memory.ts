import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import {
  type AppendReceipt,
  type Conversation,
  type ConversationSettings,
  DEFAULT_SETTINGS,
  type DeletionReceipt,
  type MessageInput,
  type MessagePage,
} from "../memory/conversation";
import { fail, ok, type Result } from "../memory/result";
import { loadTokenCounter, type TokenizerName } from "../memory/tokens";
import {
  type ConversationRow,
  MESSAGE_COLUMNS,
  type MessageRow,
  toConversation,
  toStoredMessage,
} from "./conversation-rows";
import { CONVERSATION_MIGRATIONS } from "./conversation-schema";
import { appendMessages, spillOverBudget } from "./conversation-writes";
import { applyMigrations, hasTable } from "./migrations";
import { directoryStub } from "./stubs";

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

/**
 * One conversation's working memory. Every write is one synchronous SQLite
 * transaction, so ordering, exactly-once appends and counters hold without locks.
 * A conversation that was never written has no schema at all: reads of it cost
 * no storage.
 */
export class ConversationMemory extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private schemaReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => {
      if (hasTable(this.sql, "_migrations")) this.ensureSchema();
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
        this.create(ref, settings);
        return ok(true);
      }
      const conflict = settingsConflict(existing, settings);
      if (conflict) return conflict;
      this.updateSettings(existing, settings);
      return ok(false);
    });
    if (!result.ok) return result;
    await this.syncDirectory();
    return ok({ conversation: toConversation(this.mustRow()), created: result.value });
  }

  async append(input: AppendInput): Promise<Result<AppendReceipt>> {
    for (;;) {
      const tokenizer = (this.row()?.tokenizer ?? DEFAULT_SETTINGS.tokenizer) as TokenizerName;
      const count = await loadTokenCounter(tokenizer);
      const tokens = input.messages.map((m) => count(m.content));
      const result = this.ctx.storage.transactionSync(() => {
        const row = this.row() ?? this.create(input, {});
        // A PUT may have changed the tokenizer while we loaded it: count again.
        if (row.tokenizer !== tokenizer) return null;
        return appendMessages(this.sql, input, tokens);
      });
      if (result === null) continue;
      if (result.ok) await this.syncDirectory();
      return result;
    }
  }

  async readMessages(query: {
    order: "asc" | "desc";
    limit: number;
    after?: number;
  }): Promise<Result<MessagePage>> {
    if (!this.row()) return fail("not_found", "Conversation not found");
    const asc = query.order === "asc";
    const bound = query.after ?? (asc ? 0 : Number.MAX_SAFE_INTEGER);
    const rows = this.sql
      .exec<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq ${asc ? ">" : "<"} ? ORDER BY seq ${asc ? "ASC" : "DESC"} LIMIT ?`,
        bound,
        query.limit + 1,
      )
      .toArray();
    const page = rows.slice(0, query.limit).map(toStoredMessage);
    const last = page.at(-1);
    return ok({ messages: page, nextAfter: rows.length > query.limit && last ? last.seq : null });
  }

  /** Removes the conversation entirely: directory entry first, so a retry can finish the job. */
  async erase(): Promise<Result<DeletionReceipt>> {
    const row = this.row();
    if (!row) return fail("not_found", "Conversation not found");
    await directoryStub(this.env, row.tenant).forget(row.id);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
    return ok({ messages: row.next_seq - 1, segments: 0, memories: 0 });
  }

  private create(ref: ConversationRef, settings: ConversationSettings): ConversationRow {
    this.ensureSchema();
    const now = new Date().toISOString();
    this.sql.exec(
      `INSERT INTO conversation (singleton, tenant, id, user_id, agent_id, metadata, tokenizer,
         working_budget, ttl_seconds, created_at, updated_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ref.tenant,
      ref.conversationId,
      settings.userId ?? null,
      settings.agentId ?? null,
      JSON.stringify(settings.metadata ?? {}),
      settings.tokenizer ?? DEFAULT_SETTINGS.tokenizer,
      settings.workingTokens ?? DEFAULT_SETTINGS.workingTokens,
      settings.ttlSeconds === undefined ? DEFAULT_SETTINGS.ttlSeconds : settings.ttlSeconds,
      now,
      now,
    );
    return this.mustRow();
  }

  private updateSettings(row: ConversationRow, settings: ConversationSettings): void {
    const next = {
      user_id: settings.userId === undefined ? row.user_id : settings.userId,
      agent_id: settings.agentId === undefined ? row.agent_id : settings.agentId,
      metadata: settings.metadata === undefined ? row.metadata : JSON.stringify(settings.metadata),
      tokenizer: settings.tokenizer ?? row.tokenizer,
      working_budget: settings.workingTokens ?? row.working_budget,
      ttl_seconds: settings.ttlSeconds === undefined ? row.ttl_seconds : settings.ttlSeconds,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== row[k]);
    if (!changed) return;
    this.sql.exec(
      `UPDATE conversation SET user_id = ?, agent_id = ?, metadata = ?, tokenizer = ?,
         working_budget = ?, ttl_seconds = ?, updated_at = ?, version = version + 1`,
      next.user_id,
      next.agent_id,
      next.metadata,
      next.tokenizer,
      next.working_budget,
      next.ttl_seconds,
      new Date().toISOString(),
    );
    if (next.working_budget < row.working_budget) spillOverBudget(this.sql);
  }

  /** Lists the conversation in its tenant's directory once, and again when its owner is set. */
  private async syncDirectory(): Promise<void> {
    const row = this.row();
    if (!row || (row.listed === 1 && row.listed_user_id === row.user_id)) return;
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

function settingsConflict(row: ConversationRow, settings: ConversationSettings) {
  if (settings.userId !== undefined && row.user_id !== null && settings.userId !== row.user_id) {
    return fail("conflict", "userId is already set to a different value", "userId");
  }
  if (
    settings.tokenizer !== undefined &&
    settings.tokenizer !== row.tokenizer &&
    row.next_seq > 1
  ) {
    return fail("conflict", "tokenizer cannot change once messages exist", "tokenizer");
  }
  return null;
}
