// Runs each example as a user would (`node examples/…`, the built client), against the
// running Worker and a fake OpenAI-compatible server on 127.0.0.1: no real network.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFakeOpenAI } from "../../examples/fake-openai-server.mjs";

const run = promisify(execFile);
const url = inject("edgememUrl");
let fake;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const env = (conversationId, extra = {}) => ({
  ...process.env,
  ...extra,
  EDGEMEM_URL: extra.EDGEMEM_URL ?? url,
  EDGEMEM_API_KEY: "e2e-key-alpha",
  OPENAI_BASE_URL: fake.baseURL,
  OPENAI_API_KEY: "fake",
  CONVERSATION_ID: conversationId,
});

async function messagesOf(conversationId) {
  const res = await fetch(`${url}/v1/conversations/${conversationId}/messages`, {
    headers: { authorization: "Bearer e2e-key-alpha" },
  });
  return (await res.json()).messages.map((m) => [m.role, m.content]);
}

describe("examples", () => {
  it("chat-openai.mjs stores each turn and sends the context to the model", async () => {
    const id = `example-openai-${Date.now().toString(36)}`;
    const before = fake.received.length;
    const { stdout } = await run(
      process.execPath,
      ["examples/chat-openai.mjs", "Hi, I'm Ana", "What's my name?"],
      { env: env(id), timeout: 30_000 },
    );
    expect(stdout).toContain("assistant: (fake model");
    expect(stdout).toContain(`stored 5 messages in ${id}`);
    const calls = fake.received.slice(before);
    expect(calls).toHaveLength(2);
    // The second call carries the first turn, from edgemem's context.
    expect(calls[1].messages.map((m) => m.content)).toEqual(
      expect.arrayContaining([
        "You are a helpful assistant with a good memory.",
        "Hi, I'm Ana",
        "What's my name?",
      ]),
    );
    const stored = await messagesOf(id);
    expect(stored.map(([role]) => role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
  });

  it("chat-openai.mjs remembers a user across sessions: a new conversation recalls what was said", async () => {
    const user = { USER_ID: `example-user-${Date.now().toString(36)}` };
    const first = `example-first-${Date.now().toString(36)}`;
    await run(process.execPath, ["examples/chat-openai.mjs", "Hi, I'm Ana. I live in Porto."], {
      env: env(first, user),
      timeout: 30_000,
    });
    const second = `example-second-${Date.now().toString(36)}`;
    const { stdout } = await run(
      process.execPath,
      ["examples/chat-openai.mjs", "Where do I live?"],
      {
        env: env(second, user),
        timeout: 30_000,
      },
    );
    expect(stdout).toMatch(
      /assistant: \(fake model, \d+ messages in context\) From what I remember: .*I live in Porto/,
    );
    expect(stdout).toContain("1 recalled");
  });

  it("chat-openai.mjs says how to start edgemem when it is not running, without a stack trace", async () => {
    const error = await run(process.execPath, ["examples/chat-openai.mjs", "hello"], {
      env: env("example-down", { EDGEMEM_URL: "http://127.0.0.1:9" }),
      timeout: 30_000,
    }).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toContain("Cannot reach edgemem at http://127.0.0.1:9");
    expect(error.stderr).toContain("npm run dev");
    expect(error.stderr).not.toMatch(/\n\s+at /);
  });

  it("chat-ai-sdk.mjs stores the AI SDK's messages, tool calls and results included, and generates from the context", async () => {
    const id = `example-ai-sdk-${Date.now().toString(36)}`;
    const before = fake.received.length;
    const { stdout } = await run(
      process.execPath,
      ["examples/chat-ai-sdk.mjs", "Hi, I'm Ana", "What's my name?"],
      {
        env: env(id),
        timeout: 30_000,
      },
    );
    // Each turn: the user's message, the tool call, the tool's result, the answer.
    expect(stdout).toContain(`stored 9 messages in ${id}`);
    const stored = await messagesOf(id);
    expect(stored.map(([role]) => role)).toEqual([
      "system",
      ...["user", "assistant", "tool", "assistant"],
      ...["user", "assistant", "tool", "assistant"],
    ]);
    // Stored as the SDK sent them: content parts, the tool's in its tool-result part.
    expect(stored[1]).toEqual(["user", [{ type: "text", text: "Hi, I'm Ana" }]]);
    expect(stored[2][1]).toMatchObject([{ type: "tool-call", toolName: "clock" }]);
    expect(stored[3][1]).toMatchObject([{ type: "tool-result", toolName: "clock" }]);
    expect(JSON.stringify(stored[4][1])).toContain("(fake model");
    // The second turn's first call had the first turn from edgemem's context, its tool
    // exchange as a valid request (the SDK checked the messages, the server got them).
    const calls = fake.received.slice(before);
    expect(calls).toHaveLength(4);
    const roles = calls[2].messages.map((m) => m.role);
    expect(roles).toEqual(["system", "user", "assistant", "tool", "assistant", "user"]);
    expect(calls[2].messages[3].tool_call_id).toBe(calls[2].messages[2].tool_calls[0].id);
  });

  it("chat-responses.mjs stores the Responses API's items and hands them back as valid input", async () => {
    const id = `example-responses-${Date.now().toString(36)}`;
    const before = fake.received.length;
    const { stdout } = await run(
      process.execPath,
      ["examples/chat-responses.mjs", "Hi, I'm Ana", "What's my name?"],
      { env: env(id), timeout: 30_000 },
    );
    expect(stdout).toContain("assistant: (fake model");
    // Each turn: the user's message; reasoning and a call; its output; reasoning and the answer.
    expect(stdout).toContain(`stored 13 messages in ${id}`);
    const res = await fetch(`${url}/v1/conversations/${id}/messages`, {
      headers: { authorization: "Bearer e2e-key-alpha" },
    });
    const stored = (await res.json()).messages;
    const turn = [
      "user",
      "reasoning",
      "function_call",
      "function_call_output",
      "reasoning",
      "message",
    ];
    expect(stored.map((m) => m.item?.type ?? m.role)).toEqual(["developer", ...turn, ...turn]);
    expect(stored.map((m) => m.role)).toEqual([
      "developer",
      ...["user", "assistant", "assistant", "tool", "assistant", "assistant"],
      ...["user", "assistant", "assistant", "tool", "assistant", "assistant"],
    ]);
    expect(stored[3].id).toMatch(/^oai:fc-/);
    // Every call was valid input (the fake refuses broken pairs with a 400, which the SDK
    // throws); the second turn's first call had the first turn's items as sent.
    const calls = fake.received.slice(before);
    expect(calls).toHaveLength(4);
    const input = calls[2].input;
    expect(input.map((item) => item.type ?? item.role)).toEqual([
      "developer",
      "user",
      ...["reasoning", "function_call", "function_call_output", "reasoning", "message"],
      "user",
    ]);
    expect(input[3]).toEqual(stored[3].item);
  });
});
