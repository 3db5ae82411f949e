/**
 * Turns texts into vectors. Implementations batch, time out and retry on their own; a
 * failure throws (`EmbeddingError`) and the caller decides: the objects' alarms retry
 * the batch later, a search falls back to words.
 */
export interface Embedder {
  /** `openai:text-embedding-3-small`, `workers-ai:@cf/baai/bge-base-en-v1.5`: stored with
   * every vector, so a model change re-embeds and two models' vectors are never compared. */
  readonly model: string;
  /** One vector per text, in order, all of one dimension. */
  embed(texts: string[], purpose: EmbeddingPurpose): Promise<number[][]>;
}

/**
 * `document` for what is stored (batched, patient), `query` for a search (one text, on the
 * request path: a short timeout and no retry, since words answer meanwhile).
 */
export type EmbeddingPurpose = "document" | "query";

export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "EmbeddingError";
  }
}

export interface EmbedderTiming {
  /** Texts per request. */
  batchSize: number;
  /** Per attempt, storing. */
  documentTimeoutMs: number;
  /** Per attempt, searching. */
  queryTimeoutMs: number;
  /** Further attempts after a retryable failure (documents only). */
  retries: number;
  /** First pause between attempts, doubled each time. */
  backoffMs: number;
  /** When known, every vector must have this many dimensions (else the batch fails). */
  dimensions?: number;
}

export const DEFAULT_TIMING: EmbedderTiming = {
  batchSize: 32,
  documentTimeoutMs: 20_000,
  queryTimeoutMs: 3_000,
  retries: 2,
  backoffMs: 500,
};

/** Embedding input is cut to this many characters (models read a few hundred tokens). */
export const MAX_EMBED_CHARS = 8_000;

/**
 * Runs `request` over `texts` in batches, retrying retryable failures with backoff, and
 * checks what comes back: one finite vector per text, every vector of one dimension.
 */
export async function embedInBatches(
  texts: string[],
  purpose: EmbeddingPurpose,
  timing: EmbedderTiming,
  request: (batch: string[], timeoutMs: number) => Promise<number[][]>,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<number[][]> {
  const vectors: number[][] = [];
  const retries = purpose === "query" ? 0 : timing.retries;
  const timeoutMs = purpose === "query" ? timing.queryTimeoutMs : timing.documentTimeoutMs;
  for (let start = 0; start < texts.length; start += timing.batchSize) {
    const batch = texts
      .slice(start, start + timing.batchSize)
      .map((t) => t.slice(0, MAX_EMBED_CHARS));
    for (let attempt = 0; ; attempt++) {
      try {
        vectors.push(...checkVectors(await request(batch, timeoutMs), batch.length));
        break;
      } catch (error) {
        const retryable = !(error instanceof EmbeddingError) || error.retryable;
        if (!retryable || attempt >= retries) throw error;
        await pause(timing.backoffMs * 2 ** attempt);
      }
    }
  }
  const dims = timing.dimensions ?? vectors[0]?.length;
  if (vectors.some((v) => v.length !== dims)) {
    throw new EmbeddingError(`vectors of another dimension than ${dims}`, false);
  }
  return vectors;
}

function checkVectors(vectors: unknown, count: number): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new EmbeddingError(`expected ${count} vectors`, false);
  }
  const dims = (vectors[0] as unknown[] | undefined)?.length ?? 0;
  for (const vector of vectors) {
    const ok =
      Array.isArray(vector) &&
      vector.length === dims &&
      dims > 0 &&
      vector.every((x) => typeof x === "number" && Number.isFinite(x));
    if (!ok) throw new EmbeddingError("malformed vector", false);
  }
  return vectors as number[][];
}
