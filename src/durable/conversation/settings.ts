import { utf8Bytes } from "../../limits";
import {
  type ConversationSettings,
  DEFAULT_SETTINGS,
  type Metadata,
  type SummarySettings,
} from "../../memory/conversation";
import { fail, type Result } from "../../memory/result";
import type { CountTokens, TokenizerName } from "../../memory/tokens";
import type { ConversationRef } from "./api";
import { erasureOf } from "./erase";
import type { ConversationRow } from "./rows";
import { readConversation, spillOverBudget, type Written } from "./writes";

export function insertConversation(
  sql: SqlStorage,
  ref: ConversationRef,
  settings: ConversationSettings,
  count?: CountTokens,
): ConversationRow {
  const now = new Date().toISOString();
  sql.exec(
    `INSERT INTO conversation (singleton, tenant, id, user_id, agent_id, metadata, tokenizer,
       working_budget, ttl_seconds, created_at, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ref.tenant,
    ref.conversationId,
    settings.userId ?? null,
    settings.agentId ?? null,
    JSON.stringify({ ...(settings.metadata ?? {}), ...(settings.metadataMerge ?? {}) }),
    settings.tokenizer ?? DEFAULT_SETTINGS.tokenizer,
    settings.workingTokens ?? DEFAULT_SETTINGS.workingTokens,
    settings.ttlSeconds === undefined ? DEFAULT_SETTINGS.ttlSeconds : settings.ttlSeconds,
    now,
    now,
  );
  const row = readConversation(sql);
  updateSummarySettings(sql, row, settings.summary, count);
  return readConversation(sql);
}

/** Strategy and size of the running summary, and a client-set text. */
function updateSummarySettings(
  sql: SqlStorage,
  row: ConversationRow,
  summary: SummarySettings | undefined,
  count: CountTokens | undefined,
): boolean {
  if (!summary) return false;
  const strategy = summary.strategy ?? row.summary_strategy;
  const maxTokens = summary.maxTokens ?? row.summary_max_tokens;
  let changed = strategy !== row.summary_strategy || maxTokens !== row.summary_max_tokens;
  sql.exec(
    "UPDATE conversation SET summary_strategy = ?, summary_max_tokens = ?",
    strategy,
    maxTokens,
  );
  if (summary.text !== undefined) {
    // A client's summary covers everything archived so far; later spills extend it.
    const text = summary.text === null || summary.text === "" ? null : summary.text;
    sql.exec(
      `UPDATE conversation SET summary = ?, summary_tokens = ?, summary_updated_at = ?,
         summarized_through = archived_through`,
      text,
      text === null || !count ? 0 : count(text),
      new Date().toISOString(),
    );
    changed = true;
  }
  return changed;
}

/** The metadata these settings leave: replaced, merged over the stored one, or unchanged. */
function metadataAfter(row: ConversationRow, settings: ConversationSettings): string {
  if (settings.metadata === undefined && settings.metadataMerge === undefined) return row.metadata;
  const base = settings.metadata ?? (JSON.parse(row.metadata) as Metadata);
  return JSON.stringify({ ...base, ...(settings.metadataMerge ?? {}) });
}

/** Why these settings cannot apply to this conversation, or null when they can. */
export function settingsConflict(
  row: ConversationRow,
  settings: ConversationSettings,
  maxMetadataBytes = Number.POSITIVE_INFINITY,
): Result<never> | null {
  if (settings.metadataMerge && utf8Bytes(metadataAfter(row, settings)) > maxMetadataBytes) {
    return fail(
      "invalid_request",
      `metadata merged into the conversation's would exceed ${maxMetadataBytes} bytes`,
      "metadata",
    );
  }
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

/** Applies the given settings; returns how many messages a lowered budget spilled, and the row. */
export function updateSettings(
  sql: SqlStorage,
  row: ConversationRow,
  settings: ConversationSettings,
  count?: CountTokens,
): Written {
  const next = {
    user_id: settings.userId === undefined ? row.user_id : settings.userId,
    agent_id: settings.agentId === undefined ? row.agent_id : settings.agentId,
    metadata: metadataAfter(row, settings),
    tokenizer: settings.tokenizer ?? row.tokenizer,
    working_budget: settings.workingTokens ?? row.working_budget,
    ttl_seconds: settings.ttlSeconds === undefined ? row.ttl_seconds : settings.ttlSeconds,
  };
  const summaryChanged = updateSummarySettings(sql, row, settings.summary, count);
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== row[k]);
  if (!changed && !summaryChanged) return { spilled: 0, row };
  sql.exec(
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
  const updated = readConversation(sql);
  return next.working_budget < row.working_budget
    ? spillOverBudget(sql, updated)
    : { spilled: 0, row: updated };
}

/**
 * What the object asks of SQLite on every request but rarely changes: the tokenizer and
 * whether an erase is under way. The object serialises its requests and is the only writer
 * of both, so each is read once and kept until one of its own writes may change it
 * (`settingsMayChange`, `erasureBegan`, `forget`). A new instance starts empty.
 */
export class ConversationFacts {
  private tokenizerName: TokenizerName | undefined;
  private erasingNow: boolean | undefined;

  constructor(
    private readonly sql: SqlStorage,
    /** False until the object has a schema: then there is nothing to read. */
    private readonly schemaReady: () => boolean,
  ) {}

  /** The conversation's tokenizer (the default before it exists). */
  tokenizer(): TokenizerName {
    if (!this.schemaReady()) return DEFAULT_SETTINGS.tokenizer;
    this.tokenizerName ??= (this.sql
      .exec<{ tokenizer: string }>("SELECT tokenizer FROM conversation")
      .toArray()[0]?.tokenizer ?? DEFAULT_SETTINGS.tokenizer) as TokenizerName;
    return this.tokenizerName;
  }

  erasing(): boolean {
    if (!this.schemaReady()) return false;
    this.erasingNow ??= erasureOf(this.sql) !== undefined;
    return this.erasingNow;
  }

  /** Before a write that may set the settings (PUT, an append that carries settings). */
  settingsMayChange(): void {
    this.tokenizerName = undefined;
  }

  erasureBegan(): void {
    this.erasingNow = true;
  }

  /** After the object's storage was deleted. */
  forget(): void {
    this.tokenizerName = undefined;
    this.erasingNow = undefined;
  }
}
