import { afterEach, describe, expect, it } from "vitest";
import { runDueWork, sqlOf } from "../helpers/conversation-object";
import { call, freshId, readAllMessages } from "../helpers/http";
import { eventualConsistency } from "../helpers/production-limits";

afterEach(() => eventualConsistency(false));

describe("production's eventual consistency of KV", () => {
  it("a segment not yet visible where it is read is a retryable 503, never a gap (the harness hides it)", async () => {
    const id = freshId("ec");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    const messages = Array.from({ length: 30 }, (_, i) => ({
      role: "user",
      content: `m ${i} `.padEnd(100, "z"),
    }));
    await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
    eventualConsistency(true);
    await runDueWork(id); // the alarm writes a segment: another invocation than the reads
    // As if the grace period had passed before KV propagated (it is longer in production).
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await runDueWork(id);
    const hidden = await call("GET", `/v1/conversations/${id}/messages?limit=5`);
    expect(hidden.status).toBe(503);
    eventualConsistency(false);
    const visible = await call("GET", `/v1/conversations/${id}/messages?limit=5`);
    expect(visible.status).toBe(200);
    expect(visible.json.messages).toHaveLength(5);
  });

  it("archived messages stay readable while KV propagates a new segment (the 65 s grace)", async () => {
    const id = freshId("ec-read");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    const messages = Array.from({ length: 60 }, (_, i) => ({
      role: "user",
      content: `turn ${i} `.padEnd(100, "z"),
      id: `m-${i}`,
    }));
    await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
    eventualConsistency(true);
    await runDueWork(id);
    const all = await readAllMessages(id, "asc", 25);
    expect(all.map((m) => m.id)).toEqual(messages.map((m) => m.id));
    expect(all.some((m) => m.tier === "archived")).toBe(true);
    const found = await call("POST", `/v1/conversations/${id}/search`, { body: { query: "turn" } });
    expect(found.status).toBe(200);
  });
});
