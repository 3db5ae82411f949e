import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { embedderFrom } from "../../../src/memory/embedders/config";
import { EmbeddingError } from "../../../src/memory/embedders/embedder";
import { workersAIEmbedder } from "../../../src/memory/embedders/workers-ai";
import { type Behaviour, hang, startFakeOpenAI, status } from "../../helpers/fake-openai";

const embeddings =
  (dims: number): Behaviour =>
  (res, body) => {
    const input: string[] = body.input;
    res.writeHead(200, { "content-type": "application/json" });
    // Answered out of order: the client must sort by `index`.
    const data = input.map((text, index) => ({
      index,
      embedding: Array.from({ length: dims }, (_, i) => text.length + i),
    }));
    res.end(JSON.stringify({ data: data.reverse(), model: body.model }));
  };

const server = await startFakeOpenAI();
afterAll(() => server.close());
beforeEach(() => server.reset());

const embedder = (extra: Record<string, string> = {}) =>
  embedderFrom({
    EMBEDDINGS: "openai",
    EMBEDDINGS_URL: server.baseUrl,
    EMBEDDINGS_MODEL: "tiny",
    EMBEDDINGS_API_KEY: "sk-test",
    EMBEDDINGS_TIMEOUT_MS: "300",
    ...extra,
  });

describe("openai embedder", () => {
  it("posts batches to {url}/embeddings with the model and key, vectors in input order", async () => {
    server.state.behaviours.push(embeddings(3), embeddings(3));
    const e = embedder({ EMBEDDINGS_BATCH_SIZE: "2" });
    expect(e?.model).toBe("openai:tiny");
    const vectors = await e?.embed(["a", "bb", "ccc"], "document");
    expect(vectors).toEqual([
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ]);
    expect(server.state.received.map((r) => r.body.input)).toEqual([["a", "bb"], ["ccc"]]);
    expect(server.state.received[0]?.url).toBe("/v1/embeddings");
    expect(server.state.received[0]?.body.model).toBe("tiny");
    expect(server.state.received[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("retries a 500 and a hang with backoff, then succeeds", async () => {
    server.state.behaviours.push(status(500), hang, embeddings(2));
    const vectors = await embedder()?.embed(["x"], "document");
    expect(vectors).toEqual([[1, 2]]);
    expect(server.state.received).toHaveLength(3);
  });

  it("gives up after its retries, and a query gets one attempt", async () => {
    await expect(embedder()?.embed(["x"], "document")).rejects.toThrow(EmbeddingError);
    expect(server.state.received).toHaveLength(3);
    server.reset();
    await expect(embedder()?.embed(["x"], "query")).rejects.toThrow(/HTTP 500/);
    expect(server.state.received).toHaveLength(1);
  });

  it("does not retry a 400 and rejects malformed answers", async () => {
    server.state.behaviours.push(status(400));
    await expect(embedder()?.embed(["x"], "document")).rejects.toMatchObject({ retryable: false });
    expect(server.state.received).toHaveLength(1);
    server.state.behaviours.push((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: [{ index: 0, embedding: [1, "x"] }] }));
    });
    await expect(embedder()?.embed(["x"], "document")).rejects.toThrow(/malformed/);
  });

  it("rejects batches of different dimensions", async () => {
    server.state.behaviours.push(embeddings(3), embeddings(4));
    await expect(
      embedder({ EMBEDDINGS_BATCH_SIZE: "1" })?.embed(["a", "b"], "document"),
    ).rejects.toThrow(/dimension/);
    server.state.behaviours.push(embeddings(3));
    await expect(
      embedder({ EMBEDDINGS_DIMENSIONS: "4" })?.embed(["a"], "document"),
    ).rejects.toThrow(/another dimension than 4/);
  });

  it("is off without EMBEDDINGS, without a URL, or without the AI binding", () => {
    expect(embedderFrom({})).toBeNull();
    expect(embedderFrom({ EMBEDDINGS: "none" })).toBeNull();
    expect(embedderFrom({ EMBEDDINGS: "openai" })).toBeNull();
    expect(embedderFrom({ EMBEDDINGS: "workers-ai" })).toBeNull();
  });
});

describe("workers-ai embedder", () => {
  it("runs the default model on batches of texts", async () => {
    const calls: { model: string; text: string[] }[] = [];
    const ai = {
      async run(model: string, input: { text: string[] }) {
        calls.push({ model, text: input.text });
        return { shape: [input.text.length, 2], data: input.text.map((t) => [t.length, 1]) };
      },
    };
    const e = workersAIEmbedder({ ai, timing: { batchSize: 2 } });
    expect(e.model).toBe("workers-ai:@cf/baai/bge-base-en-v1.5");
    expect(await e.embed(["a", "bb", "ccc"], "document")).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
    expect(calls.map((c) => c.text)).toEqual([["a", "bb"], ["ccc"]]);
  });

  it("times out a run that never answers", async () => {
    const ai = { run: () => new Promise<unknown>(() => {}) };
    const e = workersAIEmbedder({ ai, timing: { queryTimeoutMs: 50 } });
    await expect(e.embed(["x"], "query")).rejects.toThrow(/timeout/);
  });
});
