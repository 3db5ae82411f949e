import type { ContentPart, MessageContent, ToolCall } from "../chat/messages";
import type { ResponseItem } from "../chat/response-items";
import type { Role } from "../conversation";
import type { TermWeight } from "../coverage";
import type { CountTokens, TokenizerName } from "../tokens";
import type { RecallTurn } from "./passages";
import type { RecallCandidate } from "./recall";

/** A message as stored: `tokens` counts its content with the conversation's tokenizer. */
export interface PinnedMessage {
  role: Role;
  /** The text (text parts joined), what search, summary and "sent twice" compare. */
  content: string;
  /** The content as the app sent it, when it was not a string (parts, or null). */
  sentContent?: ContentPart[] | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** A Responses API item as sent: the context sends it as is. */
  item?: ResponseItem;
  name?: string | null;
  /** Counts everything the message sends (text, images, tool calls). */
  tokens: number;
  /** When given, recall never repeats this message either. */
  seq?: number;
}

/** An unpinned working-memory message, a candidate for the recent turns. */
export interface RecentTurn extends PinnedMessage {
  seq: number;
  /** When it was said (ISO 8601), for the day lines of `PackInput.dates`. */
  createdAt?: string;
}

/**
 * One entry of the returned `messages`, ready for a chat-completions call, or a Responses
 * API item as the app sent it.
 */
export type ContextMessage =
  | {
      role: Role;
      content: MessageContent;
      name?: string;
      tool_calls?: ToolCall[];
      tool_call_id?: string;
    }
  | ResponseItem;

/** A recalled item as the response lists it (API.md: `recalled[]`). */
export interface RecalledItem {
  kind: "message" | "memory";
  id: string;
  seq?: number;
  text: string;
  score: number;
  /** The turns the note quotes around a message hit (it stands in their middle). */
  passage?: { fromSeq: number; toSeq: number };
  /** `text` is the part of the message the query is about: the whole did not fit. */
  excerpt?: true;
}

/** `usage` without `tokenizer`, which the caller knows and adds. */
export interface ContextUsage {
  budget: number;
  pinned: number;
  summary: number;
  recalled: number;
  recent: number;
  total: number;
}

export interface PackInput {
  pinned: readonly PinnedMessage[];
  summary: string | null;
  /** The last seq the summary has folded in; 0 when unknown (a summary a client set). */
  summaryThrough?: number;
  /** Best first (see `fuseRankings`). More than `recallLimit` may be given: some drop out. */
  recalled: readonly RecallCandidate[];
  /** Archived turns read for recall: the hits and the turns around them, by seq. */
  recallTurns?: ReadonlyMap<number, RecallTurn>;
  /** Newest first, read lazily: only as far as the budget reaches, then closed. */
  recentNewestFirst: Iterable<RecentTurn>;
  /** Older turns exist than `recentNewestFirst` yields (beyond what was read). */
  olderTurns?: boolean;
  maxTokens: number;
  /** Cap on `usage.recalled` (overhead included). Default: the share policy below. */
  recallTokens?: number;
  /** At most this many recalled items (API `recall`). Default: no limit. */
  recallLimit?: number;
  /** 0..1, how strongly the query matches old material (`recallStrength`). Default 0. */
  recallStrength?: number;
  /** List every candidate with whether it was packed, and why not (`explain`). */
  explain?: boolean;
  /** A day line (`system`) before the first recent turn of each day (API `dates`). */
  dates?: boolean;
  /** What recall searched for, and how much each of its words says: for excerpts. */
  query?: string | null;
  weight?: TermWeight;
  count: CountTokens;
}

export interface PackedContext {
  messages: ContextMessage[];
  /** The summary as included in `messages`, or null when absent or left out. */
  summary: string | null;
  recalled: RecalledItem[];
  usage: ContextUsage;
  truncated: boolean;
  explain?: { candidates: ExplainedCandidate[] };
}

/** Why a recall candidate was not packed. */
export type LeftOut = "recent" | "duplicate" | "cutoff" | "budget";

/** One recall candidate as `explain=true` lists it, best first. */
export interface ExplainedCandidate {
  kind: "message" | "memory";
  id: string;
  seq?: number;
  text: string;
  score: number;
  /** 1-based ranks in each ranking before fusion (null: not found by it). */
  match: { lexical: number | null; semantic: number | null };
  packed: boolean;
  /** Null when packed: `recent` (a pinned or recent turn already), `duplicate` (its text is
   * in the context already), `cutoff` (past `recall`), `budget` (no room). */
  reason: LeftOut | null;
}

/** The context endpoint's answer (API.md, Context). */
/** A recalled item with the ranks that found it (API.md, Semantic search). */
export type MatchedItem = RecalledItem & {
  match: { lexical: number | null; semantic: number | null };
};

export interface ContextResponse extends Omit<PackedContext, "usage" | "recalled"> {
  usage: PackedContext["usage"] & { tokenizer: TokenizerName };
  recalled: MatchedItem[];
}

/** Per-message overhead of chat formatting (API.md, Token counts). */
export const MESSAGE_OVERHEAD = 3;
export const NAME_OVERHEAD = 1;

export const hasName = (m: { name?: string | null }): m is { name: string } =>
  typeof m.name === "string" && m.name.length > 0;

/** What a message costs in a context: its content tokens plus chat-format overhead. */
export function messageCost(tokens: number, name?: string | null): number {
  return tokens + MESSAGE_OVERHEAD + (hasName({ name }) ? NAME_OVERHEAD : 0);
}

/** A stored message's cost in a context; a tool message never carries `name` (OpenAI rejects it). */
export const turnCost = (m: Pick<PinnedMessage, "role" | "tokens" | "name">): number =>
  messageCost(m.tokens, m.role === "tool" ? null : m.name);
