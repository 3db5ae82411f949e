import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";

async function openApiDocument() {
  const res = await createApp().request("/openapi.json", {}, {});
  expect(res.status).toBe(200);
  return (await res.json()) as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { responses: Record<string, unknown>; security?: unknown }>
    >;
  };
}

/** Served, and deliberately not in the document: the document itself and its viewer. */
const SERVED_UNDOCUMENTED = new Set(["GET /openapi.json", "GET /docs"]);

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route the app serves, compat routes included, with its method", async () => {
    const document = await openApiDocument();
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = createApp()
      .routes.filter((r) => r.method !== "ALL" && !r.path.includes("*"))
      // Motorhead's health check answers with and without a trailing slash: one route.
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}").replace(/(.)\/$/, "$1")}`)
      .filter((route) => !SERVED_UNDOCUMENTED.has(route));
    expect(served.filter((r) => r.includes(" /v1/")).length).toBeGreaterThan(15);
    expect(served.filter((r) => r.includes(" /compat/motorhead/")).length).toBeGreaterThanOrEqual(
      10,
    );
    expect(served.filter((r) => r.includes(" /api/v1/")).length).toBeGreaterThanOrEqual(6);
    const missing = [...new Set(served)].filter((route) => !documented.has(route));
    expect(missing).toEqual([]);
  });

  it("documents the failures every authenticated route can give, compat routes included", async () => {
    const document = await openApiDocument();
    const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    // Authenticated: every /v1 route and every compat route but Motorhead's health check.
    const isPublic = (path: string) =>
      !path.startsWith("/v1/") && !path.startsWith("/api/v1/") && !path.includes("/sessions");
    const authenticated = operations.filter(({ path }) => !isPublic(path));
    expect(
      authenticated.filter(({ path }) => !path.startsWith("/v1/")).length,
    ).toBeGreaterThanOrEqual(16);
    for (const { path, method, op } of authenticated) {
      const where = `${method.toUpperCase()} ${path}`;
      const statuses = Object.keys(op.responses);
      // Every key-checked route can refuse the key, be rate limited, or fail inside.
      expect(statuses, where).toEqual(
        expect.arrayContaining(["400", "401", "403", "413", "429", "500"]),
      );
      if (path.startsWith("/compat/motorhead")) {
        expect(op.security, where).toEqual([{ apiKey: [] }, { metalApiKey: [] }]);
      } else {
        expect(op.security, where).toEqual([{ apiKey: [] }]);
      }
    }
    for (const { path, method, op } of operations.filter(({ path }) => isPublic(path))) {
      expect(op.security ?? [], `${method.toUpperCase()} ${path}`).toEqual([]);
    }
    const append = document.paths["/v1/conversations/{conversationId}/messages"]?.post;
    expect(Object.keys(append?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "401", "409", "413", "415", "429"]),
    );
  });
});
