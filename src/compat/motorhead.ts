import { type Context, Hono } from "hono";
import { conversationStub, eraseConversation } from "../durable/conversation/api";
import { directoryStub } from "../durable/directory/api";
import type { HonoEnv } from "../env";
import { invalidField } from "../http/errors";
import { checkMessages } from "../http/field-checks";
import { apiKeyAuth } from "../http/middleware/auth";
import { requestGuards } from "../http/middleware/request-guards";
import { asApiError, withErrorHeaders } from "../http/render";
import { unwrap } from "../http/unwrap";
import { validJsonBody } from "../http/validation";
import { limitsFrom } from "../limits";
import type { MessageInput, SearchHit } from "../memory/conversation";
import { MotorheadMemoryBody, MotorheadRetrievalBody } from "./motorhead-schemas";
import { inboundRole, outboundRole, withOriginalRole } from "./roles";
import { recentMessages, sessionIdOf, similarity } from "./sessions";

/** Motorhead's retrieval answers its ten nearest messages. */
const RETRIEVAL_LIMIT = 10;
/** `GET /sessions` reaches at most this far (page × size). */
const MAX_LISTING = 10_000;

const pageParam = (value: string | undefined, name: string, fallback: number, max: number) => {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw invalidField(name, `must be an integer from 1 to ${max}`);
  }
  return n;
};

/**
 * One mount of the Motorhead API. It is served twice: at `/compat/motorhead`, with the
 * key in `Authorization` or `x-metal-api-key`, and at `/compat/motorhead/key/:apiKey`
 * for stock clients that send no credentials to a self-hosted URL. The access log
 * records route patterns only, so the key segment never reaches a log.
 */
function motorheadApi() {
  const app = new Hono<HonoEnv>();

  app.get("/", (c) => c.json({ now: Date.now() }));

  const auth = apiKeyAuth({
    scope: "tenant",
    keyFrom: (c) => c.req.header("x-metal-api-key") ?? c.req.param("apiKey"),
  });
  for (const path of ["/sessions", "/sessions/*"]) app.use(path, auth, ...requestGuards());

  app.get("/sessions/:sessionId/memory", async (c) => {
    const recent = await recentMessages(c, sessionIdOf(c));
    if (!recent) return c.json({ messages: [], context: null, tokens: 0 });
    return c.json({
      messages: recent.messages.map((m) => ({
        role: outboundRole(m.role, m.metadata),
        content: m.content,
      })),
      context: recent.conversation.summary.text,
      tokens: recent.conversation.stats.workingTokenCount,
    });
  });

  app.post("/sessions/:sessionId/memory", async (c) => {
    const conversationId = sessionIdOf(c);
    const body = await validJsonBody(c, MotorheadMemoryBody);
    const messages: MessageInput[] = body.messages.map((m) => {
      const { role, original } = inboundRole(m.role);
      const metadata = withOriginalRole(undefined, original);
      return { role, content: m.content, ...(metadata ? { metadata } : {}) };
    });
    checkMessages(messages, limitsFrom(c.env));
    const tenant = c.get("tenant");
    const stub = conversationStub(c.env, tenant, conversationId);
    const ref = { tenant, conversationId };
    // As Motorhead does: the new context first, then the messages — in one transaction.
    const settings = body.context === undefined ? {} : { summary: { text: body.context } };
    if (messages.length > 0) unwrap(await stub.append({ ...ref, messages, settings }));
    else unwrap(await stub.configure(ref, settings));
    return c.json({ status: "Ok" });
  });

  app.delete("/sessions/:sessionId/memory", async (c) => {
    const erased = await eraseConversation(c.env, c.get("tenant"), sessionIdOf(c));
    // Motorhead deletes idempotently: an unknown session is fine.
    if (!erased.ok && erased.error.code !== "not_found") unwrap(erased);
    return c.json({ status: "Ok" });
  });

  app.post("/sessions/:sessionId/retrieval", async (c) => {
    const conversationId = sessionIdOf(c);
    const { text } = await validJsonBody(c, MotorheadRetrievalBody);
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const found = await stub.search({ text, limit: RETRIEVAL_LIMIT });
    if (!found.ok && found.error.code === "not_found") return c.json([]);
    const hits: SearchHit[] = unwrap(found);
    return c.json(
      hits.map(({ score, message }) => ({
        role: outboundRole(message.role, message.metadata),
        content: message.content,
        dist: 1 - similarity(score),
      })),
    );
  });

  app.get("/sessions", async (c) => {
    const page = pageParam(c.req.query("page"), "page", 1, MAX_LISTING);
    const size = pageParam(c.req.query("size"), "size", 10, 100);
    if (page * size > MAX_LISTING) {
      throw invalidField("page", `page × size must be at most ${MAX_LISTING}`);
    }
    const listed = await directoryStub(c.env, c.get("tenant")).list({ limit: page * size });
    return c.json(listed.ids.slice((page - 1) * size));
  });

  // Motorhead answers errors as `{ "error": "…" }` (the stock client reads JSON either way).
  app.onError((error, c) => {
    const apiError = asApiError(error, c);
    const body = {
      error: apiError.detail,
      ...(apiError.errors ? { errors: apiError.errors } : {}),
    };
    const response = c.json(body, apiError.status as 400);
    return withErrorHeaders(response, apiError);
  });
  return app;
}

export function motorheadRoutes() {
  const app = new Hono<HonoEnv>();
  const health = (c: Context<HonoEnv>) => c.json({ now: Date.now() });
  // Motorhead's health check is `GET /`: with and without the slash, no key needed.
  app.get("/compat/motorhead/", health);
  app.get("/compat/motorhead/key/:apiKey/", health);
  app.route("/compat/motorhead", motorheadApi());
  app.route("/compat/motorhead/key/:apiKey", motorheadApi());
  return app;
}
