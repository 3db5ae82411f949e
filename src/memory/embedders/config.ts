import type { Embedder, EmbedderTiming } from "./embedder";
import { openAIEmbedder } from "./openai";
import { type EmbeddingRunner, workersAIEmbedder } from "./workers-ai";

/** The vars that choose an embedder (`Env` satisfies this). */
export interface EmbeddingVars {
  EMBEDDINGS?: string;
  EMBEDDINGS_URL?: string;
  EMBEDDINGS_MODEL?: string;
  EMBEDDINGS_API_KEY?: string;
  EMBEDDINGS_BATCH_SIZE?: string;
  EMBEDDINGS_TIMEOUT_MS?: string;
  EMBEDDINGS_DIMENSIONS?: string;
  AI?: unknown;
}

export const DEFAULT_OPENAI_EMBEDDING_MODEL = "text-embedding-3-small";

/**
 * The deployment's embedder, or null when semantic search is off: `EMBEDDINGS` unset or
 * `none`, `openai` without a URL, `workers-ai` without the `AI` binding.
 */
export function embedderFrom(vars: EmbeddingVars, fetcher?: typeof fetch): Embedder | null {
  const timing: Partial<EmbedderTiming> = {};
  const batch = Number(vars.EMBEDDINGS_BATCH_SIZE);
  if (Number.isInteger(batch) && batch > 0) timing.batchSize = Math.min(batch, 256);
  const timeout = Number(vars.EMBEDDINGS_TIMEOUT_MS);
  if (Number.isFinite(timeout) && timeout > 0) timing.documentTimeoutMs = timeout;
  const dims = Number(vars.EMBEDDINGS_DIMENSIONS);
  if (Number.isInteger(dims) && dims > 0) timing.dimensions = dims;
  if (vars.EMBEDDINGS === "openai" && vars.EMBEDDINGS_URL) {
    return openAIEmbedder({
      baseUrl: vars.EMBEDDINGS_URL,
      apiKey: vars.EMBEDDINGS_API_KEY,
      model: vars.EMBEDDINGS_MODEL || DEFAULT_OPENAI_EMBEDDING_MODEL,
      timing,
      ...(fetcher ? { fetch: fetcher } : {}),
    });
  }
  if (vars.EMBEDDINGS === "workers-ai" && vars.AI) {
    return workersAIEmbedder({
      ai: vars.AI as EmbeddingRunner,
      model: vars.EMBEDDINGS_MODEL,
      timing,
    });
  }
  return null;
}

/** Whether a deployment embeds at all (what `mode: "semantic"` needs). */
export const embeddingsEnabled = (vars: EmbeddingVars) => embedderFrom(vars) !== null;
