import { createRoute, z } from "@hono/zod-openapi";
import { conversationStub } from "../durable/conversation/api";
import { COMMON_ERRORS, errorResponses, invalidField } from "../http/errors";
import { checkMessages, checkSearchMode } from "../http/field-checks";
import { json, newRouter, security } from "../http/router";
import { unwrap } from "../http/unwrap";
import { limitsFrom } from "../limits";
import { asRequestMessage } from "../memory/chat/completion-message";
import { asItemMessage } from "../memory/chat/item-message";
import type { MessageInput } from "../memory/conversation";
import {
  type AppendReceipt,
  asSent,
  type MessagePage,
  type SearchHit,
} from "../memory/conversation";
import { decodeCursor, encodeCursor } from "../memory/cursor";
import { sha256Hex } from "../memory/digest";
import { AppendBody, AppendResponse, StoredMessageSchema } from "./message-schemas";
import {
  ConversationParams,
  CursorQuery,
  ID_PATTERN,
  IdempotencyHeaders,
  limitQuery,
  queryInteger,
  RewindBody,
  RewindResponse,
} from "./schemas";
import { MatchSchema, SearchModeField } from "./search-mode-schemas";

const TAGS = ["Messages"];

const appendMessages = createRoute({
  method: "post",
  path: "/v1/conversations/{conversationId}/messages",
  tags: TAGS,
  security,
  summary: "Append messages (exactly once, in order)",
  description:
    "Appends 1–100 messages atomically and gives each the next `seq`. Creates the conversation if needed. A message whose `id` exists is returned with `duplicate: true` and not appended again; a retried request with the same `Idempotency-Key` returns the first response. When working memory exceeds its budget, the oldest unpinned messages move to long-term storage; they stay readable.",
  request: {
    params: ConversationParams,
    headers: IdempotencyHeaders,
    body: { content: json(AppendBody), required: true },
  },
  responses: {
    201: { description: "Appended (or replayed).", content: json(AppendResponse) },
    ...errorResponses(...COMMON_ERRORS, "conflict"),
  },
});

const rewindConversation = createRoute({
  method: "post",
  path: "/v1/conversations/{conversationId}/rewind",
  tags: TAGS,
  security,
  summary: "Remove the last turns (regenerate, edit the last message)",
  description:
    "Removes every message with `seq > afterSeq`, so an app can regenerate an answer or edit its last turns: rewind to just before them, then append the new version (removed ids may be used again; the next append gets `seq` `afterSeq + 1`). Allowed only while every removed message is still in working memory (else 409: archived messages are never rewritten). Search, the summary and the counters no longer see the removed messages, and an `Idempotency-Key` whose append wrote one of them is forgotten. `afterSeq` at or past the last `seq` removes nothing.",
  request: {
    params: ConversationParams,
    body: { content: json(RewindBody), required: true },
  },
  responses: {
    200: { description: "Rewound.", content: json(RewindResponse) },
    ...errorResponses(...COMMON_ERRORS, "not_found", "conflict"),
  },
});

const MessagesQuery = z.object({
  order: z
    .enum(["asc", "desc"])
    .default("asc")
    .openapi({ description: "By `seq`.", example: "asc" }),
  limit: limitQuery(500, 100),
  cursor: CursorQuery,
  fromSeq: queryInteger().min(1).max(Number.MAX_SAFE_INTEGER).optional().openapi({
    description:
      "Start at this `seq` (included) and go on in `order`, instead of at the first or last message: jumps into a long history at the cost of one page. Not together with `cursor`.",
    example: 40,
  }),
});

