import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, ROOT } from "../helpers/http";
import {
  documentedRoutes,
  freshTenant,
  isProblem,
  isRefusal,
  label,
  namesField,
  type RouteCase,
} from "./support";

/**
 * Hostile identifiers, as raw path segments (already URL-encoded where a client
 * would have to). `strict`: the router matches the route, so the answer must be
 * 400; otherwise the path may not match any route at all (404), never 2xx or 5xx.
 */
const ATTACKS: Array<{ name: string; segment: string; strict: boolean }> = [
  { name: "slash", segment: "a/b", strict: false },
  { name: "encoded slash", segment: "a%2Fb", strict: true },
  { name: "double-encoded slash", segment: "a%252Fb", strict: true },
  { name: "encoded backslash", segment: "a%5Cb", strict: true },
  { name: "dot-dot", segment: "..", strict: false },
  { name: "encoded dot-dot", segment: "%2E%2E", strict: false },
  { name: "dot-dot traversal", segment: "..%2F..%2Fadmin", strict: true },
  { name: "single dot", segment: ".", strict: false },
  { name: "leading dot", segment: ".hidden", strict: true },
  { name: "leading dash", segment: "-x", strict: true },
  { name: "cyrillic look-alike", segment: encodeURIComponent("аlpha"), strict: true },
  { name: "fullwidth look-alike", segment: encodeURIComponent("ａｌｐｈａ"), strict: true },
  { name: "zero-width joiner", segment: encodeURIComponent("al\u200dpha"), strict: true },
  { name: "combining accent", segment: encodeURIComponent("e\u0301"), strict: true },
  { name: "129 characters", segment: "a".repeat(129), strict: true },
  { name: "10,000 characters", segment: "a".repeat(10_000), strict: true },
  { name: "empty", segment: "", strict: false },
  { name: "null byte", segment: "%00", strict: true },
  { name: "null byte inside", segment: "a%00b", strict: true },
  { name: "space", segment: "a%20b", strict: true },
  { name: "newline", segment: "a%0Ab", strict: true },
  { name: "tab", segment: "%09a", strict: true },
  { name: "percent", segment: "a%25", strict: true },
  { name: "broken escape", segment: "a%zz", strict: false },
  { name: "lone surrogate", segment: "a%ED%A0%80", strict: false },
  { name: "star", segment: "*", strict: true },
  { name: "query-looking", segment: "a%3Fb%3Dc", strict: true },
  { name: "hash-looking", segment: "a%23b", strict: true },
  { name: "tenant prefix", segment: "t%2Fbeta%2Fconv%2Fx", strict: true },
];

let tenant: { tenant: string; key: string };
let routes: RouteCase[];

beforeAll(async () => {
  routes = (await documentedRoutes()).filter((r) => r.authenticated && r.params.length > 0);
  tenant = await freshTenant("idattack");
});

const bodyFor = (route: RouteCase) =>
  route.method === "POST" && route.template.endsWith("/messages")
    ? { messages: [{ role: "user", content: "hi" }] }
    : route.jsonBody
      ? {}
      : undefined;

describe("identifier attacks", () => {
  it("every route with an identifier answers 400 (or 404/405 when the folded path is another route's), never 2xx or 5xx", async () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const key = route.admin ? ROOT : tenant.key;
      for (const attack of ATTACKS) {
        // Motorhead's key segment is a credential, not an identifier (a header key wins over it).
        for (const param of route.params.filter((p) => p !== "apiKey")) {
          const path = route.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
            name === param ? attack.segment : name === "apiKey" ? tenant.key : "valid-id",
          );
          const res = await call(route.method, path, { key, body: bodyFor(route) });
          const where = `${label(route)} ${param}=${attack.name}: ${res.status} ${res.text.slice(0, 160)}`;
          if (attack.strict) {
            expect(res.status, where).toBe(400);
            expect(isRefusal(res, route), where).toBe(true);
            expect(namesField(res, route, param), where).toBe(true);
          } else {
            // Unmatched paths are the app's 404, problem+json whatever the prefix.
            expect(isProblem(res) || isRefusal(res, route), where).toBe(true);
            // A segment the URL parser folds away ("." or "..") can leave a path another
            // route serves with other methods: 405 naming them.
            expect([400, 404, 405], where).toContain(res.status);
            if (res.status === 405) expect(res.headers.get("allow"), where).toBeTruthy();
          }
        }
      }
    }
  });

  it("stored nothing for the attacking tenant", async () => {
    const list = await call("GET", "/v1/conversations", { key: tenant.key });
    expect(list.json).toEqual({ conversations: [], nextCursor: null });
    const stored = (await env.ARCHIVE.list()).keys.map((k) => k.name);
    expect(stored.filter((name) => name.includes(tenant.tenant))).toEqual([]);
  });

  it("accepts the edges of the syntax", async () => {
    for (const id of ["a", "A9", "a".repeat(128), "x.y_z:w@v-u", "0"]) {
      const res = await call("PUT", `/v1/conversations/${id}`, { key: tenant.key, body: {} });
      expect([200, 201], `${id}: ${res.text}`).toContain(res.status);
      expect(res.json.id).toBe(id);
    }
  });
});
