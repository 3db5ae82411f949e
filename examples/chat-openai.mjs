// A chat loop with memory: each turn is stored in edgemem, and before each model call the
// context endpoint assembles what the model should see (pinned system prompt, running
// summary, recalled memories and older turns, recent turns) within a token budget. What
// the user says about themselves is kept as a memory of the user, so a later session — a
// new conversation of the same USER_ID — remembers it.
//
//   npm run dev                                   # edgemem on http://localhost:8787
//   npm run example:fake-llm                      # or use a real model (OPENAI_API_KEY=sk-…)
//   OPENAI_BASE_URL=… npm run example:chat -- "Hi, I'm Ana. I live in Porto."
//   OPENAI_BASE_URL=… npm run example:chat -- "Where do I live?"   # a new session remembers
//   npm run example:chat                          # type messages; an empty line ends
//
// Environment: EDGEMEM_URL (http://localhost:8787), EDGEMEM_API_KEY (dev-key-local-only),
// OPENAI_BASE_URL (the official API; any OpenAI-compatible server works), OPENAI_API_KEY,
// OPENAI_MODEL (gpt-4o-mini), USER_ID (demo-user), CONVERSATION_ID (a new one per run),
// MAX_TOKENS (2000).
import { createInterface } from "node:readline/promises";
import { EdgememClient } from "edgemem/client";
import OpenAI from "openai";

const env = process.env;
const edgememUrl = env.EDGEMEM_URL ?? "http://localhost:8787";
const memory = new EdgememClient({
  baseUrl: edgememUrl,
  apiKey: env.EDGEMEM_API_KEY ?? "dev-key-local-only",
  maxRetries: 1,
});
const openai = new OpenAI({
  baseURL: env.OPENAI_BASE_URL || undefined,
  apiKey: env.OPENAI_API_KEY ?? "not-needed-for-local-servers",
});
const model = env.OPENAI_MODEL ?? "gpt-4o-mini";
const userId = env.USER_ID ?? "demo-user";
const conversationId = env.CONVERSATION_ID ?? `chat-${Date.now().toString(36)}`;
const maxTokens = Number(env.MAX_TOKENS ?? 2000);

/**
 * A deliberately naive stand-in for fact extraction: a sentence about the user becomes a
 * memory of the user (the same text twice is stored once). In production, let the server
 * do it: FACT_EXTRACTOR=openai extracts facts from the conversation with a model.
 */
async function rememberFacts(text) {
  for (const sentence of text.split(/(?<=[.!?])\s+/)) {
    if (/\b(i am|i'm|my|i live|i like|i work)\b/i.test(sentence)) {
      await memory.createMemory({ userId, text: sentence.trim() });
    }
  }
}

/** One turn: store the user's message, get the context, call the model, store its answer. */
export async function turn(text) {
  await memory.appendMessages(conversationId, [{ role: "user", content: text }]);
  await rememberFacts(text);
  const context = await memory.getContext(conversationId, { maxTokens });
  const completion = await openai.chat.completions.create({ model, messages: context.messages });
  const message = completion.choices[0]?.message;
  // The model's message as the SDK returns it (refusal, annotations and all).
  if (message) await memory.appendMessages(conversationId, [message]);
  return { answer: message?.content ?? "", usage: context.usage, recalled: context.recalled };
}

async function main() {
  await memory.putConversation(conversationId, { workingTokens: 4000, userId });
  await memory.appendMessages(
    conversationId,
    [{ role: "system", content: "You are a helpful assistant with a good memory.", pinned: true }],
    { idempotencyKey: `${conversationId}-system` },
  );
  console.log(`conversation ${conversationId} of user ${userId} (model ${model})`);
  const show = ({ answer, usage, recalled }) =>
    `assistant: ${answer}\n  [context: ${usage.total}/${usage.budget} tokens, ${recalled.length} recalled]`;

  const scripted = process.argv.slice(2);
  if (scripted.length > 0) {
    for (const text of scripted) console.log(`you: ${text}\n${show(await turn(text))}`);
  } else {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    for (;;) {
      const text = (await rl.question("you: ")).trim();
      if (!text) break;
      console.log(show(await turn(text)));
    }
    rl.close();
  }
  const stored = await memory.listMessages(conversationId, { limit: 500 });
  console.log(`stored ${stored.messages.length} messages in ${conversationId}`);
}

/** A server that is not running is a setup step, not a stack trace. */
function unreachable(error) {
  const cause = error?.cause ?? error;
  return (
    ["ECONNREFUSED", "ENOTFOUND", "ECONNRESET"].includes(cause?.code) ||
    (error instanceof TypeError && error.message === "fetch failed")
  );
}

try {
  await main();
} catch (error) {
  if (!unreachable(error)) throw error;
  console.error(
    `Cannot reach edgemem at ${edgememUrl}. Start it with \`npm run dev\` in the edgemem folder, or set EDGEMEM_URL.`,
  );
  process.exitCode = 1;
}
