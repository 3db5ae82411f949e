import type { Env } from "../env";
import { invalidField } from "../http/errors";
import { embeddingsEnabled } from "../memory/embedders/config";
import type { SearchMode } from "../memory/match";

export { MatchSchema, SearchModeField } from "./search-mode-schemas";

/** `semantic` needs an embedder: without one it is a 400 naming `mode`, never an empty result. */
export function checkSearchMode(env: Env, mode: SearchMode | undefined, path = "mode"): void {
  if (mode === "semantic" && !embeddingsEnabled(env)) {
    throw invalidField(path, 'semantic search needs an embedder (EMBEDDINGS is "none")');
  }
}
