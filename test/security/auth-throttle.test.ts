import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FAILED_AUTH_LIMIT, FAILED_AUTH_WINDOW_MS } from "../../src/auth/failed-attempts";
import type { Env } from "../../src/env";
import { ALPHA } from "../helpers/http";
import { appUnderLimits } from "../helpers/production-limits";

/**
 * Failed authentications are counted per client address (`cf-connecting-ip`) and,
 * past FAILED_AUTH_LIMIT within the window, every authenticated route answers 429 —
 * good keys too, so a throttled client learns nothing. The suite runs RATE_LIMIT=off;
 * here it is on. Each test uses its own address, so counts never mix.
 */
async function request(path: string, ip: string, key: string | null, rateLimit = "on") {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { "cf-connecting-ip": ip };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await appUnderLimits().fetch(
    new Request(`https://edgemem.test${path}`, { headers }),
    { ...env, RATE_LIMIT: rateLimit, RATE_LIMITER: undefined } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

async function failUntilThrottled(ip: string) {
  for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
    const key = i % 2 === 0 ? `wrong-key-${i}` : null;
    expect((await request("/v1/conversations", ip, key)).status).toBe(401);
  }
}

describe("failed authentication is throttled", () => {
  it("answers 429 problem+json with retry-after once a client has failed too often, good key or not", async () => {
    const ip = "198.51.100.1";
    await failUntilThrottled(ip);
    const res = await request("/v1/conversations", ip, ALPHA);
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(FAILED_AUTH_WINDOW_MS / 1000);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({ code: "rate_limited", status: 429 });
    expect((await request("/v1/conversations", ip, "another-wrong-key")).status).toBe(429);
  });

  it("throttles the compat routes and admin routes of that client too", async () => {
    const ip = "198.51.100.2";
    await failUntilThrottled(ip);
    expect((await request("/api/v1/sessions/s-1/memory", ip, ALPHA)).status).toBe(429);
    expect((await request("/compat/motorhead/sessions", ip, ALPHA)).status).toBe(429);
    expect((await request("/v1/admin/keys", ip, "test-root-key")).status).toBe(429);
  });

  it("counts per client: another address with a good key is served", async () => {
    await failUntilThrottled("198.51.100.3");
    expect((await request("/v1/conversations", "198.51.100.4", ALPHA)).status).toBe(200);
  });

  it("does not count good keys, nor a good key's 403 on the wrong scope", async () => {
    const ip = "198.51.100.5";
    for (let i = 0; i < FAILED_AUTH_LIMIT + 5; i++) {
      expect((await request("/v1/conversations", ip, ALPHA)).status).toBe(200);
      expect((await request("/v1/admin/keys", ip, ALPHA)).status).toBe(403);
    }
  });

  it("is off with RATE_LIMIT=off", async () => {
    const ip = "198.51.100.6";
    for (let i = 0; i < FAILED_AUTH_LIMIT + 5; i++) {
      expect((await request("/v1/conversations", ip, "wrong", "off")).status).toBe(401);
    }
    expect((await request("/v1/conversations", ip, ALPHA, "off")).status).toBe(200);
  });
});
