import {
  DEFAULT_TIMING,
  type Embedder,
  type EmbedderTiming,
  EmbeddingError,
  embedInBatches,
} from "./embedder";

/** The part of the Workers AI binding an embedder needs (typed structurally: no Cloudflare import). */
export interface EmbeddingRunner {
  run(model: string, input: { text: string[] }): Promise<unknown>;
}

export const DEFAULT_WORKERS_AI_EMBEDDING_MODEL = "@cf/baai/bge-base-en-v1.5";

/** Workers AI text embeddings (`{ text: [...] }` → `{ data: number[][] }`). */
export function workersAIEmbedder(options: {
  ai: EmbeddingRunner;
  model?: string;
  timing?: Partial<EmbedderTiming>;
}): Embedder {
  const model = options.model || DEFAULT_WORKERS_AI_EMBEDDING_MODEL;
  // Workers AI takes up to 100 texts per call.
  const timing = { ...DEFAULT_TIMING, batchSize: 100, ...options.timing };
  const request = async (text: string[], timeoutMs: number): Promise<number[][]> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The binding takes no AbortSignal: the wait is abandoned, not the run.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EmbeddingError("timeout", true)), timeoutMs);
    });
    try {
      const answer = (await Promise.race([options.ai.run(model, { text }), timeout])) as {
        data?: number[][];
      };
      if (!Array.isArray(answer?.data)) throw new EmbeddingError("no data", false);
      return answer.data;
    } catch (error) {
      if (error instanceof EmbeddingError) throw error;
      throw new EmbeddingError(`workers-ai: ${String(error)}`, true);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
  return {
    model: `workers-ai:${model}`,
    embed: (texts, purpose) => embedInBatches(texts, purpose, timing, request),
  };
}
