import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { timed } from "../helpers/production-limits";

/**
 * Worst-case inputs per request, timed inside workerd (see `timed`): Workers allow 30 s of
 * CPU per request by default, and one Durable Object's CPU blocks every request to it.
 */
describe("bounded work for any input", () => {
  it("appends 1 MiB of words without spaces (15 × 64 KiB, counted with o200k) in under 1.5 s (it took a minute)", async () => {
    const id = freshId("cost");
    // Loading the o200k tables (megabytes of code, once per isolate) is not the input's cost.
    const warm = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "hello" }] },
    });
    expect(warm.status).toBe(201);
    const messages = Array.from({ length: 15 }, (_, i) => ({
      role: "user",
      content: "abcdefghijklmno"[i]?.repeat(65_000) ?? "",
    }));
    const { value: res, ms } = await timed(() =>
      call("POST", `/v1/conversations/${id}/messages`, { body: { messages } }),
    );
    expect(res.status, res.text).toBe(201);
    expect(ms).toBeLessThan(1_500);
    expect(res.json.messages[0].tokens).toBeGreaterThan(1_000);
  });
});
