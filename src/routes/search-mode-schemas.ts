// The `mode` field and the `match` of a hit, apart from the routes so that the client's
// types can use them without the server (src/client/types.ts).
import { z } from "@hono/zod-openapi";
import { SEARCH_MODES } from "../memory/match";

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
