import type {
  AppendReceipt,
  Conversation,
  Metadata,
  Role,
  StoredMessage,
  SummaryStrategy,
  Tier,
} from "../../memory/conversation";
import type { TokenizerName } from "../../memory/tokens";

/** The `conversation` table's single row, as SQLite returns it. */
export interface ConversationRow extends Record<string, SqlStorageValue> {
  tenant: string;
  id: string;
  user_id: string | null;
  agent_id: string | null;
  metadata: string;
  tokenizer: string;
  working_budget: number;
  ttl_seconds: number | null;
  created_at: string;
  updated_at: string;
  last_message_at: string | null;
  version: number;
  next_seq: number;
  working_tokens: number;
  working_messages: number;
  archived_messages: number;
  summary: string | null;
  summary_tokens: number;
  listed_user_id: string | null;
  listed: number;
  next_segment: number;
  outbox_since: number | null;
  summary_strategy: string;
  summary_max_tokens: number;
  summary_updated_at: string | null;
  /** Every unpinned message up to this seq has been folded into the summary. */
  summarized_through: number;
  /** Every unpinned message up to this seq has left working memory. */
  archived_through: number;
}

export interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  content: string;
  name: string | null;
  metadata: string | null;
  pinned: number;
  tokens: number;
  created_at: string;
  tier: string;
  segment: number | null;
  /** The content as sent (JSON) when it was not a string; `content` holds its text. */
  content_json: string | null;
  /** `tool_calls` as sent (JSON). */
  tool_calls: string | null;
  tool_call_id: string | null;
  /** The Responses API item as sent (JSON), when the message was appended as one. */
  item_json: string | null;
}

/** A message's text and the fields it was sent with: what its size is made of. */
export const SENT_COLUMNS = ["content", "content_json", "tool_calls", "item_json"] as const;

export const MESSAGE_COLUMNS =
  "seq, id, role, content, name, metadata, pinned, tokens, created_at, tier, segment, content_json, tool_calls, tool_call_id, item_json";

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    userId: row.user_id,
    agentId: row.agent_id,
    metadata: JSON.parse(row.metadata) as Metadata,
    tokenizer: row.tokenizer as TokenizerName,
    workingTokens: row.working_budget,
    ttlSeconds: row.ttl_seconds,
    stats: {
      workingMessages: row.working_messages,
      workingTokenCount: row.working_tokens,
      archivedMessages: row.archived_messages,
      totalMessages: row.next_seq - 1,
      summaryTokens: row.summary_tokens,
    },
    summary: {
      strategy: row.summary_strategy as SummaryStrategy,
      maxTokens: row.summary_max_tokens,
      text: row.summary,
      updatedAt: row.summary_updated_at,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastMessageAt: row.last_message_at,
    version: row.version,
  };
}

export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    seq: row.seq,
    role: row.role as Role,
    content: row.content,
    name: row.name,
    metadata: row.metadata ? (JSON.parse(row.metadata) as Metadata) : {},
    pinned: row.pinned === 1,
    tokens: row.tokens,
    createdAt: row.created_at,
    // Outbox rows (waiting for KV) and spilled rows (kept while KV propagates) are archived.
    tier: (row.tier === "working" ? "working" : "archived") as Tier,
    ...sentFields(row),
  };
}

/**
 * The OpenAI fields of a row, present only when the app sent them (a message sent
 * without them is returned without them).
 */
export function sentFields(
  row: Pick<MessageRow, "content_json" | "tool_calls" | "tool_call_id" | "item_json">,
): Pick<StoredMessage, "sentContent" | "tool_calls" | "tool_call_id" | "item"> {
  return {
    ...(row.content_json !== null
      ? { sentContent: JSON.parse(row.content_json) as StoredMessage["sentContent"] }
      : {}),
    ...(row.tool_calls !== null
      ? { tool_calls: JSON.parse(row.tool_calls) as StoredMessage["tool_calls"] }
      : {}),
    ...(row.tool_call_id !== null ? { tool_call_id: row.tool_call_id } : {}),
    ...(row.item_json !== null
      ? { item: JSON.parse(row.item_json) as NonNullable<StoredMessage["item"]> }
      : {}),
  };
}

export function receiptCounters(row: ConversationRow): AppendReceipt["conversation"] {
  return {
    workingMessages: row.working_messages,
    workingTokenCount: row.working_tokens,
    archivedMessages: row.archived_messages,
    version: row.version,
  };
}
