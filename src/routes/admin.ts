import { createRoute, z } from "@hono/zod-openapi";
import { sha256 } from "../auth/keys";
import { forgetMintedKey, newKeyId, newKeySecret } from "../auth/minted-keys";
import { type KeyPage, keyRegistryStub } from "../durable/keys/api";
import { ApiError, COMMON_ERRORS, errorResponses } from "../http/errors";
import { listCursor, readListCursor } from "../http/list-cursor";
import { json, newRouter, security } from "../http/router";
import { unwrap } from "../http/unwrap";
import { toHex } from "../memory/digest";
import { CursorQuery, Id, limitQuery } from "./schemas";

const TAGS = ["Keys (administration)"];

const Tenant = Id.openapi({
  description: "The tenant the key acts for; identifier syntax. Tenants need no creation.",
  example: "acme",
});
const KeyName = z.string().min(1).max(128).nullable().openapi({
  description: "A label for people (where the key is used); never needed for auth.",
  example: "production backend",
});
const KeyId = Id.openapi({
  description: "The key's id (not the key): for listing and revoking.",
  example: "key_3f9a0c1d2e4b5a6978c0d1e2",
});
const CreatedAt = z.string().openapi({ example: "2026-11-28T10:00:00.000Z" });

const KeySchema = z
  .object({ id: KeyId, tenant: Tenant, name: KeyName, createdAt: CreatedAt })
  .openapi("ApiKey", { description: "A minted key, without its secret." });

const MintedKeySchema = z
  .object({
    id: KeyId,
    key: z.string().openapi({
      description:
        "The secret: `em_live_` and 43 base64url characters. Shown only in this response; edgemem keeps only its SHA-256 hash.",
      example: "em_live_Qm9vdHN0cmFwIGtleSBmb3IgZG9jcyBvbmx5IDAwMDAwMDA",
    }),
    tenant: Tenant,
    name: KeyName,
    createdAt: CreatedAt,
  })
  .openapi("MintedApiKey");

const mintKey = createRoute({
  method: "post",
  path: "/v1/admin/keys",
  tags: TAGS,
  security,
  summary: "Mint an API key for a tenant (root key only)",
  description:
    "Creates a random 32-byte key. The secret is in this response only; store it now. The key works on tenant routes at once here and everywhere within about a minute (KV propagation).",
  request: {
    body: {
      required: true,
      content: json(
        z.object({ tenant: Tenant, name: KeyName.optional() }).strict().openapi("MintKeyRequest"),
      ),
    },
  },
  responses: {
    201: { description: "The new key, with its secret.", content: json(MintedKeySchema) },
    ...errorResponses(...COMMON_ERRORS, "unavailable"),
  },
});

const listKeys = createRoute({
  method: "get",
  path: "/v1/admin/keys",
  tags: TAGS,
  security,
  summary: "List minted keys, most recent first (root key only)",
  description: "Never shows a secret or its hash. Static keys from `API_KEYS` are not listed.",
  request: {
    query: z.object({
      tenant: Id.optional().openapi({ description: "Only this tenant's keys.", example: "acme" }),
      limit: limitQuery(100, 20),
      cursor: CursorQuery,
    }),
  },
  responses: {
    200: {
      description: "A page of keys.",
      content: json(
        z.object({
          keys: z.array(KeySchema),
          nextCursor: z.string().nullable().openapi({ example: null }),
        }),
      ),
    },
    ...errorResponses(...COMMON_ERRORS),
  },
});

const revokeKey = createRoute({
  method: "delete",
  path: "/v1/admin/keys/{id}",
  tags: TAGS,
  security,
  summary: "Revoke a minted key (root key only)",
  description:
    "The key stops working at once in this location and everywhere within 90 seconds (the key cache's 30 s plus KV propagation).",
  request: { params: z.object({ id: KeyId.openapi({ param: { name: "id", in: "path" } }) }) },
  responses: {
    204: { description: "Revoked." },
    ...errorResponses(...COMMON_ERRORS, "not_found", "unavailable"),
  },
});

/** KV or the registry failing is an outage, not a bug of the request: 503, retry later. */
async function registryCall<T>(call: () => Promise<T>, requestId: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    console.error(JSON.stringify({ event: "key_registry_error", requestId, error: String(error) }));
    throw new ApiError("unavailable", "The key registry is unavailable; retrying is safe");
  }
}

export function adminRoutes() {
  const app = newRouter();

  app.openapi(mintKey, async (c) => {
    const { tenant, name } = c.req.valid("json");
    const secret = newKeySecret();
    const record = await registryCall(
      async () =>
        keyRegistryStub(c.env).register({
          id: newKeyId(),
          tenant,
          name: name ?? null,
          createdAt: new Date().toISOString(),
          digest: toHex(await sha256(secret)),
        }),
      c.get("requestId"),
    );
    console.log(
      JSON.stringify({
        event: "key_minted",
        requestId: c.get("requestId"),
        keyId: record.id,
        tenant,
      }),
    );
    return c.json({ ...record, key: secret }, 201);
  });

  app.openapi(listKeys, async (c) => {
    const { tenant, limit, cursor } = c.req.valid("query");
    const listing = { t: tenant ?? null };
    const after = readListCursor(cursor, listing);
    const page: KeyPage = await registryCall(
      () =>
        keyRegistryStub(c.env).list({
          tenant,
          limit,
          after,
        }),
      c.get("requestId"),
    );
    return c.json({ keys: page.keys, nextCursor: listCursor(page.next, listing) }, 200);
  });

  app.openapi(revokeKey, async (c) => {
    const { id } = c.req.valid("param");
    const result = await registryCall(() => keyRegistryStub(c.env).revoke(id), c.get("requestId"));
    const { digest } = unwrap(result);
    forgetMintedKey(digest);
    console.log(JSON.stringify({ event: "key_revoked", requestId: c.get("requestId"), keyId: id }));
    return c.body(null, 204);
  });

  return app;
}
