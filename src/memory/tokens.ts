import { bpeCounter } from "./tokenizer/bpe-counter";

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

/** A cheap estimate: about four bytes of UTF-8 per token. */
const approx: CountTokens = (text) => Math.ceil(new TextEncoder().encode(text).byteLength / 4);

const loaded = new Map<TokenizerName, CountTokens>([["approx", approx]]);

/**
 * BPE costs time quadratic in the length of one pre-tokenizer piece (a word, a run of
 * punctuation or of whitespace): a 64 KiB word without spaces took seconds of CPU, and 15
 * fit in one append. A piece longer than `LONG_RUN` characters lies inside a run of that
 * many non-space or space characters, so such runs are counted `LONG_RUN` characters at a
 * time: cost is linear in the input (a 64 KiB word: milliseconds, not seconds), and the
 * count of such a run may differ from the exact one by a token per cut (per 256 characters). Ordinary text
 * has no such run and is counted exactly. A run never holds the "\n" before a line that
 * starts with "[", so `additiveAtBracketLines` still holds.
 */
const LONG_RUN = 256;
const LONG_RUNS = /\S{256,}|\s{256,}/g;
function boundedCount(count: (text: string) => number): (text: string) => number {
  return (text) => {
    if (text.length < LONG_RUN) return text ? count(text) : 0;
    let total = 0;
    let from = 0;
    for (const run of text.matchAll(LONG_RUNS)) {
      if (run.index > from) total += count(text.slice(from, run.index));
      const end = run.index + run[0].length;
      for (let at = run.index; at < end; ) {
        let cut = Math.min(at + LONG_RUN, end);
        // Never split a surrogate pair: each half would count as a replacement character.
        if (cut < end && /[\uD800-\uDBFF]/.test(text[cut - 1] ?? "")) cut--;
        total += count(text.slice(at, cut));
        at = cut;
      }
      from = end;
    }
    return from < text.length ? total + count(text.slice(from)) : total;
  };
}

/** Texts shorter than this are counted afresh: looking them up costs about as much. */
const REMEMBER_FROM_CHARS = 24;
/** Longer texts are rare and would crowd the others out. */
const REMEMBER_UP_TO_CHARS = 16_384;
/** Characters kept per encoding (a few MB); past it the memory starts over. */
const REMEMBERED_CHARS = 2_000_000;

/**
 * Every context counts the same texts again: the summary, the lines of recalled passages
 * and memories, the headings (a sixth of a context's CPU went to BPE). A count depends on
 * the text alone, so each isolate remembers the counts of recent texts, up to a bound.
 */
function remembered(count: (text: string) => number): (text: string) => number {
  let memo = new Map<string, number>();
  let chars = 0;
  return (text) => {
    if (text.length < REMEMBER_FROM_CHARS || text.length > REMEMBER_UP_TO_CHARS) {
      return count(text);
    }
    const known = memo.get(text);
    if (known !== undefined) return known;
    const counted = count(text);
    if (chars + text.length > REMEMBERED_CHARS) {
      memo = new Map();
      chars = 0;
    }
    memo.set(text, counted);
    chars += text.length;
    return counted;
  };
}

/** The encodings whose rank tables are read as bytes (`bpe-table.ts`). */
export type BpeEncodingName = Exclude<TokenizerName, "approx">;
/** Reads an encoding's rank table (the Worker: a static asset; tests: the file). */
export type ReadTokenTable = (name: BpeEncodingName) => Promise<Uint8Array>;

const loading = new Map<BpeEncodingName, Promise<CountTokens>>();

/**
 * The rank tables are megabytes, so each is read and decoded on first use only, once per
 * isolate: a Worker that never counts with cl100k_base never reads it, and nothing is
 * parsed at startup. A failed read is not remembered, so the next call tries again.
 */
export function loadTokenCounter(
  name: TokenizerName,
  readTable: ReadTokenTable,
): Promise<CountTokens> {
  if (name === "approx") return Promise.resolve(approx);
  const cached = loaded.get(name);
  if (cached) return Promise.resolve(cached);
  let pending = loading.get(name);
  if (!pending) {
    pending = buildCounter(name, readTable).finally(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}

async function buildCounter(
  name: BpeEncodingName,
  readTable: ReadTokenTable,
): Promise<CountTokens> {
  const counter = bpeCounter(name, await readTable(name));
  const count: CountTokens = Object.assign(remembered(boundedCount(counter)), {
    additiveAtBracketLines: true,
  });
  loaded.set(name, count);
  return count;
}
