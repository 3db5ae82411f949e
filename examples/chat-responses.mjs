// The same loop on OpenAI's Responses API, as an agent: the model's output items
// (reasoning, function calls, its message) and the app's `function_call_output` items are
// appended to edgemem as the SDK gives them, and edgemem's context goes back as `input`.
//
//   npm run dev
//   OPENAI_API_KEY=sk-… npm run example:responses -- "Hi, I'm Ana" "What time is it?"
//
// Environment as for chat-openai.mjs (OPENAI_MODEL defaults to gpt-5-mini here).
import { EdgememClient } from "edgemem/client";
import OpenAI from "openai";

const env = process.env;
const memory = new EdgememClient({
  baseUrl: env.EDGEMEM_URL ?? "http://localhost:8787",
  apiKey: env.EDGEMEM_API_KEY ?? "dev-key-local-only",
});
const openai = new OpenAI({
  baseURL: env.OPENAI_BASE_URL || undefined,
  apiKey: env.OPENAI_API_KEY ?? "not-needed-for-local-servers",
});
const model = env.OPENAI_MODEL ?? "gpt-5-mini";
const conversationId = env.CONVERSATION_ID ?? `responses-${Date.now().toString(36)}`;

const tools = [
  {
    type: "function",
    name: "clock",
    description: "The current date and time (UTC)",
    parameters: { type: "object", properties: {}, additionalProperties: false },
    strict: true,
  },
];
const run = { clock: () => new Date().toISOString() };

/**
 * One turn: store the user's message, then until the model answers in words: read the
 * context, call the model with it as `input`, store its output items, run the functions
 * it called and store their outputs. edgemem keeps each call with its output and
 * reasoning with the item after it, so every context is valid input.
 */
export async function turn(text) {
  await memory.appendMessages(conversationId, [{ role: "user", content: text }]);
  for (let step = 0; step < 4; step++) {
    const context = await memory.getContext(conversationId, { maxTokens: 2000 });
    const response = await openai.responses.create({ model, input: context.messages, tools });
    const calls = response.output.filter((item) => item.type === "function_call");
    const outputs = calls.map((call) => ({
      type: "function_call_output",
      call_id: call.call_id,
      output: run[call.name]?.() ?? `no function ${call.name}`,
    }));
    await memory.appendMessages(conversationId, [...response.output, ...outputs]);
    if (calls.length === 0) return response.output_text;
  }
  return "(no answer after 4 steps)";
}

await memory.appendMessages(
  conversationId,
  [{ role: "developer", content: "You are a concise assistant.", pinned: true }],
  { idempotencyKey: `${conversationId}-instructions` },
);
const turns = process.argv.slice(2);
for (const text of turns.length > 0 ? turns : ["Hi, I'm Ana.", "What time is it?"]) {
  console.log(`you: ${text}\nassistant: ${await turn(text)}`);
}
const stored = await memory.listMessages(conversationId);
console.log(`stored ${stored.messages.length} messages in ${conversationId}`);
