import type { Context } from "hono";
import { conversationStub } from "../durable/conversation/api";
import type { HonoEnv } from "../env";
import { invalidField } from "../http/errors";
import { failureError } from "../http/unwrap";
import type { Conversation, StoredMessage } from "../memory/conversation";
import { Id } from "../routes/schemas";

/** At least this many recent messages, even when working memory holds fewer (after an idle flush). */
export const MIN_WINDOW = 12;
/** At most this many messages in one compat read (one page of the messages RPC). */
export const MAX_WINDOW = 500;

type CompatContext = Context<HonoEnv>;

/** The session id of the path, held to edgemem's identifier syntax (400 otherwise). */
export function sessionIdOf(c: CompatContext): string {
  const id = c.req.param("sessionId");
  const parsed = Id.safeParse(id);
  if (!parsed.success) throw invalidField("sessionId", parsed.error.issues[0]?.message ?? "bad id");
  return parsed.data;
}

export interface RecentMessages {
  conversation: Conversation;
  /** Newest first. */
  messages: StoredMessage[];
}

/**
 * The session's recent messages, as Motorhead's window and Zep's message window mean
 * them: the messages still in working memory (older ones are what the summary covers),
 * at least MIN_WINDOW of them, or exactly the newest `lastn` when one is asked for.
 * Null when the conversation does not exist.
 */
export async function recentMessages(
  c: CompatContext,
  conversationId: string,
  lastn?: number,
): Promise<RecentMessages | null> {
  const stub = conversationStub(c.env, c.get("tenant"), conversationId);
  const described = await stub.describe();
  if (!described.ok) {
    if (described.error.code === "not_found") return null;
    throw failureError(described.error);
  }
  const conversation = described.value;
  const window = lastn ?? Math.max(conversation.stats.workingMessages, MIN_WINDOW);
  const limit = Math.min(window, MAX_WINDOW, conversation.stats.totalMessages);
  if (limit < 1) return { conversation, messages: [] };
  const page = await stub.readMessages({ order: "desc", limit });
  if (!page.ok) {
    if (page.error.code === "not_found") return null;
    throw failureError(page.error);
  }
  return { conversation, messages: page.value.messages };
}

/**
 * A BM25 score (higher is better, any sign) as a similarity in (0, 1): what Zep calls
 * `dist`; Motorhead's `dist` is a distance, one minus this.
 */
export const similarity = (score: number) => 1 / (1 + Math.exp(-score));
