import { describe, expect, it } from "vitest";
import type { MessageInput } from "../../../src/memory/conversation";
import { conversationObject, sqlOf } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

const messagesOf = (id: string) => `/v1/conversations/${id}/messages`;

interface Counters {
  workingMessages: number;
  workingTokenCount: number;
  archivedMessages: number;
  version: number;
}

/** The counters as stored in the conversation row. */
async function storedCounters(id: string): Promise<Counters> {
  const [row] = await sqlOf<{
    working_messages: number;
    working_tokens: number;
    archived_messages: number;
    version: number;
  }>(id, "SELECT working_messages, working_tokens, archived_messages, version FROM conversation");
  return {
    workingMessages: row?.working_messages ?? -1,
    workingTokenCount: row?.working_tokens ?? -1,
    archivedMessages: row?.archived_messages ?? -1,
    version: row?.version ?? -1,
  };
}

const turn = (n: number, pinned = false): MessageInput => ({
  role: n % 2 ? "assistant" : "user",
  content: `turn ${n} `.padEnd(120, "z"),
  id: `m-${n}`,
  pinned,
});

// The append carries the row's counters forward instead of reading them back: the
// receipt must still be exactly what is stored, whatever the write did.
describe("an append's receipt counters", () => {
  it("are what is stored, through spills, duplicates and pinned messages", async () => {
    const id = freshId("receipt");
    const created = await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    expect(created.status, created.text).toBe(201);
    let spilledSome = false;
    for (let n = 0; n < 40; n++) {
      const batch = [turn(n, n % 7 === 0), ...(n % 5 === 0 ? [turn(n - 1)] : [])];
      const res = await call("POST", messagesOf(id), { body: { messages: batch } });
      expect(res.status, res.text).toBe(201);
      const stored = await storedCounters(id);
      expect(res.json.conversation).toEqual(stored);
      spilledSome ||= stored.archivedMessages > 0;
    }
    expect(spilledSome).toBe(true);
  });

  it("are what is stored when settings lower the budget in the same append", async () => {
    const id = freshId("receipt-settings");
    const ref = { tenant: "alpha", conversationId: id };
    const stub = conversationObject(id);
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 10_000 },
    });
    const first = await stub.append({
      ...ref,
      messages: Array.from({ length: 20 }, (_, n) => turn(n)),
    });
    expect(first.ok && first.value.conversation).toEqual(await storedCounters(id));
    const lowered = await stub.append({
      ...ref,
      messages: [turn(20)],
      settings: { workingTokens: 256, summary: { text: "Earlier: a long talk." } },
    });
    expect(lowered.ok).toBe(true);
    const stored = await storedCounters(id);
    expect(stored.archivedMessages).toBeGreaterThan(0);
    expect(lowered.ok && lowered.value.conversation).toEqual(stored);
  });

  it("replay with an Idempotency-Key as first stored, while the stored ones move on", async () => {
    const id = freshId("receipt-replay");
    const keyed = (content: string) =>
      call("POST", messagesOf(id), {
        body: { messages: [{ role: "user", content }] },
        headers: { "idempotency-key": "k-1" },
      });
    const first = await keyed("once");
    expect(first.json.conversation).toEqual(await storedCounters(id));
    await call("POST", messagesOf(id), { body: { messages: [turn(1)] } });
    const replay = await keyed("once");
    expect(replay.json).toEqual(first.json);
    expect((await storedCounters(id)).version).toBe(first.json.conversation.version + 1);
  });
});
