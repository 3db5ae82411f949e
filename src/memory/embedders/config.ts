import type { Embedder, EmbedderTiming } from "./embedder";
import { openAIEmbedder } from "./openai";
import { type EmbeddingRunner, workersAIEmbedder } from "./workers-ai";

/** The vars that choose an embedder (`Env` extends this). */
export interface EmbeddingVars {
  /** Semantic search: `none` (default), `workers-ai` (the AI binding) or `openai`. */
  EMBEDDINGS?: string;
  /** OpenAI-compatible base URL (`/embeddings` is appended), for EMBEDDINGS=openai. */
  EMBEDDINGS_URL?: string;
  /** Default `@cf/baai/bge-base-en-v1.5` (workers-ai) or `text-embedding-3-small` (openai). */
  EMBEDDINGS_MODEL?: string;
  /** Secret, optional. */
  EMBEDDINGS_API_KEY?: string;
  /** Texts per embedding request (default 32; Workers AI 100). */
  EMBEDDINGS_BATCH_SIZE?: string;
  /** Per attempt when embedding stored items (default 20,000). */
  EMBEDDINGS_TIMEOUT_MS?: string;
  /** The model's dimension, when known: vectors of any other size are a failed batch. */
  EMBEDDINGS_DIMENSIONS?: string;
  /** The Workers AI binding (typed as `Ai` in `Env`). */
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
