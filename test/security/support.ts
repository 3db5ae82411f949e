import { env } from "cloudflare:test";
import { expect } from "vitest";
import { call, freshId, ROOT } from "../helpers/http";

export interface RouteCase {
  method: string;
  /** OpenAPI path template, e.g. `/v1/conversations/{conversationId}`. */
  template: string;
  params: string[];
  jsonBody: boolean;
  requiredBody: boolean;
  authenticated: boolean;
  admin: boolean;
  /** The compat API the route belongs to (its errors are in that API's format), or null. */
  compat: "motorhead" | "zep" | null;
}

const compatOf = (template: string): RouteCase["compat"] =>
  template.startsWith("/compat/motorhead")
    ? "motorhead"
    : template.startsWith("/api/v1/")
      ? "zep"
      : null;

const METHODS = ["get", "put", "post", "patch", "delete"];

/**
 * Every operation the served OpenAPI document describes. The matrices below run
 * over this list, so a new route is covered the moment it is documented (and
 * `routes.test.ts` fails for any route that is served but not documented).
 */
export async function documentedRoutes(): Promise<RouteCase[]> {
  const doc = (await call("GET", "/openapi.json", { key: null })).json;
  const cases: RouteCase[] = [];
  for (const [template, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      const body = op.requestBody?.content?.["application/json"];
      cases.push({
        method: method.toUpperCase(),
        template,
        params,
        jsonBody: Boolean(body),
        requiredBody: Boolean(op.requestBody?.required),
        authenticated: Array.isArray(op.security) && op.security.length > 0,
        admin: template.startsWith("/v1/admin"),
        compat: compatOf(template),
      });
    }
  }
  return cases;
}

/** The template with each parameter replaced (URL-encoded) by `value(name)`. */
export const fill = (template: string, value: (param: string) => string) =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(value(name)));

export const label = (route: RouteCase) => `${route.method} ${route.template}`;

/** Mints a key for `tenant` through the admin API; answers the whole 201 body. */
export async function mintKey(tenant: string, name?: string) {
  const res = await call("POST", "/v1/admin/keys", {
    key: ROOT,
    body: name === undefined ? { tenant } : { tenant, name },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as {
    id: string;
    key: string;
    tenant: string;
    name: string | null;
    createdAt: string;
  };
}

/** A tenant no other test uses, with a freshly minted key. */
export async function freshTenant(prefix = "tenant") {
  const tenant = freshId(prefix);
  const minted = await mintKey(tenant);
  return { tenant, key: minted.key, keyId: minted.id };
}

export const isProblem = (res: { headers: Headers; json: any }) =>
  (res.headers.get("content-type") ?? "").startsWith("application/problem+json") &&
  typeof res.json?.code === "string" &&
  typeof res.json?.status === "number";

type Answer = { status: number; headers: Headers; json: any; text: string };

/**
 * A 4xx in the route's own error format: problem+json on `/v1`; Motorhead's JSON
 * `{ error, errors? }`; Zep's plain text. Each with the request id header.
 */
export function isRefusal(res: Answer, route: RouteCase): boolean {
  if (!res.headers.get("x-request-id")) return false;
  const type = res.headers.get("content-type") ?? "";
  if (route.compat === "motorhead") {
    return type.startsWith("application/json") && typeof res.json?.error === "string";
  }
  if (route.compat === "zep") return type.startsWith("text/plain") && res.text.length > 0;
  return isProblem(res) && res.json.status === res.status;
}

/** Whether a refusal names the field, in the route's own error format. */
export function namesField(res: Answer, route: RouteCase, field: string): boolean {
  if (route.compat === "zep")
    return res.text.split("\n").some((line) => line.startsWith(`${field}:`));
  return (res.json?.errors ?? []).some((e: { path: string }) => e.path === field);
}

/**
 * Everything a request could have changed, as one comparable string: a conversation, its
 * messages and the tenant's list; a memory, its history and its user's list (when given);
 * the key registry (with `keys`); and the KV keys under `kvPrefix` (all by default).
 */
export async function storedState(
  tenant: { key: string },
  at: { conversation: string; memory?: string; user?: string; keys?: boolean; kvPrefix?: string },
): Promise<string> {
  const as = { key: tenant.key };
  const parts = await Promise.all([
    call("GET", `/v1/conversations/${at.conversation}`, as),
    call("GET", `/v1/conversations/${at.conversation}/messages?limit=500`, as),
    call("GET", "/v1/conversations?limit=100", as),
    ...(at.keys ? [call("GET", "/v1/admin/keys?limit=100", { key: ROOT })] : []),
    ...(at.memory
      ? [
          call("GET", `/v1/memories/${at.memory}`, as),
          call("GET", `/v1/memories/${at.memory}/history`, as),
        ]
      : []),
    ...(at.user ? [call("GET", `/v1/memories?userId=${at.user}&limit=100`, as)] : []),
  ]);
  const kv = (await env.ARCHIVE.list({ prefix: at.kvPrefix })).keys.map((k) => k.name);
  return JSON.stringify([...parts.map((p) => p.json), kv]);
}
