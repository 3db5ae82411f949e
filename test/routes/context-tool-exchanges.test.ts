import { describe, expect, it } from "vitest";
import { chatRequestErrors, toolBlockErrors } from "../helpers/chat-rules";
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

/**
 * Appends an agent's chat, then reads its context at budgets from tiny to ample: `check`
 * sees each context's turns (system messages aside) and counts the tool exchanges in it,
 * of which some context must hold one.
 */
async function everyBudget(
  id: string,
  messages: object[],
  check: (turns: any[], maxTokens: number) => number,
): Promise<void> {
  const appended = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
  expect(appended.status, appended.text).toBe(201);
  await runDueWork(id);
  let exchanges = 0;
  for (const maxTokens of [30, 60, 90, 120, 200, 350, 600, 1000, 3000]) {
    const res = await call("POST", `/v1/conversations/${id}/context`, { body: { maxTokens } });
    expect(res.status, res.text).toBe(200);
    exchanges += check(
      res.json.messages.filter((m: any) => m.role !== "system"),
      maxTokens,
    );
  }
  expect(exchanges).toBeGreaterThan(0);
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

  it("passes over a tool exchange too large for the budget, and keeps the dialogue before it", async () => {
    const id = freshId("agent");
    const table = Array.from({ length: 120 }, (_, i) => ({
      day: i,
      city: "Lisbon",
      celsius: 20 + (i % 7),
    }));
    const appended = await call("POST", `/v1/conversations/${id}/messages`, {
      body: {
        messages: [
          { role: "system", content: "You are a weather agent.", pinned: true },
          { role: "user", content: "My name is Ines and I live in Porto." },
          { role: "assistant", content: "Nice to meet you, Ines." },
          { role: "user", content: "What is the forecast table for Lisbon?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [call_("t1", "forecast", { city: "Lisbon" })],
          },
          { role: "tool", tool_call_id: "t1", content: JSON.stringify(table) },
          { role: "assistant", content: "Lisbon stays sunny, 20 to 26 °C." },
          { role: "user", content: "Thanks! And where do I live again?" },
        ],
      },
    });
    expect(appended.status, appended.text).toBe(201);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 500, recall: 0 },
    });
    expect(res.status, res.text).toBe(200);
    const { messages, usage, truncated } = res.json;
    expect(usage.total).toBeLessThanOrEqual(500);
    expect(chatRequestErrors({ messages })).toEqual([]);
    // Every turn but the exchange, in order, as the app sent them; the exchange is left out.
    expect(messages.map((m: any) => m.content)).toEqual([
      "You are a weather agent.",
      "My name is Ines and I live in Porto.",
      "Nice to meet you, Ines.",
      "What is the forecast table for Lisbon?",
      "Lisbon stays sunny, 20 to 26 °C.",
      "Thanks! And where do I live again?",
    ]);
    expect(truncated).toBe(true);
    // A question about the tool's output recalls the part of it that matches.
    const asked = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 500, query: "forecast table Lisbon celsius" },
    });
    expect(chatRequestErrors({ messages: asked.json.messages })).toEqual([]);
    expect(asked.json.recalled, asked.text).toMatchObject([{ seq: 6, excerpt: true }]);
    expect(asked.json.messages.map((m: any) => m.content)).toContain(
      "What is the forecast table for Lisbon?",
    );
  });

  it("keeps Anthropic's tool_use and tool_result blocks paired at every budget", async () => {
    const id = freshId("claude");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 400 } });
    const messages: object[] = [];
    for (let r = 0; r < 6; r++) {
      messages.push(
        { role: "user", content: `Round ${r}: weather in Lisbon and Porto?` },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Let me check both." },
            { type: "tool_use", id: `u${r}a`, name: "weather", input: { city: "Lisbon" } },
            { type: "tool_use", id: `u${r}b`, name: "weather", input: { city: "Porto" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: `u${r}a`, content: `Lisbon round ${r}: 21 °C` },
            { type: "tool_result", tool_use_id: `u${r}b`, content: `Porto round ${r}: 17 °C` },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: `Round ${r}: 21 and 17 °C.` }] },
      );
    }
    messages.push({
      role: "assistant",
      content: [{ type: "tool_use", id: "running", name: "book", input: {} }],
    });
    await everyBudget(id, messages, (turns, maxTokens) => {
      expect(toolBlockErrors(turns), `maxTokens ${maxTokens}`).toEqual([]);
      return turns.filter((m: any) => JSON.stringify(m.content).includes("tool_use")).length;
    });
    // A recalled tool result is the tool's, though Anthropic sends it as a user message.
    const asked = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 300, query: "Porto round 2 weather" },
    });
    const note = asked.json.messages.find((m: any) => m.content?.startsWith?.("Earlier"))?.content;
    expect(note, asked.text).toContain("tool: Lisbon round 2: 21 °C Porto round 2: 17 °C");
    expect(note).not.toContain("user: Lisbon round 2");
  });

  it("takes the Vercel AI SDK's tool messages and keeps its tool-call and tool-result parts paired", async () => {
    const id = freshId("aisdk");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 400 } });
    const messages: object[] = [];
    for (let r = 0; r < 6; r++) {
      messages.push(
        { role: "user", content: `Round ${r}: weather in Lisbon?` },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            {
              type: "tool-call",
              toolCallId: `c${r}`,
              toolName: "weather",
              input: { city: "Lisbon" },
            },
          ],
          providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } },
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: `c${r}`,
              toolName: "weather",
              output: { type: "text", value: `Lisbon round ${r}: 21 °C` },
            },
          ],
        },
        { role: "assistant", content: `Round ${r}: 21 °C in Lisbon.` },
      );
    }
    messages.push({
      role: "assistant",
      content: [{ type: "tool-call", toolCallId: "running", toolName: "book", input: {} }],
    });
    await everyBudget(id, messages, (turns, maxTokens) => {
      expect(toolBlockErrors(turns, "ai-sdk"), `maxTokens ${maxTokens}`).toEqual([]);
      expect(turns.some((m: any) => "providerOptions" in m)).toBe(false);
      return turns.filter((m: any) => m.role === "tool").length;
    });
  });
});
