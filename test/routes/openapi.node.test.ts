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

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = await openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route the app serves under /v1, with its method", async () => {
    const document = await openApiDocument();
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const served = createApp()
      .routes.filter((r) => r.path.startsWith("/v1/") && r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(5);
    for (const route of served) expect(documented, route).toContain(route);
  });

  it("documents the problem+json failures every authenticated route can give", async () => {
    const document = await openApiDocument();
    const authenticated = Object.entries(document.paths)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(authenticated.length).toBeGreaterThan(15);
    for (const { path, method, op } of authenticated) {
      const statuses = Object.keys(op.responses);
      // Every key-checked route can refuse the key, be rate limited, or fail inside.
      expect(statuses, `${method.toUpperCase()} ${path}`).toEqual(
        expect.arrayContaining(["401", "403", "429", "500"]),
      );
      expect(op.security, `${method.toUpperCase()} ${path}`).toEqual([{ apiKey: [] }]);
    }
    const append = document.paths["/v1/conversations/{conversationId}/messages"]?.post;
    expect(Object.keys(append?.responses ?? {})).toEqual(
      expect.arrayContaining(["201", "400", "401", "409", "413", "415", "429"]),
    );
  });
});
