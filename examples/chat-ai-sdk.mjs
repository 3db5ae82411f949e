// The same loop with the Vercel AI SDK: messages in the AI SDK's `ModelMessage` format
// (content parts, tool calls and tool results included) are stored in edgemem as they are,
// and the context edgemem assembles is handed to `generateText` as `messages`.
//
//   npm run dev
//   OPENAI_API_KEY=sk-… npm run example:ai-sdk -- "Hi, I'm Ana" "What's my name?"
//
// Environment as for chat-openai.mjs (OPENAI_BASE_URL defaults to the official API).
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, stepCountIs, tool } from "ai";
import { EdgememClient } from "edgemem/client";
import { z } from "zod";

const env = process.env;
const memory = new EdgememClient({
  baseUrl: env.EDGEMEM_URL ?? "http://localhost:8787",
  apiKey: env.EDGEMEM_API_KEY ?? "dev-key-local-only",
});
const provider = createOpenAICompatible({
  name: "openai",
  baseURL: env.OPENAI_BASE_URL || "https://api.openai.com/v1",
  apiKey: env.OPENAI_API_KEY ?? "not-needed-for-local-servers",
});
const model = provider.chatModel(env.OPENAI_MODEL ?? "gpt-4o-mini");
const conversationId = env.CONVERSATION_ID ?? `ai-sdk-${Date.now().toString(36)}`;

/**
 * edgemem's context as AI SDK call options: its system messages (the pinned prompt, the
 * summary and recalled items) become `instructions`, which is where the SDK wants them;
 * the turns are the ModelMessages stored, as they were sent.
 */
function toCallOptions(contextMessages) {
  const system = contextMessages.filter((m) => m.role === "system").map((m) => m.content);
  const messages = contextMessages
    .filter((m) => m.role !== "system")
    .map(({ role, content }) => ({ role, content }));
  return { ...(system.length > 0 ? { instructions: system.join("\n\n") } : {}), messages };
}

/** A tool, so a turn may be an agent's: the model calls it, then answers. */
const tools = {
  clock: tool({
    description: "The current date and time (UTC)",
    inputSchema: z.object({}),
    execute: async () => new Date().toISOString(),
  }),
};

export async function turn(userMessage) {
  await memory.appendMessages(conversationId, [userMessage]);
  const context = await memory.getContext(conversationId, { maxTokens: 2000 });
  const result = await generateText({
    model,
    tools,
    stopWhen: stepCountIs(3),
    ...toCallOptions(context.messages),
  });
  // The SDK's response messages are ModelMessages too — the tool call, the tool's result
  // and the answer, every step's (`responseMessages`) — stored as they are; the next
  // turn's context hands them back.
  await memory.appendMessages(conversationId, result.responseMessages);
  return result.text;
}

await memory.appendMessages(
  conversationId,
  [{ role: "system", content: "You are a concise assistant.", pinned: true }],
  { idempotencyKey: `${conversationId}-system` },
);
const turns = process.argv.slice(2);
for (const text of turns.length > 0 ? turns : ["Hi, I'm Ana.", "What's my name?"]) {
  const answer = await turn({ role: "user", content: [{ type: "text", text }] });
  console.log(`you: ${text}\nassistant: ${answer}`);
}
const stored = await memory.listMessages(conversationId);
console.log(`stored ${stored.messages.length} messages in ${conversationId}`);
