import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

describe("operations routes", () => {
  it("GET /healthz answers without a key", async () => {
    const res = await call("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, version: expect.any(String) });
  });

  it("GET /openapi.json serves OpenAPI 3.1 without a key", async () => {
    const res = await call("GET", "/openapi.json", { key: null });
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    expect(Object.keys(res.json.paths)).toContain("/v1/conversations/{conversationId}/messages");
  });

  it("GET /docs serves the interactive reference", async () => {
    const res = await call("GET", "/docs", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.text).toContain("/openapi.json");
    // Served whole by the Worker: it works offline, and the browser loads nothing else.
    expect(res.text).not.toMatch(/https?:\/\//i);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
  });

  it("unknown routes are problem+json 404s", async () => {
    expectProblem(await call("GET", "/nowhere", { key: null }), 404, "not_found");
  });
});

describe("cross-cutting headers", () => {
  it("echoes a client's x-request-id and makes one up otherwise", async () => {
    const echoed = await call("GET", "/healthz", {
      key: null,
      headers: { "x-request-id": "trace-123" },
    });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
    const made = await call("GET", `/v1/conversations/${freshId()}`);
    expect(made.headers.get("x-request-id")).toMatch(/^[\w-]{8,}$/);
    expect(made.json.requestId).toBe(made.headers.get("x-request-id"));
  });

  it("marks authenticated answers no-store and nosniff", async () => {
    const res = await call("PUT", `/v1/conversations/${freshId()}`, { body: {} });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("allows only the configured origins (CORS)", async () => {
    const allowed = await call("GET", "/healthz", {
      key: null,
      headers: { origin: "https://app.example" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await call("GET", "/healthz", {
      key: null,
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
