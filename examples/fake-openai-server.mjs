// A stand-in for an OpenAI-compatible chat-completions server on 127.0.0.1, so the examples
// run without a model or network. It answers every chat completion with a short reply that
// quotes how many messages it was sent and the last user message, and records each request.
//
//   node examples/fake-openai-server.mjs          # prints OPENAI_BASE_URL=http://127.0.0.1:PORT/v1
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

export async function startFakeOpenAI({ port = 0 } = {}) {
  const received = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "only POST /v1/chat/completions here" } }));
        return;
      }
      const body = JSON.parse(raw || "{}");
      received.push(body);
      const messages = body.messages ?? [];
      const lastUser = [...messages].reverse().find((m) => m.role === "user");
      const text =
        typeof lastUser?.content === "string"
          ? lastUser.content
          : JSON.stringify(lastUser?.content ?? "");
      const content = `(fake model, ${messages.length} messages in context) You said: ${text}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake-${received.length}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? "fake-model",
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return {
    baseURL: `http://127.0.0.1:${address.port}/v1`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const fake = await startFakeOpenAI({ port: Number(process.env.PORT ?? 0) });
  console.log(`OPENAI_BASE_URL=${fake.baseURL}`);
}
