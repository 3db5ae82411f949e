import { describe, expect, it } from "vitest";
import { responseInputErrors } from "../helpers/chat-rules";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

const append = (id: string, messages: object[]) =>
  call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });

/** A call of the weather function, as `response.output` holds it. */
const weatherCall = (r: number, side: string, city: string) => ({
  type: "function_call",
  id: `fc_${r}${side}`,
  call_id: `call_${r}${side}`,
  name: "get_weather",
  arguments: JSON.stringify({ city }),
  status: "completed",
});

/** What a reasoning model's `response.output` holds in a round: reasoning, then its calls. */
function roundOutput(r: number) {
  return [
    { type: "reasoning", id: `rs_${r}a`, summary: [], encrypted_content: `gAAA${r}` },
    weatherCall(r, "a", "Lisbon"),
    weatherCall(r, "b", "Porto"),
  ];
}

/** An agent's chat on the Responses API, six rounds, then a call still running. */
function responsesChat(): object[] {
  const items: object[] = [
    { type: "message", role: "developer", content: "You are a travel agent.", pinned: true },
  ];
  for (let r = 0; r < 6; r++) {
    items.push(
      { role: "user", content: `Round ${r}: weather in Lisbon and Porto?` },
      ...roundOutput(r),
      { type: "function_call_output", call_id: `call_${r}a`, output: `Lisbon round ${r}: 21 °C` },
      { type: "function_call_output", call_id: `call_${r}b`, output: `Porto round ${r}: 17 °C` },
      { type: "reasoning", id: `rs_${r}b`, summary: [{ type: "summary_text", text: "Compare." }] },
      {
        type: "message",
        id: `msg_${r}`,
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: `Round ${r}: 21 and 17 °C.`, annotations: [] }],
      },
    );
  }
  items.push({ role: "user", content: "Book the flight." }, ...roundOutput(9).slice(0, 2));
  return items;
}

/** The reasoning an item of the model came with: `rs_<round>a` for calls, `rs_<round>b` for answers. */
const reasoningOf = (item: Record<string, any>) => {
  const round = /^(?:fc|msg)_(\d)/.exec(item.id ?? "")?.[1];
  if (!round) return null;
  return item.type === "message" ? `rs_${round}b` : `rs_${round}a`;
};

