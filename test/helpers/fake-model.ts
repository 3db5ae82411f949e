import { answer, startFakeOpenAI } from "./fake-openai.ts";

/**
 * A stand-in for an OpenAI-compatible model, started (in Node, by vitest.config.ts) on a
 * free loopback port, so the Worker's model summarizer and fact extractor talk HTTP to
 * something real.
 * Deterministic answers:
 * - fact extraction prompts: a fact for every offered message containing "remember:";
 * - everything else (summaries): "Model summary of N lines." where N counts the lines.
 */

function reply(body: any): string {
  const system: string = body?.messages?.[0]?.content ?? "";
  const user: string = body?.messages?.at(-1)?.content ?? "";
  if (system.startsWith("Extract durable facts")) {
    const facts = user
      .split("\n")
      .map((line) => /^\[([^\]]+)\] .*remember: (.+)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ text: `The user says: ${m[2]}`, sources: [m[1]] }));
    return JSON.stringify({ facts });
  }
  return `Model summary of ${user.split("\n").length} lines.`;
}

/** Starts the fake model; it never keeps the test process alive on its own. */
export async function startFakeModel(): Promise<{ url: string }> {
  const server = await startFakeOpenAI({
    otherwise: (res, body) => answer(reply(body))(res, body),
    detached: true,
  });
  return { url: server.baseUrl };
}
