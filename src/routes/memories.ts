import { createRoute, z } from "@hono/zod-openapi";
import { eraseMemory, memoryIndexStub, memoryRecordStub } from "../durable/memories/api";
import { createUnlessStored } from "../durable/memories/create";
import { HISTORY_PAGE, type HistoryPage, readHistory, readMemory } from "../durable/memories/reads";
import { ApiError, COMMON_ERRORS, errorResponses, invalid, invalidField } from "../http/errors";
import { checkMemoryText, checkMetadata, checkSearchMode } from "../http/field-checks";
import { listCursor, readListCursor } from "../http/list-cursor";
import { json, newRouter, security } from "../http/router";
import { unwrap } from "../http/unwrap";
import { limitsFrom } from "../limits";
import { decodeCursor, encodeCursor } from "../memory/cursor";
import { type Memory, parseIfMatch, type Scope, scopesOf } from "../memory/memories";
import {
  CreateMemoryBody,
  IfMatchHeaders,
  MemoryParams,
  MemorySchema,
  MemoryScopeFields,
  PatchMemoryBody,
  SearchMemoriesBody,
} from "./memory-schemas";
import { CursorQuery, limitQuery } from "./schemas";
import { MatchSchema } from "./search-mode-schemas";

const TAGS = ["Memories"];
const memoryResponse = (description: string) => ({ description, content: json(MemorySchema) });

const createMemory = createRoute({
  method: "post",
  path: "/v1/memories",
  tags: TAGS,
  security,
  summary: "Store a long-term memory",
  description:
    "A memory belongs to at least one scope (`userId`, `agentId`, `conversationId`; none is 400) and is indexed in each. `ttlSeconds` sets `expiresAt`; an expired memory disappears from get, list and search. An `id` that exists is 409. Without an `id`, a text equal (after trimming, collapsing whitespace and case-folding) to a live memory's with the same `userId`, `agentId` and `conversationId` stores nothing: that memory is returned with 200.",
  request: { body: { content: json(CreateMemoryBody), required: true } },
  responses: {
    201: memoryResponse("Stored, as version 1."),
    200: memoryResponse(
      "A live memory with the same scopes already has this text: nothing was stored.",
    ),
    ...errorResponses(...COMMON_ERRORS, "conflict"),
  },
});

const getMemory = createRoute({
  method: "get",
  path: "/v1/memories/{id}",
  tags: TAGS,
  security,
  summary: "Read a memory",
  description:
    "Served from KV near the caller. In production another location may see a change up to 60 s late; a memory just created is always found.",
  request: { params: MemoryParams },
  responses: {
    200: memoryResponse("The current version."),
    ...errorResponses(...COMMON_ERRORS, "not_found"),
  },
});

const patchMemory = createRoute({
  method: "patch",
  path: "/v1/memories/{id}",
  tags: TAGS,
  security,
  summary: "Change a memory's text, metadata or TTL",
  description:
    "Creates the next version (`version` + 1); earlier ones stay in its history. With `If-Match`, the change applies only to that version (412 otherwise).",
  request: {
    params: MemoryParams,
    headers: IfMatchHeaders,
    body: { content: json(PatchMemoryBody), required: true },
  },
  responses: {
    200: memoryResponse("The new version."),
    ...errorResponses(...COMMON_ERRORS, "not_found", "precondition_failed"),
  },
});

const deleteMemory = createRoute({
  method: "delete",
  path: "/v1/memories/{id}",
  tags: TAGS,
  security,
  summary: "Delete a memory and its history",
  request: { params: MemoryParams },
  responses: {
    204: { description: "Deleted." },
    ...errorResponses(...COMMON_ERRORS, "not_found"),
  },
});

