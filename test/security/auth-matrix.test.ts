import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ALPHA, call, ROOT } from "../helpers/http";
import { expectProblem } from "../helpers/problems";
import { documentedRoutes, fill, isRefusal, label, mintKey, type RouteCase } from "./support";

/** Served but deliberately outside the OpenAPI document. */
const UNDOCUMENTED = new Set(["GET /docs", "GET /openapi.json"]);

/** The presented credentials of the matrix and what each must get, per kind of route. */
interface AuthCase {
  name: string;
  headers: () => Record<string, string>;
  tenantRoute: number;
  adminRoute: number;
}

let revokedKey = "";
let mintedKey = "";

const CASES: AuthCase[] = [
  { name: "no key", headers: () => ({}), tenantRoute: 401, adminRoute: 401 },
  {
    name: "malformed header (Basic)",
    headers: () => ({ authorization: `Basic ${btoa(`x:${ALPHA}`)}` }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "malformed header (Bearer, no key)",
    headers: () => ({ authorization: "Bearer " }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "malformed header (key with a space)",
    headers: () => ({ authorization: `Bearer ${ALPHA} extra` }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "malformed header (key alone)",
    headers: () => ({ authorization: ALPHA }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "wrong key",
    headers: () => ({ authorization: "Bearer not-a-key" }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "wrong key of the minted shape",
    headers: () => ({ authorization: `Bearer em_live_${"A".repeat(43)}` }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "a prefix of the root key",
    headers: () => ({ authorization: `Bearer ${ROOT.slice(0, -1)}` }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "revoked key",
    headers: () => ({ authorization: `Bearer ${revokedKey}` }),
    tenantRoute: 401,
    adminRoute: 401,
  },
  {
    name: "root key",
    headers: () => ({ authorization: `Bearer ${ROOT}` }),
    tenantRoute: 403,
    adminRoute: 0,
  },
  {
    name: "static tenant key",
    headers: () => ({ authorization: `Bearer ${ALPHA}` }),
    tenantRoute: 0,
    adminRoute: 403,
  },
  {
    name: "minted tenant key",
    headers: () => ({ authorization: `Bearer ${mintedKey}` }),
    tenantRoute: 0,
    adminRoute: 403,
  },
];

let routes: RouteCase[] = [];

beforeAll(async () => {
  routes = await documentedRoutes();
  const revoked = await mintKey("matrix-revoked");
  // Use it once so the isolate's key cache holds it when it is revoked.
  expect((await call("GET", "/v1/conversations", { key: revoked.key })).status).toBe(200);
  expect((await call("DELETE", `/v1/admin/keys/${revoked.id}`, { key: ROOT })).status).toBe(204);
  revokedKey = revoked.key;
  mintedKey = (await mintKey("matrix-minted")).key;
});

/** Motorhead's health check, with the key segment or without: the one compat route without a key. */
const isCompatHealth = (template: string) =>
  /^\/compat\/motorhead(\/key\/\{apiKey\})?$/.test(template);

describe("every served route, compat included, is in the OpenAPI document (so the matrices below cover it)", () => {
  it("has no undocumented route", async () => {
    const documented = new Set(routes.map(label));
    const served = createApp()
      .routes.filter((r) => r.method !== "ALL" && !r.path.includes("*"))
      // Motorhead's health check answers with and without a trailing slash: one route.
      .map(
        (r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/(.)\/$/, "$1")}`,
      )
      .filter((r) => !UNDOCUMENTED.has(r));
    expect(served.length).toBeGreaterThanOrEqual(40);
    const missing = served.filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(routes.filter((r) => r.template.startsWith("/v1")).length).toBeGreaterThanOrEqual(9);
    expect(routes.filter((r) => r.compat === "motorhead").length).toBeGreaterThanOrEqual(12);
    expect(routes.filter((r) => r.compat === "zep").length).toBeGreaterThanOrEqual(6);
  });

  it("declares security on every /v1 and compat route, and on no public one", () => {
    for (const route of routes) {
      const keyed =
        route.template.startsWith("/v1/") ||
        (route.compat !== null && !isCompatHealth(route.template));
      expect(route.authenticated, label(route)).toBe(keyed);
    }
  });
});

describe("auth matrix", () => {
  for (const authCase of CASES) {
    it(`${authCase.name}: the right status on every authenticated route`, async () => {
      const authenticated = routes.filter((r) => r.authenticated);
      expect(authenticated.length).toBeGreaterThan(0);
      for (const route of authenticated) {
        const expected = route.admin ? authCase.adminRoute : authCase.tenantRoute;
        const path = fill(route.template, () => "matrix-probe");
        const res = await call(route.method, path, {
          key: null,
          headers: authCase.headers(),
          body: route.jsonBody ? {} : undefined,
        });
        const where = `${authCase.name} → ${label(route)}: ${res.status} ${res.text}`;
        if (expected === 0) {
          // Past auth: whatever the route makes of the probe, it is not an auth failure.
          expect([401, 403], where).not.toContain(res.status);
          expect(res.status, where).toBeLessThan(500);
          continue;
        }
        expect(res.status, where).toBe(expected);
        // The compat APIs answer in their own formats (Motorhead JSON, Zep text).
        if (route.compat) expect(isRefusal(res, route), where).toBe(true);
        else expectProblem(res, expected, expected === 401 ? "unauthorized" : "forbidden");
        expect(res.headers.get("cache-control"), where).toBe("no-store");
        if (expected === 401) expect(res.headers.get("www-authenticate"), where).toMatch(/^Bearer/);
      }
    });
  }

  it("public routes answer without a key", async () => {
    for (const route of routes.filter((r) => !r.authenticated)) {
      const res = await call(
        route.method,
        fill(route.template, () => "x"),
        { key: null },
      );
      expect(res.status, label(route)).toBe(200);
    }
    expect((await call("GET", "/docs", { key: null })).status).toBe(200);
  });

  it("cannot reach admin routes through path tricks with a tenant key", async () => {
    for (const path of [
      "/v1/%61dmin/keys",
      "/v1/admin%2Fkeys",
      "/v1/conversations/../admin/keys",
      "/v1/conversations/%2E%2E/admin/keys",
      "/v1//admin/keys",
      "/v1/ADMIN/keys",
      "/v1/admin/keys/",
    ]) {
      for (const method of ["GET", "POST"]) {
        const res = await call(method, path, {
          key: ALPHA,
          body: method === "POST" ? { tenant: "evil" } : undefined,
        });
        expect([400, 403, 404], `${method} ${path}: ${res.status} ${res.text}`).toContain(
          res.status,
        );
      }
    }
    const keys = await call("GET", "/v1/admin/keys?tenant=evil", { key: ROOT });
    expect(keys.json.keys).toEqual([]);
  });
});
