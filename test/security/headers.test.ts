import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { ALPHA, call, freshId, ROOT } from "../helpers/http";
import { appUnderLimits } from "../helpers/production-limits";
import { mintKey } from "./support";

/** The real app against this test's bindings, with some of them changed. */
async function fetchWith(
  overrides: Partial<Env> | Record<string, unknown>,
  path: string,
  init: RequestInit = {},
) {
  const ctx = createExecutionContext();
  const response = await appUnderLimits().fetch(
    new Request(`https://edgemem.test${path}`, init),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("security headers", () => {
  it("sends API security headers on successes and errors alike", async () => {
    for (const [path, key, status] of [
      ["/v1/conversations", ALPHA, 200],
      ["/v1/conversations", null, 401],
      ["/v1/conversations/nope-404", ALPHA, 404],
      ["/v1/no-such-route", ALPHA, 404],
    ] as const) {
      const res = await call("GET", path, { key });
      expect(res.status).toBe(status);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("leaves the public documents cacheable and the docs page scriptable", async () => {
    for (const path of ["/healthz", "/openapi.json", "/docs"]) {
      const res = await call("GET", path, { key: null });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).not.toBe("no-store");
      const csp = res.headers.get("content-security-policy");
      // The docs page sets its own policy: its inline script runs, nothing from elsewhere.
      if (path === "/docs") expect(csp).toContain("script-src 'unsafe-inline'");
      else expect(csp).toBeNull();
    }
  });
});

describe("CORS", () => {
  it("allows only the configured origins", async () => {
    const allowed = await call("GET", "/v1/conversations", {
      headers: { origin: "https://app.example" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const other = await call("GET", "/v1/conversations", {
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await call("OPTIONS", "/v1/conversations", {
      key: null,
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("gives no cross-origin access by default (CORS_ORIGINS empty, as in wrangler.toml)", async () => {
    for (const origin of ["https://app.example", "null", "https://edgemem.test.evil"]) {
      const res = await fetchWith({ CORS_ORIGINS: "" }, "/v1/conversations", {
        headers: { origin, authorization: `Bearer ${ALPHA}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      const preflight = await fetchWith({ CORS_ORIGINS: "" }, "/v1/conversations", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("failures reveal nothing", () => {
  it("answers a store outage during key lookup with 503, not 401 and not a stack", async () => {
    const minted = await mintKey(freshId("outage"));
    const res = await fetchWith({ ARCHIVE: undefined }, "/v1/conversations", {
      headers: { authorization: `Bearer ${minted.key}` },
    });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: "unavailable", status: 503 });
    expect(text).not.toMatch(/TypeError|undefined|\.ts:\d+|\.js:\d+|at /);
  });

  it("answers an unexpected failure with a bare 500 problem", async () => {
    const res = await fetchWith({ CONVERSATIONS: undefined }, "/v1/conversations/boom", {
      headers: { authorization: `Bearer ${ALPHA}` },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: "internal", status: 500 });
    expect(text).not.toMatch(/TypeError|CONVERSATIONS|\.ts:\d+|\.js:\d+|at /);
  });
});

describe("logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("are one JSON line per request, with request id, tenant, key id, route, status, latency, and no secret", async () => {
    const minted = await mintKey(freshId("logged"));
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);

    const id = freshId();
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    await fetchWith({}, `/v1/conversations/${id}`, { method: "PUT", headers: auth(minted.key) });
    await fetchWith({}, "/v1/conversations", { headers: auth(ALPHA) });
    await fetchWith({}, "/v1/conversations", { headers: auth(`${minted.key}x`) });
    await fetchWith({}, "/v1/conversations", { headers: auth(ROOT) });
    const mint = await fetchWith({}, "/v1/admin/keys", {
      method: "POST",
      headers: { ...auth(ROOT), "content-type": "application/json" },
      body: JSON.stringify({ tenant: "logged-too" }),
    });
    const secondKey = ((await mint.json()) as { key: string }).key;
    await fetchWith({ CONVERSATIONS: undefined }, "/v1/conversations/boom", {
      headers: auth(ALPHA),
    });
    vi.restoreAllMocks();

    const all = lines.join("\n");
    for (const secret of [minted.key, secondKey, ALPHA, ROOT, "Bearer"]) {
      expect(all).not.toContain(secret);
    }
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.event === "request");
    expect(requests.length).toBe(6);
    expect(requests[0]).toMatchObject({
      requestId: expect.any(String),
      tenant: minted.tenant,
      keyId: minted.id,
      method: "PUT",
      route: "/v1/conversations/:conversationId",
      status: 201,
      latencyMs: expect.any(Number),
    });
    expect(requests[1]).toMatchObject({ tenant: "alpha", keyId: "static:alpha:0", status: 200 });
    expect(requests[2]).toMatchObject({ tenant: null, keyId: null, status: 401 });
    expect(requests[3]).toMatchObject({ keyId: "root", status: 403 });
  });
});