describe("OpenAI Responses API items", () => {
  it("are stored as sent and come back as valid Responses input at every budget", async () => {
    const id = freshId("responses");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 400 } });
    const items = responsesChat();
    const appended = await append(id, items);
    expect(appended.status, appended.text).toBe(201);
    await runDueWork(id);
    let exchanges = 0;
    for (const maxTokens of [30, 60, 90, 120, 200, 350, 600, 1000, 3000]) {
      const res = await call("POST", `/v1/conversations/${id}/context`, {
        body: { maxTokens, query: "Porto weather round 2" },
      });
      expect(res.status, res.text).toBe(200);
      const { messages, usage } = res.json;
      expect(usage.total).toBeLessThanOrEqual(maxTokens);
      expect(responseInputErrors(messages, reasoningOf), `maxTokens ${maxTokens}`).toEqual([]);
      // Items exactly as sent: OpenAI's ids and status kept, edgemem's fields (pinned) not.
      const unpinned = items.map(({ pinned: _, ...item }: any) => item);
      for (const m of messages.filter((m: any) => m.type !== undefined)) {
        expect(unpinned).toContainEqual(m);
      }
      expect(messages.some((m: any) => m.call_id === "call_9a")).toBe(false);
      exchanges += messages.filter((m: any) => m.type === "function_call_output").length;
    }
    expect(exchanges).toBeGreaterThan(0);
  });

  it("keeps each item whole, reads its words, and stores a re-sent output once", async () => {
    const id = freshId("responses");
    const output = [
      ...roundOutput(1),
      {
        type: "message",
        id: "msg_1",
        role: "assistant",
        status: "completed",
        content: [
          { type: "output_text", text: "The ferry to Cacilhas leaves at 9.", annotations: [] },
          { type: "refusal", refusal: "I cannot book it for you." },
        ],
      },
    ];
    const first = await append(id, [
      { role: "user", content: "When does the ferry leave?" },
      ...output,
      {
        type: "function_call_output",
        call_id: "call_1a",
        output: [{ type: "input_text", text: "Timetable: ferry to Cacilhas at 9:00" }],
        metadata: { source: "timetable" },
      },
      // As Python's model_dump() writes an item: every field, None included.
      {
        type: "function_call_output",
        call_id: "call_1b",
        output: "Porto: 17 °C",
        id: null,
        status: null,
      },
    ]);
    expect(first.status, first.text).toBe(201);
    // The model's items are named by OpenAI's ids, so the same output appended again is a duplicate.
    expect(first.json.messages.map((m: any) => m.id).slice(1, 5)).toEqual([
      "oai:rs-1a",
      "oai:fc-1a",
      "oai:fc-1b",
      "oai:msg-1",
    ]);
    // Another provider's id that makes no message id: stored all the same, under a new id.
    const foreign = await append(id, [
      { type: "reasoning", id: "gen/42 ä", summary: [] },
      { type: "message", role: "assistant", id: "gen/42 ä", content: "Noted." },
    ]);
    expect(foreign.status, foreign.text).toBe(201);
    expect(foreign.json.messages.map((m: any) => m.id)).not.toContain("oai:gen/42-ä");
    const again = await append(id, output);
    expect(again.status, again.text).toBe(201);
    expect(again.json.messages.every((m: any) => m.duplicate)).toBe(true);
    const changed = await append(id, [{ ...output[3], content: "Something else." }]);
    expect(changed.status, changed.text).toBe(409);

    const listed = await call("GET", `/v1/conversations/${id}/messages?limit=100`);
    const [user, rs, fc, , msg, out] = listed.json.messages;
    expect(user).toMatchObject({ role: "user", content: "When does the ferry leave?" });
    expect(user.item).toBeUndefined();
    expect(rs).toMatchObject({ role: "assistant", content: "", item: output[0] });
    expect(fc).toMatchObject({ role: "assistant", content: "", item: output[1] });
    expect(msg).toMatchObject({
      role: "assistant",
      content: "The ferry to Cacilhas leaves at 9.\nI cannot book it for you.",
      item: output[3],
    });
    expect(out).toMatchObject({
      role: "tool",
      content: "Timetable: ferry to Cacilhas at 9:00",
      metadata: { source: "timetable" },
    });
    expect(out.item.metadata).toBeUndefined();
    expect(listed.json.messages[6].item).toEqual({
      type: "function_call_output",
      call_id: "call_1b",
      output: "Porto: 17 °C",
      id: null,
      status: null,
    });
    // Tokens: a call's name and arguments, reasoning's summary (none here), a message's words.
    expect(rs.tokens).toBe(0);
    expect(fc.tokens).toBeGreaterThan(2);
    expect(fc.tokens).toBeLessThan(20);
    expect(msg.tokens).toBeLessThan(30);

    // The words of message items and outputs are searched; recall quotes an output as a tool's.
    const found = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "timetable Cacilhas" },
    });
    expect(found.json.results.map((r: any) => r.message.id)).toContain(out.id);
    expect(found.json.results[0].message.item).toBeDefined();
  });

  it("reads the Responses API's input_text parts as words and input_image parts as images", async () => {
    const id = freshId("responses");
    const text = "Is the ferry to Cacilhas on this ticket?";
    const res = await append(id, [
      { role: "user", content: text },
      {
        role: "user",
        content: [
          { type: "input_text", text },
          { type: "input_image", image_url: "https://example.com/ticket.png", detail: "low" },
        ],
      },
    ]);
    expect(res.status, res.text).toBe(201);
    const [plain, parts] = res.json.messages;
    expect(parts.tokens).toBe(plain.tokens + 85);
    const found = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "Cacilhas ticket" },
    });
    expect(found.json.results.map((r: any) => r.message.seq).sort()).toEqual([1, 2]);
  });

  it("answers a bad item with a 400 naming the field, and a bad message still names its own", async () => {
    const id = freshId("responses");
    const cases: [object, string][] = [
      [{ type: "function_kall", call_id: "c" }, "messages.0.type"],
      [{ type: "function_call", name: "f", arguments: "{}" }, "messages.0.call_id"],
      [{ type: "function_call", call_id: "c", name: "f", arguments: {} }, "messages.0.arguments"],
      [{ type: "function_call_output", call_id: "c" }, "messages.0.output"],
      [{ type: "apply_patch_call", id: "ap_1" }, "messages.0.call_id"],
      [{ type: "message", role: "tool", content: "x" }, "messages.0.role"],
      [{ type: "message", role: "user", content: 7 }, "messages.0.content"],
      // An Anthropic response object appended whole: its blocks are not this API's parts.
      [
        {
          type: "message",
          id: "msg_01",
          role: "assistant",
          model: "claude",
          content: [{ type: "text", text: "Hi" }],
          stop_reason: "end_turn",
        },
        "messages.0.content.0.type",
      ],
      [{ type: "reasoning", id: "", summary: [] }, "messages.0.id"],
      [{ role: "user", content: 7 }, "messages.0.content"],
      [{ role: "robot", content: "x" }, "messages.0.role"],
      [{ type: "function_call_output", call_id: "c", output: "x".repeat(70_000) }, "messages.0"],
    ];
    for (const [message, field] of cases) {
      const res = await append(id, [message]);
      expect(res.status, JSON.stringify(message)).toBe(400);
      expect(
        res.json.errors.map((e: any) => e.path),
        res.text,
      ).toContain(field);
    }
    // A generated image is too large to keep: the answer says so, and what to do instead.
    const image = { type: "image_generation_call", id: "ig_1", result: "iVBOR".repeat(20_000) };
    const res = await append(id, [{ role: "user", content: "Draw a tram." }, image]);
    expect(res.status, res.text).toBe(400);
    expect(res.json.errors).toEqual([
      { path: "messages.1", message: expect.stringMatching(/this one is 100\d{3}\).*reference/) },
    ]);
    const listed = await call("GET", `/v1/conversations/${id}/messages`);
    expect(listed.json.messages ?? []).toEqual([]);
  });
});

