// A chat loop with memory: each turn is stored in edgemem, and before each model call the
// context endpoint assembles what the model should see (pinned system prompt, running
// summary, recalled older turns, recent turns) within a token budget.
//
//   npm run dev                                   # edgemem on http://localhost:8787
//   OPENAI_API_KEY=sk-… npm run example:chat      # type messages; an empty line ends
//   npm run example:chat -- "Hi, I'm Ana" "What's my name?"   # or pass the turns
//
// Environment: EDGEMEM_URL (http://localhost:8787), EDGEMEM_API_KEY (dev-key-local-only),
// OPENAI_BASE_URL (the official API; any OpenAI-compatible server works), OPENAI_API_KEY,
// OPENAI_MODEL (gpt-4o-mini), CONVERSATION_ID (a new one per run), MAX_TOKENS (2000).
import { createInterface } from "node:readline/promises";
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
const model = env.OPENAI_MODEL ?? "gpt-4o-mini";
const conversationId = env.CONVERSATION_ID ?? `chat-${Date.now().toString(36)}`;
const maxTokens = Number(env.MAX_TOKENS ?? 2000);

/** One turn: store the user's message, get the context, call the model, store its answer. */
export async function turn(text) {
  await memory.appendMessages(conversationId, [{ role: "user", content: text }]);
  const context = await memory.getContext(conversationId, { maxTokens });
  const completion = await openai.chat.completions.create({ model, messages: context.messages });
  const answer = completion.choices[0]?.message?.content ?? "";
  await memory.appendMessages(conversationId, [{ role: "assistant", content: answer }]);
  return { answer, usage: context.usage };
}

await memory.putConversation(conversationId, { workingTokens: 4000 });
await memory.appendMessages(
  conversationId,
  [{ role: "system", content: "You are a helpful assistant with a good memory.", pinned: true }],
  { idempotencyKey: `${conversationId}-system` },
);
console.log(`conversation ${conversationId} (model ${model})`);

const scripted = process.argv.slice(2);
if (scripted.length > 0) {
  for (const text of scripted) {
    const { answer, usage } = await turn(text);
    console.log(
      `you: ${text}\nassistant: ${answer}\n  [context: ${usage.total}/${usage.budget} tokens]`,
    );
  }
} else {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  for (;;) {
    const text = (await rl.question("you: ")).trim();
    if (!text) break;
    const { answer, usage } = await turn(text);
    console.log(`assistant: ${answer}\n  [context: ${usage.total}/${usage.budget} tokens]`);
  }
  rl.close();
}
const stored = await memory.listMessages(conversationId, { limit: 500 });
console.log(`stored ${stored.messages.length} messages in ${conversationId}`);
