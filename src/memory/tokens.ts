/** How a conversation counts tokens. */
export const TOKENIZERS = ["o200k_base", "cl100k_base", "approx"] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];

export interface CountTokens {
  (text: string): number;
  /**
   * True when a text cut just before a line that starts with "[" counts as the sum of its
   * two parts: GPT's BPE pre-tokenizer never puts "\n" and a following "[" in one piece
   * (newlines end a piece or join the punctuation before them; "[" starts one), and pieces
   * are encoded independently. Lets a caller count many lines once each instead of
   * recounting their concatenations. The `approx` estimate (bytes / 4) is not additive.
   */
  readonly additiveAtBracketLines?: boolean;
}

// User text may contain strings like "<|endoftext|>"; they are counted as plain text,
// never rejected (gpt-tokenizer throws on them by default).
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** A cheap estimate: about four bytes of UTF-8 per token. */
const approx: CountTokens = (text) => Math.ceil(new TextEncoder().encode(text).byteLength / 4);

const loaded = new Map<TokenizerName, CountTokens>([["approx", approx]]);

/**
 * The BPE tables are megabytes of code, so they are imported on first use only:
 * a Worker that never counts with cl100k_base never evaluates it.
 */
export async function loadTokenCounter(name: TokenizerName): Promise<CountTokens> {
  const cached = loaded.get(name);
  if (cached) return cached;
  const encoding =
    name === "o200k_base"
      ? await import("gpt-tokenizer/encoding/o200k_base")
      : await import("gpt-tokenizer/encoding/cl100k_base");
  const count: CountTokens = Object.assign(
    (text: string) => (text ? encoding.countTokens(text, PLAIN_TEXT) : 0),
    { additiveAtBracketLines: true },
  );
  loaded.set(name, count);
  return count;
}
