import { z } from "@hono/zod-openapi";
import { Hono, type MiddlewareHandler } from "hono";
import { sha256 } from "../auth/keys";
import { conversationStub, eraseConversation } from "../durable/conversation/api";
import type { HonoEnv } from "../env";
import { invalidField } from "../http/errors";
import { checkMessages, checkMetadata } from "../http/field-checks";
import { apiKeyAuth } from "../http/middleware/auth";
import { requestGuards } from "../http/middleware/request-guards";
import { asApiError, withErrorHeaders } from "../http/render";
import { failureError, unwrap } from "../http/unwrap";
import { validJsonBody } from "../http/validation";
import { limitsFrom } from "../limits";
import type {
  Conversation,
  MessageInput,
  Metadata,
  SearchHit,
  StoredMessage,
} from "../memory/conversation";
import { ID_PATTERN } from "../routes/schemas";
import { inboundRole, outboundRole, visibleMetadata, withOriginalRole } from "./roles";
import { MAX_WINDOW, recentMessages, sessionIdOf, similarity } from "./sessions";
import { ZepMemoryBody, type ZepMessageInput, ZepSearchBody, ZepSessionBody } from "./zep-schemas";

/** Zep's search answers at most this many hits. */
const MAX_SEARCH_RESULTS = 100;

/** The Zep server version this API answers as (`X-Zep-Version` on `/healthz`). */
export const ZEP_VERSION = "0.27.2";

/** Zep v0 clients check the server version on `/healthz` (they warn below 0.21.0). */
export function zepVersionHeader(): MiddlewareHandler<HonoEnv> {
  return async function zepVersionHeader(c, next) {
    await next();
    c.header("X-Zep-Version", ZEP_VERSION);
  };
}

const Timestamp = z.iso.datetime({ offset: true });

const ROLE_TYPES: Record<StoredMessage["role"], string> = {
  user: "user",
  assistant: "assistant",
  system: "system",
  developer: "system",
  tool: "tool",
};

/** A UUID-shaped id derived from text: Zep's clients expect one on a summary. */
async function uuidOf(text: string): Promise<string> {
  const hex = [...new Uint8Array(await sha256(text))]
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const zepMessage = (m: StoredMessage) => ({
  uuid: m.id,
  created_at: m.createdAt,
  role: outboundRole(m.role, m.metadata),
  role_type: ROLE_TYPES[m.role],
  content: m.content,
  metadata: visibleMetadata(m.metadata),
  token_count: m.tokens,
});

async function zepSummary(conversation: Conversation) {
  const { text, updatedAt } = conversation.summary;
  if (!text) return null;
  return {
    uuid: await uuidOf(`${conversation.id}\n${updatedAt ?? ""}`),
    created_at: updatedAt ?? conversation.updatedAt,
    content: text,
    token_count: conversation.stats.summaryTokens,
  };
}

const zepSession = (conversation: Conversation) => ({
  uuid: conversation.id,
  session_id: conversation.id,
  created_at: conversation.createdAt,
  updated_at: conversation.updatedAt,
  metadata: conversation.metadata,
  user_id: conversation.userId,
});

/** A count in a query (`lastn`, `limit`): absent, empty or 0 mean none; else 1 to `max`. */
function countParam(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined || value === "" || value === "0") return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw invalidField(name, `must be an integer from 1 to ${max}`);
  }
  return n;
}

function toMessageInput(m: z.infer<typeof ZepMessageInput>): MessageInput {
  const { role, original } = inboundRole(m.role, m.role_type);
  const metadata = withOriginalRole(m.metadata ?? undefined, original);
  return {
    role,
    content: m.content,
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
    // A client-chosen uuid makes the message idempotent, as an edgemem message id does.
    ...(m.uuid && m.uuid.length <= 128 && ID_PATTERN.test(m.uuid) ? { id: m.uuid } : {}),
    ...(m.created_at && Timestamp.safeParse(m.created_at).success
      ? { createdAt: m.created_at }
      : {}),
  };
}

