import { createRoute, z } from "@hono/zod-openapi";
import { conversationStub, eraseConversation } from "../durable/conversation/api";
import { directoryStub } from "../durable/directory/api";
import { COMMON_ERRORS, errorResponses } from "../http/errors";
import { checkMetadata } from "../http/field-checks";
import { listCursor, readListCursor } from "../http/list-cursor";
import { json, newRouter, security } from "../http/router";
import { unwrap } from "../http/unwrap";
import { limitsFrom } from "../limits";
import type { Conversation, DeletionReceipt } from "../memory/conversation";
import {
  ConversationParams,
  ConversationSchema,
  ConversationSettingsBody,
  CursorQuery,
  Id,
  limitQuery,
} from "./schemas";

const TAGS = ["Conversations"];

const putConversation = createRoute({
  method: "put",
  path: "/v1/conversations/{conversationId}",
  tags: TAGS,
  security,
  summary: "Create a conversation or update its settings",
  description:
    "All fields are optional; an empty body creates the conversation with defaults. `userId` is set once: sending a different one later is 409. The tokenizer cannot change once messages exist (409).",
  request: {
    params: ConversationParams,
    body: { content: json(ConversationSettingsBody), required: false },
  },
  responses: {
    200: { description: "Updated.", content: json(ConversationSchema) },
    201: { description: "Created.", content: json(ConversationSchema) },
    ...errorResponses(...COMMON_ERRORS, "conflict"),
  },
});

const getConversation = createRoute({
  method: "get",
  path: "/v1/conversations/{conversationId}",
  tags: TAGS,
  security,
  summary: "Read a conversation's settings and stats",
  request: { params: ConversationParams },
  responses: {
    200: { description: "The conversation.", content: json(ConversationSchema) },
    ...errorResponses(...COMMON_ERRORS, "not_found"),
  },
});

const DeletionSchema = z
  .object({
    deleted: z.object({
      messages: z.number().int().openapi({ example: 252 }),
      segments: z.number().int().openapi({ example: 3 }),
      memories: z.number().int().openapi({ example: 0 }),
    }),
  })
  .openapi("ConversationDeletion");

const deleteConversation = createRoute({
  method: "delete",
  path: "/v1/conversations/{conversationId}",
  tags: TAGS,
  security,
  summary: "Delete a conversation and everything stored for it",
  description:
    "Removes working memory, archived messages, the summary and the search index, and returns a receipt. Afterwards `GET` is 404.",
  request: { params: ConversationParams },
  responses: {
    200: { description: "What was removed.", content: json(DeletionSchema) },
    ...errorResponses(...COMMON_ERRORS, "not_found"),
  },
});

const ListQuery = z.object({
  userId: Id.optional().openapi({
    description: "Only this user's conversations.",
    example: "user-123",
  }),
  limit: limitQuery(100, 20),
  cursor: CursorQuery,
});

const listConversations = createRoute({
  method: "get",
  path: "/v1/conversations",
  tags: TAGS,
  security,
  summary: "List conversations, most recently created first",
  request: { query: ListQuery },
  responses: {
    200: {
      description: "A page of conversations.",
      content: json(
        z.object({
          conversations: z.array(ConversationSchema),
          nextCursor: z.string().nullable().openapi({ example: null }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

export function conversationRoutes() {
  const app = newRouter();

  app.openapi(putConversation, async (c) => {
    const settings = c.req.valid("json");
    const { conversationId } = c.req.valid("param");
    checkMetadata(settings.metadata, "metadata", limitsFrom(c.env));
    const tenant = c.get("tenant");
    const stub = conversationStub(c.env, tenant, conversationId);
    const { conversation, created }: { conversation: Conversation; created: boolean } = unwrap(
      await stub.configure({ tenant, conversationId }, settings),
    );
    return created ? c.json(conversation, 201) : c.json(conversation, 200);
  });

  app.openapi(getConversation, async (c) => {
    const { conversationId } = c.req.valid("param");
    const stub = conversationStub(c.env, c.get("tenant"), conversationId);
    const conversation: Conversation = unwrap(await stub.describe());
    return c.json(conversation, 200);
  });

  app.openapi(deleteConversation, async (c) => {
    const { conversationId } = c.req.valid("param");
    const erased = await eraseConversation(c.env, c.get("tenant"), conversationId);
    const deleted: DeletionReceipt = unwrap(erased);
    return c.json({ deleted }, 200);
  });

  app.openapi(listConversations, async (c) => {
    const { userId, limit, cursor } = c.req.valid("query");
    const listing = { u: userId ?? null };
    const tenant = c.get("tenant");
    const page = await directoryStub(c.env, tenant).list({
      userId,
      limit,
      after: readListCursor(cursor, listing),
    });
    // The directory names the page; each conversation object is the truth about itself.
    const described = await Promise.all(
      page.ids.map((id) => conversationStub(c.env, tenant, id).describe()),
    );
    const conversations = described.flatMap((r) => (r.ok ? [r.value] : []));
    return c.json({ conversations, nextCursor: listCursor(page.next, listing) }, 200);
  });

  return app;
}
