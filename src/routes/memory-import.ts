import { createRoute, z } from "@hono/zod-openapi";
import { importMemories } from "../durable/memories/import";
import { ApiError, COMMON_ERRORS, errorResponses } from "../http/errors";
import { checkMemoryBatch } from "../http/field-checks";
import { json, newRouter, security } from "../http/router";
import { limitsFrom } from "../limits";
import { CreateMemoriesBody, ImportedMemorySchema } from "./memory-schemas";

const createMemories = createRoute({
  method: "post",
  path: "/v1/memories/batch",
  tags: ["Memories"],
  security,
  summary: "Store up to 100 long-term memories at once (bulk import)",
  description: [
    "Each item is validated as for `POST /v1/memories`; every bad field is named with its item (`memories.3.text`), and a batch with any bad item stores nothing. The same `id` twice in one batch is 400; a body over the request limit (1 MiB by default) is 413. The memories come back in input order, each as version 1 — or, for a duplicate, as stored now.",
    "**Existing ids.** An item whose `id` exists with the same text, scopes, metadata and `ttlSeconds` is a *duplicate*: it is returned with `duplicate: true` and not created again. An `id` that exists with other content is a conflict: the whole batch is 409, `errors` names every such `memories.N.id`, and the memories this request had created are erased again before it answers (a concurrent reader may see them meanwhile).",
    "**Atomicity.** Not a transaction: each memory is its own Durable Object, created as by `POST /v1/memories` and with all its guarantees (versions, expiry, `If-Match`, history, erase). After a 201 every memory is stored and searchable. If the request fails midway (a 5xx, a timeout, a Worker that dies), some memories may be stored and others not; each stored one is complete and becomes searchable within about 30 s.",
    "**Retrying.** Give every item an `id` and send the same batch again after a failure or a timeout: what was stored comes back as duplicates, the rest is created, nothing twice. Without ids a retry stores new copies.",
  ].join("\n\n"),
  request: { body: { content: json(CreateMemoriesBody), required: true } },
  responses: {
    201: {
      description: "Every memory, in input order.",
      content: json(z.object({ memories: z.array(ImportedMemorySchema) })),
    },
    ...errorResponses(...COMMON_ERRORS, "conflict"),
  },
});

export function memoryImportRoutes() {
  const app = newRouter();

  app.openapi(createMemories, async (c) => {
    const { memories: items } = c.req.valid("json");
    checkMemoryBatch(items, limitsFrom(c.env));
    const inputs = items.map((item) => ({ ...item, id: item.id ?? crypto.randomUUID() }));
    const outcome = await importMemories(c.env, c.get("tenant"), inputs);
    if (!outcome.ok) {
      const errors = outcome.conflicts.map(({ index, detail }) => ({
        path: `memories.${index}.id`,
        message: detail,
      }));
      const what = errors.length === 1 ? "A memory id exists" : "Memory ids exist";
      throw new ApiError("conflict", `${what} with other content; the batch was not stored`, {
        errors,
      });
    }
    const memories = outcome.memories.map(({ memory, duplicate }) => ({ ...memory, duplicate }));
    return c.json({ memories }, 201);
  });

  return app;
}