/** The Zep v0 memory API at the paths its clients call (`/api/v1/...`, against the host root). */
export function zepRoutes() {
  const app = new Hono<HonoEnv>();
  app.use("/api/v1/*", apiKeyAuth({ scope: "tenant" }), ...requestGuards());

  app.get("/api/v1/sessions/:sessionId/memory", async (c) => {
    const lastn = countParam(c.req.query("lastn"), "lastn", MAX_WINDOW);
    const recent = await recentMessages(c, sessionIdOf(c), lastn);
    if (!recent) return c.text("session not found", 404);
    return c.json({
      messages: [...recent.messages].reverse().map(zepMessage),
      summary: await zepSummary(recent.conversation),
      metadata: recent.conversation.metadata,
    });
  });

  app.post("/api/v1/sessions/:sessionId/memory", async (c) => {
    const conversationId = sessionIdOf(c);
    const body = await validJsonBody(c, ZepMemoryBody);
    const messages = (body.messages ?? []).map(toMessageInput);
    const limits = limitsFrom(c.env);
    checkMessages(messages, limits);
    const tenant = c.get("tenant");
    const ref = { tenant, conversationId };
    const stub = conversationStub(c.env, tenant, conversationId);
    const settings: { metadataMerge?: Metadata; summary?: { text: string } } = {};
    if (body.metadata && Object.keys(body.metadata).length > 0) {
      // Zep merges memory metadata into the session's: in the object, in the write's transaction.
      checkMetadata(body.metadata, "metadata", limits);
      settings.metadataMerge = body.metadata;
    }
    if (body.summary) settings.summary = { text: body.summary.content };
    // Messages and the session's metadata and summary change together, in one transaction.
    if (messages.length > 0) unwrap(await stub.append({ ...ref, messages, settings }));
    else unwrap(await stub.configure(ref, settings));
    return c.text("OK", 200);
  });

  app.delete("/api/v1/sessions/:sessionId/memory", async (c) => {
    const erased = await eraseConversation(c.env, c.get("tenant"), sessionIdOf(c));
    if (!erased.ok) {
      if (erased.error.code === "not_found") return c.text("session not found", 404);
      throw failureError(erased.error);
    }
    return c.text("OK", 200);
  });

  app.post("/api/v1/sessions/:sessionId/search", async (c) => {
    const conversationId = sessionIdOf(c);
    const limit = countParam(c.req.query("limit"), "limit", MAX_SEARCH_RESULTS) ?? 10;
    const { text } = await validJsonBody(c, ZepSearchBody);
    if (!text) return c.json([]);
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const found = await stub.search({ text, limit });
    if (!found.ok && found.error.code === "not_found") return c.text("session not found", 404);
    const hits: SearchHit[] = unwrap(found);
    // Zep's `dist` is a similarity: higher is closer.
    return c.json(
      hits.map(({ score, message }) => ({
        message: zepMessage(message),
        summary: null,
        metadata: {},
        dist: similarity(score),
      })),
    );
  });

  app.get("/api/v1/sessions/:sessionId", async (c) => {
    const described = await conversationStub(c.env, c.get("tenant"), sessionIdOf(c)).describe();
    if (!described.ok) {
      if (described.error.code === "not_found") return c.text("session not found", 404);
      throw failureError(described.error);
    }
    return c.json(zepSession(described.value));
  });

  app.post("/api/v1/sessions", async (c) => {
    const body = await validJsonBody(c, ZepSessionBody);
    const metadata = body.metadata ?? undefined;
    checkMetadata(metadata, "metadata", limitsFrom(c.env));
    const tenant = c.get("tenant");
    const stub = conversationStub(c.env, tenant, body.session_id);
    const { conversation }: { conversation: Conversation } = unwrap(
      await stub.configure(
        { tenant, conversationId: body.session_id },
        { ...(metadata ? { metadata } : {}), ...(body.user_id ? { userId: body.user_id } : {}) },
      ),
    );
    return c.json(zepSession(conversation), 201);
  });

  // Zep's server answers errors as plain text; its clients read the status only.
  app.onError((error, c) => {
    const apiError = asApiError(error, c);
    const fields = apiError.errors?.map((e) => `${e.path || "(body)"}: ${e.message}`) ?? [];
    const text = [apiError.detail, ...fields].join("\n");
    return withErrorHeaders(c.text(text, apiError.status as 400), apiError);
  });
  return app;
}
