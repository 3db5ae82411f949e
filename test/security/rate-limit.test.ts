import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { RATE_LIMIT_PERIOD_SECONDS } from "../../src/http/middleware/rate-limit";
import { freshId } from "../helpers/http";
import { appUnderLimits } from "../helpers/production-limits";
import { freshTenant, mintKey } from "./support";

/**
 * The suite runs with RATE_LIMIT=off (it sends hundreds of requests a second with
 * one key). Here limiting is on, through the real middleware and a real `ratelimits`
 * binding of workerd: STRICT_RATE_LIMITER, 3 requests a key per 10 s (vitest.config.ts).
 */
const strict = (env as unknown as { STRICT_RATE_LIMITER: RateLimit }).STRICT_RATE_LIMITER;

async function get(key: string | null, overrides: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const response = await appUnderLimits().fetch(
    new Request("https://edgemem.test/v1/conversations", { headers }),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const limited = { RATE_LIMIT: "on", RATE_LIMITER: strict };

/** Requests until the first 429 (at most `max`): how many passed, and the 429. */
async function untilLimited(key: string, max = 10) {
  let passed = 0;
  for (let i = 0; i < max; i++) {
    const res = await get(key, limited);
    if (res.status === 429) return { passed, res };
    expect(res.status).toBe(200);
    passed++;
  }
  return { passed, res: null };
}

describe("rate limiting", () => {
  it("deploys a RATE_LIMITER binding from wrangler.toml", async () => {
    expect(env.RATE_LIMITER).toBeDefined();
    expect((await (env.RATE_LIMITER as RateLimit).limit({ key: freshId("probe") })).success).toBe(
      true,
    );
  });

  it("answers 429 problem+json with retry-after once a key's budget is spent", async () => {
    const { key } = await freshTenant("limited");
    const { passed, res } = await untilLimited(key);
    // 3 per window; a window boundary during the loop can add at most one more window.
    expect(passed).toBeGreaterThanOrEqual(3);
    expect(passed).toBeLessThanOrEqual(6);
    expect(res).not.toBeNull();
    expect(res?.headers.get("content-type")).toContain("application/problem+json");
    expect(res?.headers.get("retry-after")).toBe(String(RATE_LIMIT_PERIOD_SECONDS));
    expect(res?.headers.get("x-request-id")).toBeTruthy();
    const problem = (await res?.json()) as { code: string; status: number };
    expect(problem).toMatchObject({ code: "rate_limited", status: 429 });
  });

  it("counts per key: another key of the same tenant is not limited", async () => {
    const first = await freshTenant("shared");
    const { res } = await untilLimited(first.key);
    expect(res?.status).toBe(429);
    const second = await mintKey(first.tenant);
    expect((await get(second.key, limited)).status).toBe(200);
  });

  it("never spends a budget on unauthenticated requests, and answers them 401", async () => {
    for (let i = 0; i < 6; i++) {
      expect((await get(null, limited)).status).toBe(401);
      expect((await get("not-a-key", limited)).status).toBe(401);
    }
  });

  it("is off with RATE_LIMIT=off", async () => {
    const { key } = await freshTenant("unlimited");
    for (let i = 0; i < 8; i++) {
      expect((await get(key, { RATE_LIMIT: "off", RATE_LIMITER: strict })).status).toBe(200);
    }
  });
});
