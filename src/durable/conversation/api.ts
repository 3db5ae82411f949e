import type { Env } from "../../env";
import type { ContextResponse } from "../../memory/context/types";
import type {
  AppendReceipt,
  Conversation,
  ConversationSettings,
  DeletionReceipt,
  MessageInput,
  MessagePage,
  RewindReceipt,
  SearchHit,
} from "../../memory/conversation";
import type { SearchMode } from "../../memory/match";
import { fail, ok, type Result } from "../../memory/result";

/**
 * What callers may ask of a conversation's object (ConversationMemory implements it).
 * Callers import this file, never the class, so no import points back up.
 */
export interface ConversationApi {
  describe(): Promise<Result<Conversation>>;
  configure(
    ref: ConversationRef,
    settings: ConversationSettings,
  ): Promise<Result<{ conversation: Conversation; created: boolean }>>;
  append(input: AppendInput): Promise<Result<AppendReceipt>>;
  rewind(afterSeq: number): Promise<Result<RewindReceipt>>;
  readMessages(query: MessagePageQuery): Promise<Result<MessagePage>>;
  search(query: { text: string; limit: number; mode?: SearchMode }): Promise<Result<SearchHit[]>>;
  context(request: ContextRequest): Promise<Result<ContextResponse>>;
  /** One bounded step of the erase; `eraseConversation` repeats it until done. */
  erase(): Promise<Result<EraseProgress>>;
}

/** How far an erase got: each call does a bounded amount, within one invocation's limits. */
export type EraseProgress = { done: false } | { done: true; receipt: DeletionReceipt };

export interface ConversationRef {
  tenant: string;
  conversationId: string;
}

export interface AppendInput extends ConversationRef {
  messages: MessageInput[];
  idempotencyKey?: string;
  /** Hash of the request body, so a reused key with another body is a conflict. */
  requestHash?: string;
  /**
   * Settings applied in the same transaction, before the messages (the compatibility
   * APIs set a summary or metadata with an append). The tokenizer cannot change here.
   */
  settings?: Omit<ConversationSettings, "tokenizer">;
}

export interface MessagePageQuery {
  order: "asc" | "desc";
  limit: number;
  /** The seq to continue after (exclusive). */
  after?: number;
}

export interface ContextRequest {
  maxTokens?: number;
  query?: string;
  recall?: number;
  recallTokens?: number;
  /** List every recall candidate with whether it was packed and why not. */
  explain?: boolean;
  /** How recall ranks (default: hybrid with an embedder, lexical without). */
  mode?: SearchMode;
  /** A day line before the first recent turn of each day. */
  dates?: boolean;
}

/**
 * Durable Object names. The tenant (from the API key, never from the request)
 * prefixes every name, and "/" — which no identifier may contain — separates the
 * parts, so no pair of tenant and id can spell another tenant's name.
 */
export const conversationObjectName = (tenant: string, conversationId: string) =>
  `t/${tenant}/conv/${conversationId}`;

/**
 * Every method is async and returns structured-clonable data, so a stub call returns
 * exactly that; the cast spares the compiler workers-types' deep mapped RPC types.
 */
export const conversationStub = (env: Env, tenant: string, conversationId: string) =>
  env.CONVERSATIONS.get(
    env.CONVERSATIONS.idFromName(conversationObjectName(tenant, conversationId)),
  ) as unknown as ConversationApi;

/**
 * Erase calls one request makes at most (each deletes up to 500 KV keys, in an invocation
 * of its own); a bigger erase goes on in the object's alarm and a retry gets the receipt.
 */
const ERASE_CALLS_PER_REQUEST = 40;

/** Erases the conversation, step after step, and answers its receipt. */
export async function eraseConversation(
  env: Env,
  tenant: string,
  conversationId: string,
): Promise<Result<DeletionReceipt>> {
  const stub = conversationStub(env, tenant, conversationId);
  for (let call = 0; call < ERASE_CALLS_PER_REQUEST; call++) {
    const step = await stub.erase();
    if (!step.ok) return step;
    if (step.value.done) return ok(step.value.receipt);
  }
  return fail("unavailable", "The conversation is being erased; retry to get the receipt");
}
