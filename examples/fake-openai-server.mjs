// A stand-in for an OpenAI-compatible chat-completions server on 127.0.0.1, so the examples
// run without a model or network. Like a model, it answers from the context it is sent:
// the line of an earlier message (a recalled memory, the summary, an older turn) that
// shares the most words with the last user message, or else that message itself. Offered
// tools, it calls the first once per user message before it answers. It records each
// request.
//
//   node examples/fake-openai-server.mjs          # prints OPENAI_BASE_URL=http://127.0.0.1:PORT/v1
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const textOf = (content) =>
  typeof content === "string"
    ? content
    : (content ?? [])
        .filter((part) => part.type === "text")
        .map((part) => part.text)
        .join("\n");

const STOP = new Set(
  "what whats where when who how does do did is are was the a an my your you me i im and of in to".split(
    " ",
  ),
);
const words = (text) =>
  new Set(
    text
      .toLowerCase()
      .replace(/[’']/g, "")
      .match(/[\p{L}\p{N}]+/gu)
      ?.filter((w) => w.length > 2 && !STOP.has(w))
      .map((w) => w.replace(/s$/, "")) ?? [],
  );

/**
 * With tools offered, the first is called once per user message, with `{}` as arguments;
 * once its answer is in (the last message is a tool's), the model answers in text.
 */
function callFor(tools, messages) {
  const name = tools?.[0]?.function?.name;
  if (!name || messages.at(-1)?.role === "tool") return null;
  return {
    id: `call_fake_${messages.length}`,
    type: "function",
    function: { name, arguments: "{}" },
  };
}

/** The earlier line that best answers the last user message, or an echo of it. */
function reply(messages) {
  const last = messages.findLastIndex((m) => m.role === "user");
  const question = textOf(messages[last]?.content);
  const asked = words(question);
  let best = { score: 0, line: "" };
  messages.forEach((message, i) => {
    if (i === last) return;
    for (const line of textOf(message.content).split("\n")) {
      const score = [...words(line)].filter((w) => asked.has(w)).length;
      if (score > best.score) best = { score, line: line.replace(/^[-*\s]+/, "").trim() };
    }
  });
  return best.score > 0 ? `From what I remember: ${best.line}` : `You said: ${question}`;
}

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
      const toolCall = callFor(body.tools, messages);
      const content = toolCall
        ? null
        : `(fake model, ${messages.length} messages in context) ${reply(messages)}`;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake-${received.length}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? "fake-model",
          choices: [
            {
              index: 0,
              // As the official API answers: the response-only fields come along.
              message: {
                role: "assistant",
                content,
                refusal: null,
                annotations: [],
                ...(toolCall ? { tool_calls: [toolCall] } : {}),
              },
              finish_reason: toolCall ? "tool_calls" : "stop",
            },
          ],
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