const listMessages = createRoute({
  method: "get",
  path: "/v1/conversations/{conversationId}/messages",
  tags: TAGS,
  security,
  summary: "Read every message, working and archived alike",
  request: { params: ConversationParams, query: MessagesQuery },
  responses: {
    200: {
      description: "A page of messages in `seq` order.",
      content: json(
        z.object({
          messages: z.array(StoredMessageSchema),
          nextCursor: z.string().nullable().openapi({ example: null }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS, "not_found", "unavailable"),
  },
});

const SearchBody = z
  .object({
    query: z.string().min(1).max(4096).openapi({
      description:
        "Free text. By words: BM25 over English-stemmed words, any word may match (Chinese, Japanese and Korean by character pairs; Thai, Lao, Khmer and Burmese by the words a dictionary finds, and a query word no message holds by the indexed words it is made of); by meaning (with an embedder): the nearest message embeddings. Better matches first.",
      example: "flight to Lisbon",
    }),
    limit: z.number().int().min(1).max(100).default(10).openapi({ example: 10 }),
    mode: SearchModeField,
  })
  .strict()
  .openapi("ConversationSearchRequest");

const searchMessages = createRoute({
  method: "post",
  path: "/v1/conversations/{conversationId}/search",
  tags: TAGS,
  security,
  summary: "Search over all of a conversation's messages, by words and meaning",
  description:
    "Searches working and archived messages alike, by words (BM25), by meaning (embeddings, when the deployment has an embedder) or both fused (`mode`). `score` is higher for better matches: BM25 in `lexical` mode, cosine similarity in `semantic` mode, the fused score in `hybrid` mode; `match` says which ranking found each message at what rank.",
  request: { params: ConversationParams, body: { content: json(SearchBody), required: true } },
  responses: {
    200: {
      description: "Best matches first.",
      content: json(
        z
          .object({
            results: z.array(
              z.object({
                score: z.number().openapi({ example: 3.1 }),
                message: StoredMessageSchema,
                match: MatchSchema,
              }),
            ),
          })
          .openapi("ConversationSearchResults"),
      ),
    },
    ...errorResponses(...COMMON_ERRORS, "not_found", "unavailable"),
  },
});

type MessageCursor = { s: number; o: "asc" | "desc" };
const isMessageCursor = (v: unknown): v is MessageCursor =>
  typeof v === "object" &&
  v !== null &&
  Number.isSafeInteger((v as MessageCursor).s) &&
  (v as MessageCursor).s >= 1 && // the server issues seqs, and seqs start at 1
  ((v as MessageCursor).o === "asc" || (v as MessageCursor).o === "desc");

export function messageRoutes() {
  const app = newRouter();

  app.openapi(appendMessages, async (c) => {
    const body = c.req.valid("json");
    const { conversationId } = c.req.valid("param");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    // The model's message as the SDK returns it, in a request's fields; an item as sent.
    const messages: MessageInput[] = body.messages.map((m) =>
      typeof m.type === "string"
        ? asItemMessage(m, (id) => ID_PATTERN.test(id))
        : asRequestMessage(m),
    );
    checkMessages(messages, limitsFrom(c.env));
    const tenant = c.get("tenant");
    const receipt: AppendReceipt = unwrap(
      await conversationStub(c.env, tenant, conversationId).append({
        tenant,
        conversationId,
        messages,
        idempotencyKey,
        requestHash: idempotencyKey ? await sha256Hex(JSON.stringify(body)) : undefined,
      }),
    );
    return c.json(receipt, 201);
  });

  app.openapi(rewindConversation, async (c) => {
    const { conversationId } = c.req.valid("param");
    const { afterSeq } = c.req.valid("json");
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    return c.json(unwrap(await stub.rewind(afterSeq)), 200);
  });

  app.openapi(listMessages, async (c) => {
    const { conversationId } = c.req.valid("param");
    const { order, limit, cursor, fromSeq } = c.req.valid("query");
    if (cursor && fromSeq !== undefined) {
      throw invalidField("fromSeq", "give either cursor or fromSeq, not both");
    }
    const after = cursor ? decodeCursor(cursor, isMessageCursor) : undefined;
    if (after === null || (after && after.o !== order)) {
      throw invalidField("cursor", "not a cursor of this listing (cursors keep their order)");
    }
    // Pages start after a seq: the one before fromSeq in the listing's order.
    const start = fromSeq === undefined ? after?.s : order === "asc" ? fromSeq - 1 : fromSeq + 1;
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const page: MessagePage = unwrap(await stub.readMessages({ order, limit, after: start }));
    const nextCursor =
      page.nextAfter === null ? null : encodeCursor({ s: page.nextAfter, o: order });
    return c.json({ messages: page.messages.map(asSent), nextCursor }, 200);
  });

  app.openapi(searchMessages, async (c) => {
    const { conversationId } = c.req.valid("param");
    const { query, limit, mode } = c.req.valid("json");
    checkSearchMode(c.env, mode);
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const results: SearchHit[] = unwrap(await stub.search({ text: query, limit, mode }));
    return c.json({ results: results.map((r) => ({ ...r, message: asSent(r.message) })) }, 200);
  });

  return app;
}
