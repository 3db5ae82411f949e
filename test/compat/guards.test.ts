import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { freshId } from "../helpers/http";
import { appUnderLimits, timed } from "../helpers/production-limits";
import { freshTenant } from "../security/support";

/** The compat APIs get the same auth-first order, limits, JSON checks and rate limits as /v1. */
const strict = (env as unknown as { STRICT_RATE_LIMITER: RateLimit }).STRICT_RATE_LIMITER;

async function send(
  method: string,
  path: string,
  init: { key?: string | null; body?: string; contentType?: string; limited?: boolean } = {},
) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const overrides = init.limited ? { RATE_LIMIT: "on", RATE_LIMITER: strict } : {};
  const ctx = createExecutionContext();
  const response = await appUnderLimits().fetch(
    new Request(`https://edgemem.test${path}`, { method, headers, body: init.body }),
    { ...env, ...overrides } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const motorhead = (id: string) => `/compat/motorhead/sessions/${id}/memory`;
const zep = (id: string) => `/api/v1/sessions/${id}/memory`;
const messagesBody = JSON.stringify({ messages: [{ role: "Human", content: "hi" }] });

describe("compat routes: the same guards as /v1", () => {
  for (const [name, path] of [
    ["Motorhead", motorhead],
    ["Zep", zep],
  ] as const) {
    it(`${name}: rate limited per key (429 with retry-after)`, async () => {
      const { key } = await freshTenant("compat-limit");
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await send("POST", path(freshId("s")), {
          key,
          body: messagesBody,
          limited: true,
        });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get("retry-after")).toBeTruthy();
          break;
        }
      }
      expect(statuses).toContain(429);
    });

    it(`${name}: authenticates before reading the body (a bad body without a key is 401)`, async () => {
      const tooBig = "x".repeat(2 * 1024 * 1024);
      expect((await send("POST", path(freshId("s")), { body: tooBig })).status).toBe(401);
      const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
      expect((await send("POST", path(freshId("s")), { body: deep })).status).toBe(401);
    });

    it(`${name}: a huge array sent as text/plain is refused quickly by the shape check, with a small answer`, async () => {
      const { key } = await freshTenant("compat-shape");
      const zeros = `{"messages":[${Array(500_000).fill("0").join(",")}]}`;
      const { value: res, ms } = await timed(() =>
        send("POST", path(freshId("s")), { key, body: zeros, contentType: "text/plain" }),
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text.length).toBeLessThan(10_000);
      expect(ms).toBeLessThan(1_500);
    });
  }
});