const memoryHistory = createRoute({
  method: "get",
  path: "/v1/memories/{id}/history",
  tags: TAGS,
  security,
  summary: "Every version of a memory, oldest first",
  description: `Versions 1 to the current one, at most ${HISTORY_PAGE} a page: follow \`nextCursor\` (null on the last page) for a longer history.`,
  request: { params: MemoryParams, query: z.object({ cursor: CursorQuery }) },
  responses: {
    200: {
      description: "A page of versions, oldest first.",
      content: json(
        z.object({
          versions: z.array(MemorySchema),
          nextCursor: z.string().nullable().openapi({
            description: "Where the next page starts; null on the last page.",
          }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS, "not_found"),
  },
});

const listMemories = createRoute({
  method: "get",
  path: "/v1/memories",
  tags: TAGS,
  security,
  summary: "List a scope's memories, most recently created first",
  description: "At least one of `userId`, `agentId`, `conversationId` (400 without).",
  request: {
    query: z.object({ ...MemoryScopeFields, limit: limitQuery(100, 20), cursor: CursorQuery }),
  },
  responses: {
    200: {
      description: "A page of memories.",
      content: json(
        z.object({
          memories: z.array(MemorySchema),
          nextCursor: z.string().nullable().openapi({ example: null }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

const searchMemories = createRoute({
  method: "post",
  path: "/v1/memories/search",
  tags: TAGS,
  security,
  summary: "Search over a scope's memories, by words and meaning",
  description:
    "By words: BM25 over stemmed words, any query word may match, ties broken by the most recently updated. By meaning (with an embedder): the nearest memory embeddings. `mode` picks one or both fused (`hybrid`, the default with an embedder); `match` says which ranking found each memory at what rank. Better matches first (higher `score`). At least one scope (400 without).",
  request: { body: { content: json(SearchMemoriesBody), required: true } },
  responses: {
    200: {
      description: "Best first.",
      content: json(
        z.object({
          results: z.array(
            z.object({
              score: z.number().openapi({
                description:
                  "Higher is better: BM25 (`lexical`), cosine similarity (`semantic`) or the fused score (`hybrid`).",
                example: 3.7,
              }),
              memory: MemorySchema,
              match: MatchSchema,
            }),
          ),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

const MAX_FILTER_KEYS = 16;

/** A history cursor names the first version of a page; page 1 (version 1) needs none. */
const isHistoryCursor = (v: unknown): v is { v: number } =>
  typeof v === "object" &&
  v !== null &&
  Number.isSafeInteger((v as { v: unknown }).v) &&
  (v as { v: number }).v >= 2;

/** The scope whose index answers: the first one named; the others narrow within it. */
function primaryScope(fields: { userId?: string; agentId?: string; conversationId?: string }) {
  const scope: Scope | undefined = scopesOf(fields)[0];
  if (scope) return scope;
  const message = "one of userId, agentId, conversationId is required";
  throw invalid(
    ["userId", "agentId", "conversationId"].map((path) => ({ path, message })),
    "A memory scope is required: userId, agentId or conversationId",
  );
}

const etag = (memory: Memory) => ({ etag: `"${memory.version}"` });

export function memoryRoutes() {
  const app = newRouter();

  app.openapi(createMemory, async (c) => {
    const { id, ...input } = c.req.valid("json");
    primaryScope(input);
    const limits = limitsFrom(c.env);
    checkMemoryText(input.text, limits);
    checkMetadata(input.metadata, "metadata", limits);
    const tenant = c.get("tenant");
    if (id === undefined) {
      const { memory, created } = unwrap(await createUnlessStored(c.env, tenant, input));
      return c.json(memory, created ? 201 : 200, etag(memory));
    }
    const memory: Memory = unwrap(
      await memoryRecordStub(c.env, tenant, id).create({ tenant, id }, { ...input, id }),
    );
    return c.json(memory, 201, etag(memory));
  });

  app.openapi(getMemory, async (c) => {
    const { id } = c.req.valid("param");
    const memory: Memory = unwrap(await readMemory(c.env, c.get("tenant"), id));
    return c.json(memory, 200, etag(memory));
  });

  app.openapi(patchMemory, async (c) => {
    const { id } = c.req.valid("param");
    const patch = c.req.valid("json");
    const header = c.req.valid("header")["if-match"];
    if (
      patch.text === undefined &&
      patch.metadata === undefined &&
      patch.ttlSeconds === undefined
    ) {
      throw invalidField("text", "give at least one of text, metadata, ttlSeconds");
    }
    const limits = limitsFrom(c.env);
    checkMemoryText(patch.text, limits);
    checkMetadata(patch.metadata, "metadata", limits);
    const ifMatch = header === undefined ? undefined : (parseIfMatch(header) ?? undefined);
    const stub = memoryRecordStub(c.env, c.get("tenant"), id);
    const memory: Memory = unwrap(await stub.update(patch, ifMatch));
    return c.json(memory, 200, etag(memory));
  });

  app.openapi(deleteMemory, async (c) => {
    const { id } = c.req.valid("param");
    const { erased } = await eraseMemory(c.env, c.get("tenant"), id);
    if (!erased) throw new ApiError("not_found", "Memory not found");
    return c.body(null, 204);
  });

  app.openapi(memoryHistory, async (c) => {
    const { id } = c.req.valid("param");
    const { cursor } = c.req.valid("query");
    const from = cursor === undefined ? 1 : decodeCursor(cursor, isHistoryCursor)?.v;
    if (from === undefined) throw invalidField("cursor", "not a cursor of this history");
    const page: HistoryPage = unwrap(await readHistory(c.env, c.get("tenant"), id, from));
    const nextCursor = page.next === null ? null : encodeCursor({ v: page.next });
    return c.json({ versions: page.versions, nextCursor }, 200);
  });

  app.openapi(listMemories, async (c) => {
    const { limit, cursor, ...scope } = c.req.valid("query");
    const primary = primaryScope(scope);
    const scopeKey = scopesOf(scope)
      .map((s) => `${s.kind}/${s.id}`)
      .join("/");
    const listing = { s: scopeKey };
    const page = await memoryIndexStub(c.env, c.get("tenant"), primary).list({
      scope,
      limit,
      after: readListCursor(cursor, listing),
    });
    return c.json({ memories: page.memories, nextCursor: listCursor(page.next, listing) }, 200);
  });

  app.openapi(searchMemories, async (c) => {
    const { query, limit, filter, mode, ...scope } = c.req.valid("json");
    checkSearchMode(c.env, mode);
    const primary = primaryScope(scope);
    const metadata = filter?.metadata;
    if (metadata && Object.keys(metadata).length > MAX_FILTER_KEYS) {
      throw invalidField("filter.metadata", `at most ${MAX_FILTER_KEYS} keys`);
    }
    const results = await memoryIndexStub(c.env, c.get("tenant"), primary).find({
      query,
      scope,
      metadata,
      limit,
      mode,
    });
    return c.json({ results }, 200);
  });

  return app;
}
