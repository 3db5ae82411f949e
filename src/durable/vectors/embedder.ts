import type { Env } from "../../env";
import { embedderFrom } from "../../memory/embedders/config";
import type { Embedder } from "../../memory/embedders/embedder";

/** The deployment's embedder (`EMBEDDINGS`), or null when semantic search is off. */
export const embedderFor = (env: Env): Embedder | null => embedderFrom(env);

/** A query's vector, tagged with its model so only that model's vectors are compared. */
export interface QueryVector {
  model: string;
  values: number[];
}

/**
 * Embeds a search query on the request path: one attempt with a short timeout. Null when
 * there is no embedder or it fails — the search then ranks by words alone.
 */
export async function embedQuery(
  embedder: Embedder | null,
  text: string,
): Promise<QueryVector | null> {
  if (!embedder || text.trim() === "") return null;
  try {
    const [values] = await embedder.embed([text], "query");
    return values ? { model: embedder.model, values } : null;
  } catch (error) {
    console.error(JSON.stringify({ event: "query_embedding_failed", error: String(error) }));
    return null;
  }
}
