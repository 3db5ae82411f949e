import { z } from "@hono/zod-openapi";
import type { Env } from "../env";
import { invalidField } from "../http/errors";
import { embeddingsEnabled } from "../memory/embedders/config";
import { SEARCH_MODES, type SearchMode } from "../memory/match";

export const SearchModeField = z.enum(SEARCH_MODES).optional().openapi({
  description:
    "How to rank: `hybrid` (words and meaning fused; the default when the deployment has an embedder), `lexical` (BM25 over words; the default without one), `semantic` (meaning only; 400 without an embedder). Items not embedded yet are still found by words, and an embedder failure falls back to words.",
  example: "hybrid",
});

export const MatchSchema = z
  .object({
    lexical: z.number().int().nullable().openapi({ example: 2 }),
    semantic: z.number().int().nullable().openapi({ example: 1 }),
  })
  .openapi("Match", {
    description:
      "Which ranking found the item, at what 1-based rank before fusion: `lexical` (words, BM25), `semantic` (embeddings); null when that ranking did not find it.",
  });

/** `semantic` needs an embedder: without one it is a 400 naming `mode`, never an empty result. */
export function checkSearchMode(env: Env, mode: SearchMode | undefined, path = "mode"): void {
  if (mode === "semantic" && !embeddingsEnabled(env)) {
    throw invalidField(path, 'semantic search needs an embedder (EMBEDDINGS is "none")');
  }
}
