import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { bagOfWords, embedTexts } from "../../scripts/embedder.mjs";

/** What the embeddings endpoint does, set by a test through the control URL. */
export type EmbedderMode = "ok" | "words" | "down" | "500" | "hang" | "wrong-dimension";

/**
 * The local embeddings model (scripts/embedder.mjs, the real offline Universal Sentence
 * Encoder lite) behind a switch, started in Node by vitest.semantic.config.ts. Tests in
 * workerd reach it over loopback HTTP:
 * - `POST {url}/embeddings` — OpenAI's embeddings API (`words`: `bagOfWords` instead of the
 *   model), or the fault the mode says: `down`
 *   (the connection is dropped), `500`, `hang` (never answers), `wrong-dimension` (vectors
 *   of 7 numbers);
 * - `POST {control}` `{ mode }` sets the mode and clears the record;
 * - `GET {control}` → `{ mode, embedded: { text: times } }`, the texts answered with vectors.
 */
export async function startLocalEmbedder() {
  const state = { mode: "ok" as EmbedderMode, embedded: {} as Record<string, number> };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    });
    req.on("end", async () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.url?.startsWith("/control")) {
        if (req.method === "POST") {
          state.mode = JSON.parse(raw).mode;
          state.embedded = {};
        }
        return reply(200, state);
      }
      const mode = state.mode;
      if (mode === "down") return req.socket.destroy();
      if (mode === "hang") return;
      if (mode === "500") return reply(500, { error: { message: "down for maintenance" } });
      const input: string[] = JSON.parse(raw).input;
      const vectors =
        mode === "wrong-dimension"
          ? input.map(() => [1, 2, 3, 4, 5, 6, 7])
          : mode === "words"
            ? input.map(bagOfWords)
            : await embedTexts(input);
      // A client that gave up (its timeout passed while the model ran) got no vectors: it
      // will ask again, and that answer is the one that counts.
      if (res.destroyed || req.socket.destroyed) return;
      if (mode === "ok" || mode === "words")
        for (const text of input) state.embedded[text] = (state.embedded[text] ?? 0) + 1;
      reply(200, { data: vectors.map((embedding, index) => ({ index, embedding })) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    control: `http://127.0.0.1:${port}/control`,
  };
}
