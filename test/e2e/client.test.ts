import { EdgememClient, EdgememError } from "edgemem/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.mjs";

const url = inject("edgememUrl");
const KEY = "e2e-key-alpha";
const ROOT = "e2e-root-key";
let n = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;
const client = new EdgememClient({ baseUrl: url, apiKey: KEY, retryBaseMs: 20 });

/** Runs `fn` and answers the EdgememError it must throw. */
async function failure(fn: () => Promise<unknown>): Promise<EdgememError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EdgememError);
    return error as EdgememError;
  }
  throw new Error("expected an EdgememError");
}

describe("EdgememClient against a running Worker", () => {
  it("health", async () => {
    expect(await client.health()).toEqual({ ok: true, version: expect.any(String) });
  });

  it("conversations: put, get, list, delete", async () => {
    const id = fresh("conv");
    const user = fresh("user");
    const created = await client.putConversation(id, { userId: user, workingTokens: 2000 });
    expect(created).toMatchObject({ id, userId: user, workingTokens: 2000 });
    const updated = await client.putConversation(id, { metadata: { channel: "web" } });
    expect(updated.metadata).toEqual({ channel: "web" });
    expect((await client.getConversation(id)).id).toBe(id);
    const listed = await client.listConversations({ userId: user, limit: 10 });
    expect(listed.conversations.map((c) => c.id)).toEqual([id]);
    expect(listed.nextCursor).toBeNull();
    await client.appendMessages(id, [{ role: "user", content: "hello" }]);
    const deletion = await client.deleteConversation(id);
    expect(deletion.deleted.messages).toBe(1);
    const gone = await failure(() => client.getConversation(id));
    expect(gone).toMatchObject({ status: 404, code: "not_found", title: expect.any(String) });
    expect(gone.requestId).toMatch(/.+/);
    expect(gone.type).toMatch(/not_found/);
  });

  it("messages: append (with an Idempotency-Key), list, iterate, search, context", async () => {
    const id = fresh("conv");
    const appended = await client.appendMessages(id, [
      { role: "system", content: "You are a travel assistant.", pinned: true },
      { role: "user", content: "My flight to Lisbon leaves Tuesday at 9.", id: "u-1" },
      { role: "assistant", content: "Noted: Lisbon, Tuesday 9:00." },
    ]);
    expect(appended.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    const again = await client.appendMessages(id, [
      { role: "user", content: "My flight to Lisbon leaves Tuesday at 9.", id: "u-1" },
    ]);
    expect(again.messages[0]?.duplicate).toBe(true);
    const keyed = { idempotencyKey: fresh("key") };
    const first = await client.appendMessages(id, [{ role: "user", content: "once" }], keyed);
    const replay = await client.appendMessages(id, [{ role: "user", content: "once" }], keyed);
    expect(replay).toEqual(first);
    const page = await client.listMessages(id, { order: "desc", limit: 2 });
    expect(page.messages.map((m) => m.content)).toEqual(["once", "Noted: Lisbon, Tuesday 9:00."]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = [];
    for await (const m of client.messages(id, { pageSize: 2 })) all.push(m.seq);
    expect(all).toEqual([1, 2, 3, 4]);
    const jumped = await client.listMessages(id, { fromSeq: 3, limit: 1 });
    expect(jumped.messages.map((m) => m.seq)).toEqual([3]);
    const hits = await client.searchMessages(id, "Lisbon flight", { limit: 5 });
    expect(hits.results[0]?.message.content).toContain("Lisbon");
    const context = await client.getContext(id, { maxTokens: 500 });
    expect(context.messages[0]).toEqual({ role: "system", content: "You are a travel assistant." });
    expect(context.usage.total).toBeLessThanOrEqual(500);
  });

  it("messages: tool calls and content parts as sent, and a rewind to regenerate", async () => {
    const id = fresh("conv");
    const call = {
      id: "call_1",
      type: "function" as const,
      function: { name: "add", arguments: '{"a":40,"b":2}' },
    };
    const sent = [
      { role: "user" as const, content: [{ type: "text", text: "What is 40 + 2?" }] },
      { role: "assistant" as const, content: null, tool_calls: [call] },
      { role: "tool" as const, content: "42", tool_call_id: "call_1" },
      { role: "assistant" as const, content: "Forty-two." },
    ];
    await client.appendMessages(id, sent);
    const listed = (await client.listMessages(id)).messages;
    expect(listed.map((m) => m.content)).toEqual(sent.map((m) => m.content));
    expect(listed[1]?.tool_calls).toEqual([call]);
    expect(listed[2]?.tool_call_id).toBe("call_1");
    const rewound = await client.rewind(id, 3);
    expect(rewound.removed).toBe(1);
    await client.appendMessages(id, [{ role: "assistant", content: "40 + 2 = 42." }]);
    const after = (await client.listMessages(id)).messages;
    expect(after.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(after[3]?.content).toBe("40 + 2 = 42.");
  });

  it("memories: create, get, update with If-Match, history, list, search, delete", async () => {
    const user = fresh("user");
    const memory = await client.createMemory({
      text: "Prefers a window seat.",
      userId: user,
      metadata: { topic: "travel" },
    });
    expect(memory).toMatchObject({ text: "Prefers a window seat.", userId: user, version: 1 });
    expect((await client.getMemory(memory.id)).id).toBe(memory.id);
    const updated = await client.updateMemory(
      memory.id,
      { text: "Prefers an aisle seat." },
      { ifMatch: 1 },
    );
    expect(updated.version).toBe(2);
    const stale = await failure(() =>
      client.updateMemory(memory.id, { text: "x" }, { ifMatch: 1 }),
    );
    expect(stale).toMatchObject({ status: 412, code: "precondition_failed" });
    expect((await client.memoryHistory(memory.id)).versions.map((v) => v.version)).toEqual([1, 2]);
    // The server pages a long history (100 versions a page); the client returns all of it.
    for (let v = 3; v <= 102; v++) await client.updateMemory(memory.id, { text: `Seat ${v}.` });
    const history = (await client.memoryHistory(memory.id)).versions.map((v) => v.version);
    expect(history).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    await client.updateMemory(memory.id, { text: "Prefers an aisle seat." });
    expect((await client.listMemories({ userId: user })).memories.map((m) => m.id)).toEqual([
      memory.id,
    ]);
    const found = await client.searchMemories({ query: "aisle seat", userId: user });
    expect(found.results[0]?.memory.id).toBe(memory.id);
    await client.deleteMemory(memory.id);
    expect((await failure(() => client.getMemory(memory.id))).code).toBe("not_found");
  });

  it("users: export streams NDJSON records; delete erases", async () => {
    const user = fresh("user");
    const id = fresh("conv");
    await client.putConversation(id, { userId: user });
    await client.appendMessages(id, [
      { role: "user", content: "one" },
      { role: "assistant", content: "two" },
    ]);
    await client.createMemory({ text: "likes tea", userId: user });
    const records = [];
    for await (const record of client.exportUser(user)) records.push(record.type);
    expect(records.sort()).toEqual(["conversation", "memory", "message", "message"]);
    const erased = await client.deleteUser(user);
    expect(erased.deleted).toEqual({ conversations: 1, messages: 2, memories: 1 });
  });

  it("admin: mint, list and revoke keys with the root key", async () => {
    const admin = new EdgememClient({ baseUrl: url, apiKey: ROOT });
    const tenant = fresh("tenant");
    const minted = await admin.adminCreateKey({ tenant, name: "e2e" });
    expect(minted).toMatchObject({ tenant, name: "e2e", key: expect.stringMatching(/^em_live_/) });
    expect((await admin.adminListKeys({ tenant })).keys.map((k) => k.id)).toEqual([minted.id]);
    const tenantClient = new EdgememClient({ baseUrl: url, apiKey: minted.key });
    expect((await tenantClient.listConversations()).conversations).toEqual([]);
    await admin.adminDeleteKey(minted.id);
    expect((await failure(() => tenantClient.listConversations())).status).toBe(401);
  });

  it("typed errors carry problem+json fields", async () => {
    const bad = await failure(() => client.putConversation(fresh("conv"), { workingTokens: 10 }));
    expect(bad).toMatchObject({ status: 400, code: "invalid_request" });
    expect(bad.errors?.map((e) => e.path)).toContain("workingTokens");
    const unauthorized = await failure(() =>
      new EdgememClient({ baseUrl: url, apiKey: "wrong" }).listConversations(),
    );
    expect(unauthorized).toMatchObject({ status: 401, code: "unauthorized" });
    const id = fresh("conv");
    await client.putConversation(id, { userId: "ana" });
    const conflict = await failure(() => client.putConversation(id, { userId: "bob" }));
    expect(conflict).toMatchObject({ status: 409, code: "conflict" });
    expect(conflict.message).toContain("409");
  });
});

describe("retries", () => {
  let proxy: FaultProxy;
  let flaky: EdgememClient;
  beforeAll(async () => {
    proxy = await startFaultProxy(url);
    flaky = new EdgememClient({ baseUrl: proxy.url, apiKey: KEY, retryBaseMs: 20, maxRetries: 3 });
  });
  afterAll(() => proxy.close());

  it("an append whose answer was lost is retried and stored once", async () => {
    const id = fresh("retry");
    proxy.faults.push("drop");
    const start = proxy.seen.length;
    const receipt = await flaky.appendMessages(id, [{ role: "user", content: "exactly once" }]);
    expect(receipt.messages[0]?.seq).toBe(1);
    const attempts = proxy.seen.slice(start);
    expect(attempts.map((a) => a.fault)).toEqual(["drop", null]);
    expect(attempts[0]?.headers["idempotency-key"]).toEqual(expect.any(String));
    expect(attempts[1]?.headers["idempotency-key"]).toBe(attempts[0]?.headers["idempotency-key"]);
    const stored = await client.listMessages(id);
    expect(stored.messages.map((m) => m.content)).toEqual(["exactly once"]);
  });

  it("a memory whose answer was lost is created once and returned", async () => {
    const user = fresh("user");
    proxy.faults.push("drop");
    const memory = await flaky.createMemory({ text: "only one of me", userId: user });
    expect(memory.text).toBe("only one of me");
    expect((await client.listMemories({ userId: user })).memories).toHaveLength(1);
  });

  it("a batch of memories whose answer was lost is stored once, the replay as duplicates", async () => {
    const user = fresh("user");
    proxy.faults.push("drop");
    const stored = await flaky.importMemories([
      { text: "imported one", userId: user },
      { text: "imported two", userId: user, id: fresh("mem") },
    ]);
    expect(stored.map((m) => [m.text, m.duplicate])).toEqual([
      ["imported one", true],
      ["imported two", true],
    ]);
    expect((await client.listMemories({ userId: user })).memories).toHaveLength(2);
  });

  it("waits out a 429 as retry-after says, and retries 5xx", async () => {
    proxy.faults.push("status:429");
    const started = Date.now();
    expect((await flaky.health()).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    proxy.faults.push("status:503", "status:502");
    expect((await flaky.health()).ok).toBe(true);
  });

  it("gives up after maxRetries with the last error, and never retries a 4xx", async () => {
    proxy.faults.push("status:503", "status:503", "status:503", "status:503");
    const start = proxy.seen.length;
    const error = await failure(() => flaky.health());
    expect(error).toMatchObject({ status: 503, code: "unavailable" });
    expect(proxy.seen.length - start).toBe(4);
    const before = proxy.seen.length;
    await failure(() => flaky.getConversation(fresh("missing")));
    expect(proxy.seen.length - before).toBe(1);
  });
});
