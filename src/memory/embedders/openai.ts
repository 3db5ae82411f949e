import {
  DEFAULT_TIMING,
  type Embedder,
  type EmbedderTiming,
  EmbeddingError,
  embedInBatches,
} from "./embedder";

export interface OpenAIEmbedderOptions {
  /** e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when given. */
  apiKey?: string;
  model: string;
  timing?: Partial<EmbedderTiming>;
  fetch?: typeof fetch;
}

/** Any OpenAI-compatible `POST /embeddings` (OpenAI, Ollama, vLLM, TEI, the local model). */
export function openAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const request = async (input: string[], timeoutMs: number): Promise<number[][]> => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: options.model, input, encoding_format: "float" }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network";
      throw new EmbeddingError(`${reason}: ${String(error)}`, true);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new EmbeddingError(
        `HTTP ${response.status}`,
        response.status === 429 || response.status >= 500,
      );
    }
    let body: { data?: { embedding?: unknown; index?: number }[] };
    try {
      body = await response.json();
    } catch (error) {
      throw new EmbeddingError(`unreadable body: ${String(error)}`, true);
    }
    if (!Array.isArray(body?.data)) throw new EmbeddingError("no data", false);
    // `index` says which input a vector belongs to; servers may answer out of order.
    const ordered = [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((d) => d.embedding as number[]);
  };
  return {
    model: `openai:${options.model}`,
    embed: (texts, purpose) => embedInBatches(texts, purpose, timing, request),
  };
}
