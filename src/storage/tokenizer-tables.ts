import {
  type BpeEncodingName,
  type CountTokens,
  loadTokenCounter,
  type ReadTokenTable,
  type TokenizerName,
} from "../memory/tokens";

/**
 * Where the rank tables live among the static assets (`public/tokenizer/`, written by
 * `npm run tokenizer:tables`). Static assets do not count toward the Worker's script size
 * and are not evaluated at startup; the binding reaches them from any object.
 */
export const tokenTablePath = (name: BpeEncodingName) => `/tokenizer/${name}.bpe`;

/** Reads rank tables through the `[assets]` binding (the host name is not used). */
export function assetTokenTables(assets: Fetcher): ReadTokenTable {
  return async (name) => {
    const response = await assets.fetch(`https://assets.local${tokenTablePath(name)}`);
    if (!response.ok) {
      throw new Error(`tokenizer table ${name}: static asset answered ${response.status}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** The counter of a conversation's tokenizer, its table read from the static assets. */
export function tokenCounter(env: { ASSETS: Fetcher }, name: TokenizerName): Promise<CountTokens> {
  return loadTokenCounter(name, assetTokenTables(env.ASSETS));
}
