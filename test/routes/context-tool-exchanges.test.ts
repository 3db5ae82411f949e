import { describe, expect, it } from "vitest";
import { chatRequestErrors } from "../helpers/chat-rules";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

const call_ = (id: string, name: string, args: object) => ({
  id,
  type: "function",
  function: { name, arguments: JSON.stringify(args) },
});

/** An agent's chat: tool exchanges with one and two calls, content parts, and a call still running. */
function agentChat(rounds: number) {
  const messages: object[] = [
    { role: "system", content: "You are a travel agent with tools.", pinned: true },
  ];
  for (let r = 0; r < rounds; r++) {
    messages.push(
      {
        role: "user",
        content: [{ type: "text", text: `Round ${r}: weather in Lisbon and Porto?` }],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          call_(`c${r}a`, "get_weather", { city: "Lisbon" }),
          call_(`c${r}b`, "get_weather", { city: "Porto" }),
        ],
      },
      { role: "tool", tool_call_id: `c${r}a`, content: `Lisbon round ${r}: 21 °C, sunny.` },
      { role: "tool", tool_call_id: `c${r}b`, content: `Porto round ${r}: 17 °C, cloudy.` },
      { role: "assistant", content: `Round ${r}: Lisbon 21 °C and sunny, Porto 17 °C.` },
      { role: "user", content: `Round ${r}: and the exchange rate?` },
      { role: "assistant", content: null, tool_calls: [call_(`c${r}x`, "fx", { pair: "EURUSD" })] },
      { role: "tool", tool_call_id: `c${r}x`, content: `Round ${r}: 1.09` },
      { role: "assistant", content: `Round ${r}: one euro buys 1.09 dollars.` },
    );
  }
  // The newest call is still running: its answer has not come yet.
  messages.push(
    { role: "user", content: "Book the Lisbon flight." },
    { role: "assistant", content: null, tool_calls: [call_("pending", "book_flight", {})] },
  );
  return messages;
}

describe("context of an agent's chat", () => {
  it("is valid chat-completions input at every budget: tool exchanges whole, none orphaned", async () => {
    const id = freshId("agent");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 400 } });
    const appended = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: agentChat(6) },
    });
    expect(appended.status, appended.text).toBe(201);
    await runDueWork(id);
    for (const maxTokens of [30, 45, 60, 90, 120, 200, 350, 600, 1000, 3000]) {
      const res = await call("POST", `/v1/conversations/${id}/context`, {
        body: { maxTokens, query: "Porto weather round 2" },
      });
      expect(res.status, res.text).toBe(200);
      const { messages, usage } = res.json;
      expect(usage.total).toBeLessThanOrEqual(maxTokens);
      expect(chatRequestErrors({ messages }), `maxTokens ${maxTokens}`).toEqual([]);
      // Content and tool fields as sent; the unanswered call is never sent.
      expect(messages.some((m: any) => m.tool_calls?.[0]?.id === "pending")).toBe(false);
      for (const m of messages.filter((m: any) => m.role === "tool")) {
        expect(m.name).toBeUndefined();
        expect(typeof m.tool_call_id).toBe("string");
      }
      const parts = messages.filter((m: any) => Array.isArray(m.content));
      for (const m of parts) expect(m.content[0].type).toBe("text");
    }
  });
});
