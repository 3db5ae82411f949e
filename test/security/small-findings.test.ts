import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import { call, freshId } from "../helpers/http";
import { appUnderLimits } from "../helpers/production-limits";

async function withEnv(path: string, overrides: Partial<Env>, key: string) {
  const ctx = createExecutionContext();
  const response = await appUnderLimits().fetch(
    new Request(`https://edgemem.test${path}`, { headers: { authorization: `Bearer ${key}` } }),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("issue #14, finding 10", () => {
  it("API_KEYS entries whose tenant is not an identifier are refused, never a tenant `undefined` or ``", async () => {
    const API_KEYS = JSON.stringify({
      "key-empty-tenant": "",
      "key-slash-tenant": "a/b",
      "key-object-tenant": { tenant: "x" },
      "key-good-tenant": "good",
    });
    for (const key of ["key-empty-tenant", "key-slash-tenant", "key-object-tenant"]) {
      expect((await withEnv("/v1/conversations", { API_KEYS }, key)).status).toBe(401);
    }
    expect((await withEnv("/v1/conversations", { API_KEYS }, "key-good-tenant")).status).toBe(200);
  });

  it("/openapi.json is generated once per isolate, not on every unauthenticated request", async () => {
    // The Worker's app (an instance: zod-openapi's methods are instance properties).
    const app = worker as unknown as { getOpenAPI31Document: (...a: unknown[]) => unknown };
    const original = app.getOpenAPI31Document;
    let generated = 0;
    app.getOpenAPI31Document = (...args: unknown[]) => {
      generated++;
      return original(...args);
    };
    try {
      const first = await call("GET", "/openapi.json", { key: null });
      for (let i = 0; i < 5; i++) {
        const again = await call("GET", "/openapi.json", { key: null });
        expect(again.text).toBe(first.text);
      }
      expect(first.status).toBe(200);
      expect(generated).toBeLessThanOrEqual(1);
    } finally {
      app.getOpenAPI31Document = original;
    }
  });
});

describe("issue #14, finding 10: the export stream", () => {
  it("carries x-request-id, the client's when it sent one", async () => {
    const userId = freshId("export-rid");
    const post = await call("POST", "/v1/memories", { body: { text: "likes tea", userId } });
    expect(post.status).toBe(201);
    const echoed = await call("GET", `/v1/users/${userId}/export`, {
      headers: { "x-request-id": "client-chosen-id-1" },
    });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get("content-type")).toContain("application/x-ndjson");
    expect(echoed.headers.get("x-request-id")).toBe("client-chosen-id-1");
    expect(echoed.text).toContain("likes tea");
    const generated = await call("GET", `/v1/users/${userId}/export`);
    expect(generated.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });
});