describe("OpenAI Responses API items in recent turns", () => {
  it("passes over a call whose output is too large once answered, and keeps the dialogue before it", async () => {
    const id = freshId("responses");
    const table = Array.from({ length: 120 }, (_, i) => ({ day: i, city: "Lisbon", celsius: 20 }));
    const appended = await append(id, [
      { role: "user", content: "My name is Ines and I live in Porto." },
      { type: "message", id: "msg_a", role: "assistant", content: "Nice to meet you, Ines." },
      { role: "user", content: "What is the forecast table for Lisbon?" },
      { type: "reasoning", id: "rs_b", summary: [] },
      weatherCall(1, "a", "Lisbon"),
      { type: "function_call_output", call_id: "call_1a", output: JSON.stringify(table) },
      { type: "reasoning", id: "rs_c", summary: [] },
      { type: "message", id: "msg_c", role: "assistant", content: "Lisbon stays sunny, 20 °C." },
      { role: "user", content: "Thanks! And where do I live again?" },
    ]);
    expect(appended.status, appended.text).toBe(201);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 500, recall: 0 },
    });
    expect(res.status, res.text).toBe(200);
    const { messages, truncated } = res.json;
    expect(responseInputErrors(messages)).toEqual([]);
    expect(messages.map((m: any) => m.id ?? m.content)).toEqual([
      "My name is Ines and I live in Porto.",
      "msg_a",
      "What is the forecast table for Lisbon?",
      "rs_c",
      "msg_c",
      "Thanks! And where do I live again?",
    ]);
    expect(truncated).toBe(true);
  });
});

describe("OpenAI Responses API items in recall", () => {
  it("quotes an archived output as the tool's, with no empty lines for calls or reasoning", async () => {
    const id = freshId("responses");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 300 } });
    const appended = await append(id, responsesChat());
    expect(appended.status, appended.text).toBe(201);
    await runDueWork(id);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 400, query: "Porto round 1" },
    });
    expect(res.status, res.text).toBe(200);
    const note: string = res.json.messages.find((m: any) =>
      m.content?.includes?.("Earlier messages"),
    )?.content;
    expect(note, res.text).toMatch(/tool: (Lisbon round 1: 21 °C\n)?Porto round 1: 17 °C/);
    expect(note).not.toMatch(/(^|\n)\s*(assistant|tool):\s*(\n|$)/);
  });
});
