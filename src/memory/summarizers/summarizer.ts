import type { Role } from "../conversation";
import type { CountTokens } from "../tokens";

/** A message leaving working memory, as a summarizer sees it. */
export interface LeavingMessage {
  id?: string;
  seq?: number;
  role: Role;
  content: string;
  name?: string | null;
  createdAt?: string;
  /** The content as sent, when not a string: tells a tool's output (`isToolOutput`). */
  sentContent?: readonly { type: string; [key: string]: unknown }[] | null;
}

export interface SummaryRequest {
  /** The running summary so far (or a summary text a client set), null at first. */
  previousSummary: string | null;
  /** Oldest first. */
  leaving: readonly LeavingMessage[];
  /** The new summary must count at most this many tokens with `count`. */
  maxTokens: number;
  count: CountTokens;
}

/**
 * Folds messages leaving working memory into the running summary. Implementations never
 * reject: a model that fails or times out falls back to the extractive summarizer, so the
 * alarm that calls this always makes progress.
 */
export interface Summarizer {
  readonly name: string;
  summarize(request: SummaryRequest): Promise<string>;
}

/** The chat-completions messages shape shared by OpenAI-compatible APIs and Workers AI. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A fact stated by the user, with the ids of the messages it came from. */
export interface ExtractedFact {
  text: string;
  sourceIds: string[];
}

/**
 * Turns user-stated facts in leaving messages into long-term memory candidates. Like
 * summarizers, implementations never reject; on failure they return no facts.
 */
export interface FactExtractor {
  readonly name: string;
  extract(leaving: readonly LeavingMessage[]): Promise<ExtractedFact[]>;
}
