// A stand-in for an OpenAI-compatible chat-completions server on 127.0.0.1, so the examples
// run without a model or network. Like a model, it answers from the context it is sent:
// the line of an earlier message (a recalled memory, the summary, an older turn) that
// shares the most words with the last user message, or else that message itself. Offered
// tools, it calls the first once per user message before it answers. It records each
// request. It serves chat completions and the Responses API (`POST /v1/responses`, as a
// reasoning model: reasoning before each call and answer), and refuses, in the official
// API's words, a Responses `input` that breaks that API's pairing rules.
//
//   node examples/fake-openai-server.mjs          # prints OPENAI_BASE_URL=http://127.0.0.1:PORT/v1
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const textOf = (content) =>
  typeof content === "string"
    ? content
    : (content ?? [])
        .filter((part) => ["text", "input_text", "output_text"].includes(part.type))
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

const MESSAGE_FIELDS = new Set(["role", "content", "type"]);

/**
 * The Responses API's rules on `input`, as that API words its 400s: plain messages carry
 * only their fields; each function call has its output after it and each output a call
 * before it; reasoning comes with the item after it; an item that came with reasoning
 * (`reasoningOf`, ids this server gave) is sent with it.
 */
function responseInputError(input, reasoningOf) {
  if (!Array.isArray(input)) return "Invalid type for 'input': expected an array.";
  const ids = new Set(input.map((item) => item.id).filter(Boolean));
  const calls = new Set();
  for (const [i, item] of input.entries()) {
    if (item.type === undefined || item.type === "message") {
      const extra = Object.keys(item).find(
        (k) => !MESSAGE_FIELDS.has(k) && k !== "id" && k !== "status",
      );
      if (extra) return `Unknown parameter: 'input[${i}].${extra}'.`;
    }
    if (item.type === "function_call") calls.add(item.call_id);
    if (item.type === "function_call_output" && !calls.has(item.call_id)) {
      return `No tool call found for function call output with call_id ${item.call_id}.`;
    }
    if (item.type === "reasoning" && !input[i + 1]?.type) {
      return `Item '${item.id}' of type 'reasoning' was provided without its required following item.`;
    }
    const reasoning = reasoningOf.get(item.id);
    if (reasoning && !ids.has(reasoning)) {
      return `Item '${item.id}' of type '${item.type}' was provided without its required 'reasoning' item: '${reasoning}'.`;
    }
  }
  const answered = new Set(
    input.filter((i) => i.type === "function_call_output").map((i) => i.call_id),
  );
  const open = [...calls].find((id) => !answered.has(id));
  return open ? `No tool output found for function call ${open}.` : null;
}

/** A Responses API answer: reasoning, then a call of the first tool or a message. */
function responseOutput(body, n, reasoningOf) {
  const input = body.input ?? [];
  const reasoning = { type: "reasoning", id: `rs_${n}`, summary: [] };
  const name = body.tools?.find((t) => t.type === "function")?.name;
  const last = input.at(-1);
  if (name && last?.type !== "function_call_output") {
    reasoningOf.set(`fc_${n}`, reasoning.id);
    return [
      reasoning,
      {
        type: "function_call",
        id: `fc_${n}`,
        call_id: `call_${n}`,
        name,
        arguments: "{}",
        status: "completed",
      },
    ];
  }
  reasoningOf.set(`msg_${n}`, reasoning.id);
  const messages = input.filter((item) => item.role);
  const text = `(fake model, ${input.length} items in input) ${reply(messages)}`;
  return [
    reasoning,
    {
      type: "message",
      id: `msg_${n}`,
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text, annotations: [] }],
    },
  ];
}

function respond(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAI({ port = 0 } = {}) {
  /** Items that came with reasoning: item id → reasoning id. */
  const reasoningOf = new Map();
  const received = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      if (req.method === "POST" && req.url?.endsWith("/responses")) {
        const body = JSON.parse(raw || "{}");
        received.push(body);
        const error = responseInputError(body.input, reasoningOf);
        if (error) {
          respond(res, 400, { error: { message: error, type: "invalid_request_error" } });
          return;
        }
        const output = responseOutput(body, received.length, reasoningOf);
        respond(res, 200, {
          id: `resp_fake_${received.length}`,
          object: "response",
          created_at: Math.floor(Date.now() / 1000),
          status: "completed",
          model: body.model ?? "fake-model",
          output,
          usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
        });
        return;
      }
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: { message: "only POST /v1/chat/completions and /v1/responses here" },
          }),
        );
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
