import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import { conversationStub } from "../durable/conversation/api";
import type { HonoEnv } from "../env";
import { ApiError, invalidField } from "../http/errors";
import { authenticate } from "../http/middleware/auth";
import { fieldErrors } from "../http/validation";
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

/** The JSON body, validated; malformed JSON or a bad field is a 400 naming it. */
export async function bodyOf<S extends z.ZodType>(
  c: CompatContext,
  schema: S,
): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse((await c.req.text()) || "null");
  } catch {
    throw invalidField("", "the body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError("invalid_request", "Invalid request body", {
      errors: fieldErrors(parsed.error, "json"),
    });
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
    throw new ApiError(described.error.code, described.error.detail);
  }
  const conversation = described.value;
  const window = lastn ?? Math.max(conversation.stats.workingMessages, MIN_WINDOW);
  const limit = Math.min(window, MAX_WINDOW, conversation.stats.totalMessages);
  if (limit < 1) return { conversation, messages: [] };
  const page = await stub.readMessages({ order: "desc", limit });
  if (!page.ok) {
    if (page.error.code === "not_found") return null;
    throw new ApiError(page.error.code, page.error.detail);
  }
  return { conversation, messages: page.value.messages };
}

export interface CompatAuthOptions {
  /** Where else than `Authorization: Bearer` this API's clients put the key. */
  keyFrom?: (c: CompatContext) => string | undefined;
}

const BEARER = /^Bearer\s+([\x21-\x7e]{1,512})$/i;

/**
 * Tenant-key auth for the compat APIs. Failures are thrown as ApiError, so each
 * compat router renders them the way its stock clients expect.
 */
export function compatAuth(options: CompatAuthOptions = {}): MiddlewareHandler<HonoEnv> {
  return async function compatAuth(c, next) {
    const header = c.req.header("authorization");
    const key = (header ? BEARER.exec(header)?.[1] : undefined) ?? options.keyFrom?.(c);
    if (!key) {
      throw new ApiError("unauthorized", "Send your edgemem API key", {
        headers: { "www-authenticate": 'Bearer realm="edgemem"' },
      });
    }
    const principal = await authenticate(c, key);
    c.set("principal", principal);
    if (principal.kind !== "tenant" || !principal.tenant) {
      throw new ApiError("forbidden", "The root key administers keys; use a tenant key here");
    }
    c.set("tenant", principal.tenant);
    c.header("cache-control", "no-store");
    await next();
  };
}

/** An ApiError, or a bare 500 for anything unexpected (logged, never shown). */
export function asApiError(error: unknown, c: CompatContext): ApiError {
  if (error instanceof ApiError) return error;
  console.error(
    JSON.stringify({
      event: "unhandled_error",
      requestId: c.get("requestId"),
      error: String(error),
    }),
  );
  return new ApiError("internal", "Something went wrong on our side; retrying is safe");
}

/** The headers an ApiError carries (www-authenticate, retry-after), set on a compat response. */
export function withErrorHeaders(response: Response, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) {
    response.headers.set(name, value);
  }
  return response;
}

/** A domain failure as the ApiError it means (used where `unwrap` would lose the value type). */
export function failureError(error: { code: ApiError["code"]; detail: string }): ApiError {
  return new ApiError(error.code, error.detail);
}

/**
 * A BM25 score (higher is better, any sign) as a similarity in (0, 1): what Zep calls
 * `dist`; Motorhead's `dist` is a distance, one minus this.
 */
export const similarity = (score: number) => 1 / (1 + Math.exp(-score));
