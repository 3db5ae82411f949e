import { createServer, type Server } from "node:http";

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
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    });
    req.on("end", () => {
      const content = reply(JSON.parse(raw || "null"));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/v1` };
}
