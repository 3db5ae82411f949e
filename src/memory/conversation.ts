import type { ContentPart, MessageContent, ToolFields } from "./chat/messages";
import type { Match } from "./match";
import type { TokenizerName } from "./tokens";

/** `developer`: what OpenAI now calls the instructions of reasoning models (a system message). */
export type Role = "system" | "developer" | "user" | "assistant" | "tool";
export type Tier = "working" | "archived";
/** A JSON object (parsed from a request body or from storage). */
export type Metadata = Record<string, unknown>;

/**
 * How the running summary is kept: `auto` uses the deployment's configured model and
 * falls back to `extractive`; `off` keeps whatever text a client sets.
 */
export const SUMMARY_STRATEGIES = ["auto", "extractive", "model", "off"] as const;
export type SummaryStrategy = (typeof SUMMARY_STRATEGIES)[number];

export interface SummarySettings {
  strategy?: SummaryStrategy;
  maxTokens?: number;
  /** Replaces the summary text; it then covers every message archived so far. */
  text?: string | null;
}

export interface ConversationSettings {
  userId?: string | null;
  agentId?: string | null;
  metadata?: Metadata;
  /**
   * Keys set over the stored metadata in the same transaction (Zep's merge). Not part of
   * the public PUT, which replaces `metadata` whole.
   */
  metadataMerge?: Metadata;
  tokenizer?: TokenizerName;
  workingTokens?: number;
  ttlSeconds?: number | null;
  summary?: SummarySettings;
}

export const DEFAULT_SETTINGS = {
  tokenizer: "o200k_base" as TokenizerName,
  workingTokens: 4000,
  ttlSeconds: 604_800 as number | null,
};

export interface ConversationStats {
  workingMessages: number;
  workingTokenCount: number;
  archivedMessages: number;
  totalMessages: number;
  summaryTokens: number;
}

export interface Conversation {
  id: string;
  userId: string | null;
  agentId: string | null;
  metadata: Metadata;
  tokenizer: TokenizerName;
  workingTokens: number;
  ttlSeconds: number | null;
  stats: ConversationStats;
  summary: {
    strategy: SummaryStrategy;
    maxTokens: number;
    text: string | null;
    updatedAt: string | null;
  };
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  version: number;
}

export interface MessageInput extends ToolFields {
  role: Role;
  content: MessageContent;
  name?: string;
  id?: string;
  metadata?: Metadata;
  pinned?: boolean;
  createdAt?: string;
}

/**
 * A message as the object stores it. `content` is its text (`messageText`), what search,
 * summaries and recall read; `sentContent` is present when the app sent something other
 * than a string (an array of parts, or null), and `asSent` gives the message back as sent.
 */
export interface StoredMessage extends ToolFields {
  id: string;
  seq: number;
  role: Role;
  content: string;
  sentContent?: ContentPart[] | null;
  name: string | null;
  metadata: Metadata;
  pinned: boolean;
  tokens: number;
  createdAt: string;
  tier: Tier;
}

/** A message as the API returns it (list, search, export): content and tool fields as sent. */
export type SentMessage = Omit<StoredMessage, "content" | "sentContent"> & {
  content: MessageContent;
};

/** The message as the app sent it (API.md, Messages): content back in its sent form. */
export function asSent(message: StoredMessage): SentMessage {
  const { id, seq, role, sentContent, content, ...rest } = message;
  return { id, seq, role, content: sentContent === undefined ? content : sentContent, ...rest };
}

export interface AppendedMessage {
  id: string;
  seq: number;
  tokens: number;
  createdAt: string;
  duplicate: boolean;
}

export interface AppendReceipt {
  messages: AppendedMessage[];
  conversation: Pick<
    ConversationStats,
    "workingMessages" | "workingTokenCount" | "archivedMessages"
  > & { version: number };
}

/** What a rewind removed, and the counters after it. */
export interface RewindReceipt {
  removed: number;
  conversation: AppendReceipt["conversation"];
}

export interface MessagePage {
  messages: StoredMessage[];
  /** The seq to continue after (exclusive), or null on the last page. */
  nextAfter: number | null;
}

export interface SearchHit {
  /** Higher is better: BM25 by words, cosine similarity by meaning, fused in hybrid mode. */
  score: number;
  message: StoredMessage;
  /** Which ranking found the message, at what rank (API.md, Semantic search). */
  match: Match;
}

export interface DeletionReceipt {
  messages: number;
  segments: number;
  memories: number;
}
