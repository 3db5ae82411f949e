import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IMAGE_TOKENS_HIGH, IMAGE_TOKENS_LOW } from "../../src/memory/chat/messages";
import { chatRequestErrors } from "../helpers/chat-rules";
import { runDueWork, sqlOf } from "../helpers/conversation-object";
import { ALPHA, call, freshId, readAllMessages } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const messagesOf = (id: string) => `/v1/conversations/${id}/messages`;

const toolCall = {
  id: "call_1",
  type: "function",
  function: { name: "get_weather", arguments: '{"city":"Lisbon"}' },
};
/** An OpenAI tool exchange: a question, the call, its answer, the reply. */
const exchange = [
  { role: "user", content: "What is the weather in Lisbon?", id: "q" },
  { role: "assistant", content: null, tool_calls: [toolCall], id: "call" },
  { role: "tool", content: '{"celsius":21,"sky":"sunny"}', tool_call_id: "call_1", id: "answer" },
  {
    role: "user",
    id: "photo",
    content: [
      { type: "text", text: "And what is in this photo of the harbour?" },
      { type: "image_url", image_url: { url: "https://example.com/harbour.png", detail: "low" } },
      { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
    ],
  },
];

/** Only what an app sent, in the order it sent it. */
const asSentFields = (m: any) => {
  const { id, role, content, tool_calls, tool_call_id } = m;
  return {
    id,
    role,
    content,
    ...(tool_calls ? { tool_calls } : {}),
    ...(tool_call_id ? { tool_call_id } : {}),
  };
};

describe("OpenAI chat-completions messages, kept as sent", () => {
  it("stores tool calls, tool answers, null content and content parts and lists them exactly as sent", async () => {
    const id = freshId();
    const res = await call("POST", messagesOf(id), { body: { messages: exchange } });
    expect(res.status, res.text).toBe(201);
    const listed = await readAllMessages(id);
    expect(listed.map(asSentFields)).toEqual(exchange);
    // Fields that were not sent are not invented.
    expect(listed[0]).not.toHaveProperty("tool_calls");
    expect(listed[0]).not.toHaveProperty("tool_call_id");
    expect(listed[1]).not.toHaveProperty("tool_call_id");
  });

  it("counts tokens per kind: text parts, images by detail, other parts as JSON, tool calls' name and arguments", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx" } });
    const approx = (text: string) => Math.ceil(new TextEncoder().encode(text).byteLength / 4);
    const res = await call("POST", messagesOf(id), {
      body: {
        messages: [
          ...exchange,
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }],
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    const tokens = res.json.messages.map((m: any) => m.tokens);
    const other = exchange[3]?.content?.[2];
    expect(tokens).toEqual([
      approx("What is the weather in Lisbon?"),
      approx("get_weather") + approx('{"city":"Lisbon"}'),
      approx('{"celsius":21,"sky":"sunny"}'),
      approx("And what is in this photo of the harbour?") +
        IMAGE_TOKENS_LOW +
        approx(JSON.stringify(other)),
      IMAGE_TOKENS_HIGH,
    ]);
    expect(res.json.conversation.workingTokenCount).toBe(
      tokens.reduce((a: number, b: number) => a + b),
    );
  });

  it("searches the text parts and returns hits as sent", async () => {
    const id = freshId();
    await call("POST", messagesOf(id), { body: { messages: exchange } });
    const res = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "harbour photo" },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r: any) => r.message.id)).toEqual(["photo"]);
    expect(res.json.results[0].message.content).toEqual(exchange[3]?.content);
    // Image URLs and part types are not text: they are not searched.
    const url = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "input_audio" },
    });
    expect(url.json.results).toEqual([]);
  });

  it("keeps the fields as sent once the messages are archived in KV", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    await call("POST", messagesOf(id), { body: { messages: exchange } });
    const filler = Array.from({ length: 40 }, (_, i) => ({
      role: "user",
      content: `filler ${i} `.padEnd(100, "z"),
    }));
    await call("POST", messagesOf(id), { body: { messages: filler } });
    await runDueWork(id);
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await runDueWork(id);
    const left = await sqlOf<{ n: number }>(
      id,
      "SELECT COUNT(*) AS n FROM messages WHERE seq <= 4",
    );
    expect(left[0]?.n).toBe(0);
    const listed = await readAllMessages(id);
    expect(listed.slice(0, 4).map(asSentFields)).toEqual(exchange);
    expect(listed[0].tier).toBe("archived");
    const hit = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "harbour" },
    });
    expect(hit.json.results[0].message.content).toEqual(exchange[3]?.content);
  });

  it("exports the messages as sent", async () => {
    const id = freshId();
    const userId = freshId("u");
    await call("PUT", `/v1/conversations/${id}`, { body: { userId } });
    await call("POST", messagesOf(id), { body: { messages: exchange } });
    const response = await SELF.fetch(`https://edgemem.test/v1/users/${userId}/export`, {
      headers: { authorization: `Bearer ${ALPHA}` },
    });
    const lines = new TextDecoder()
      .decode(await response.arrayBuffer())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((line) => line.type === "message");
    expect(lines.map(asSentFields)).toEqual(exchange);
  });

  it.each([
    [{ role: "tool", content: "42" }, "messages.0.tool_call_id"],
    [{ role: "tool", content: "42", tool_call_id: "c1", name: "calculator" }, "messages.0.name"],
    [{ role: "user", content: "hi", tool_call_id: "c1" }, "messages.0.tool_call_id"],
    [{ role: "user", content: "hi", tool_calls: [toolCall] }, "messages.0.tool_calls"],
    [{ role: "user", content: null }, "messages.0.content"],
    [{ role: "assistant", content: null }, "messages.0.content"],
    [{ role: "assistant", content: null, tool_calls: [] }, "messages.0.tool_calls"],
    [
      { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function" }] },
      "messages.0.tool_calls.0.function",
    ],
    [{ role: "user", content: [{ type: "text" }] }, "messages.0.content.0.text"],
    [
      { role: "user", content: [{ type: "image_url", image_url: {} }] },
      "messages.0.content.0.image_url.url",
    ],
    [{ role: "user", content: [] }, "messages.0.content"],
    [{ role: "assistant", content: null, refusal: null }, "messages.0.content"],
    [{ role: "assistant", content: [{ type: "refusal" }] }, "messages.0.content.0.refusal"],
    [{ role: "user", content: "hi", refusal: null }, "messages.0.refusal"],
    [{ role: "assistant", content: "Hi", audio: { id: "audio_1" } }, "messages.0.audio"],
    [{ role: "user", content: "hi", providerOptions: "fast" }, "messages.0.providerOptions"],
    [
      { role: "tool", content: [{ type: "tool-result", toolName: "f", output: {} }] },
      "messages.0.tool_call_id",
    ],
    [
      { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } },
      "messages.0.function_call",
    ],
  ])("rejects %j naming %s, and appends nothing", async (message, field) => {
    const id = freshId();
    const res = await call("POST", messagesOf(id), {
      body: { messages: [{ role: "user", content: "fine" }, message] },
    });
    expectProblem(res, 400, "invalid_request", [field.replace("messages.0", "messages.1")]);
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
  });

  it("limits content parts by their serialized size", async () => {
    const res = await call("POST", messagesOf(freshId()), {
      body: { messages: [{ role: "user", content: [{ type: "text", text: "x".repeat(70_000) }] }] },
    });
    expectProblem(res, 400, "invalid_request", ["messages.0.content"]);
    // An inline image too large to keep: the answer gives its size and says to send a URL.
    const image = {
      type: "image_url",
      image_url: { url: `data:image/png;base64,${"A".repeat(90_000)}` },
    };
    const inline = await call("POST", messagesOf(freshId()), {
      body: { messages: [{ role: "user", content: [image] }] },
    });
    expect(inline.status, inline.text).toBe(400);
    expect(inline.json.errors[0].message).toMatch(/this one is 900\d\d\).*as a URL/);
  });

  it("takes the model's message as the SDK returns it: empty response fields left out, a refusal as a refusal part", async () => {
    const id = freshId();
    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx" } });
    const approx = (text: string) => Math.ceil(new TextEncoder().encode(text).byteLength / 4);
    // `choice.message` of a chat completion, and of one the model refused.
    const answered = {
      role: "assistant",
      content: "Lisbon is sunny today.",
      refusal: null,
      annotations: [{ type: "url_citation", url_citation: { url: "https://example.com" } }],
      audio: null,
      function_call: null,
    };
    const refused = {
      role: "assistant",
      content: null,
      refusal: "I can't help with lock picking.",
    };
    const res = await call("POST", messagesOf(id), {
      body: { messages: [{ role: "user", content: "Weather?" }, answered, refused] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.messages[2].tokens).toBe(approx("I can't help with lock picking."));
    const listed = await readAllMessages(id);
    expect(listed[1].content).toBe("Lisbon is sunny today.");
    for (const field of ["refusal", "annotations", "audio", "function_call"]) {
      expect(listed[1]).not.toHaveProperty(field);
    }
    expect(listed[2].content).toEqual([
      { type: "refusal", refusal: "I can't help with lock picking." },
    ]);
    expect(listed[2]).not.toHaveProperty("refusal");
    // The refusal is text search finds, and the context sends it as a request takes it.
    const found = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "lock picking" },
    });
    expect(found.json.results.map((r: any) => r.message.seq)).toEqual([3]);
    const context = await call("GET", `/v1/conversations/${id}/context?maxTokens=500`);
    expect(chatRequestErrors({ messages: context.json.messages })).toEqual([]);
    expect(context.json.messages.at(-1).content).toEqual(listed[2].content);
    // An empty refusal refused nothing; fields sent as null (Python's model_dump()) are absent.
    const other = freshId();
    const dumped = await call("POST", messagesOf(other), {
      body: {
        messages: [
          { role: "user", content: "Hi", name: null },
          { role: "assistant", content: "Sure.", refusal: "", tool_calls: null, audio: null },
        ],
      },
    });
    expect(dumped.status, dumped.text).toBe(201);
    const stored = await readAllMessages(other);
    expect(stored.map((m: any) => [m.content, m.name, "tool_calls" in m])).toEqual([
      ["Hi", null, false],
      ["Sure.", null, false],
    ]);
  });

  it("takes developer messages (OpenAI's instructions for its newer models), pinned or not, and sends them back as sent", async () => {
    const id = freshId();
    const developer = { role: "developer", content: "Answer in one sentence.", pinned: true };
    const res = await call("POST", messagesOf(id), {
      body: {
        messages: [
          developer,
          { role: "user", content: "Where is Belém?" },
          { role: "developer", content: "Cite the source." },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    const listed = await readAllMessages(id);
    expect(listed.map((m: any) => [m.role, m.pinned])).toEqual([
      ["developer", true],
      ["user", false],
      ["developer", false],
    ]);
    const context = await call("GET", `/v1/conversations/${id}/context?maxTokens=200`);
    expect(context.json.messages.map((m: any) => m.role)).toEqual([
      "developer",
      "user",
      "developer",
    ]);
    expect(chatRequestErrors({ messages: context.json.messages })).toEqual([]);
  });

  it("searches the output of tool-result parts, Anthropic's and the AI SDK's, as a tool message's", async () => {
    const id = freshId();
    const res = await call("POST", messagesOf(id), {
      body: {
        messages: [
          {
            role: "assistant",
            content: [{ type: "tool_use", id: "t1", name: "weather", input: { city: "Porto" } }],
          },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                tool_use_id: "t1",
                content: [{ type: "text", text: "Porto: drizzle, 14 °C" }],
              },
            ],
          },
          {
            role: "assistant",
            content: [{ type: "tool-call", toolCallId: "c1", toolName: "fx", input: {} }],
          },
          {
            role: "tool",
            content: [
              {
                type: "tool-result",
                toolCallId: "c1",
                toolName: "fx",
                output: { type: "json", value: { pair: "EURUSD", rate: 1.09 } },
              },
            ],
          },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    const seqsFor = async (query: string) =>
      (await call("POST", `/v1/conversations/${id}/search`, { body: { query } })).json.results.map(
        (r: any) => r.message.seq,
      );
    expect(await seqsFor("drizzle in Porto")).toEqual([2]);
    expect(await seqsFor("EURUSD rate")).toEqual([4]);
    // Stored and returned as sent.
    const listed = await readAllMessages(id);
    expect(listed[1].content[0].type).toBe("tool_result");
  });
});
