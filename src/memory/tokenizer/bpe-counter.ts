import {
  CL100K_TOKEN_SPLIT_REGEX,
  O200K_TOKEN_SPLIT_REGEX,
} from "gpt-tokenizer/encodingParams/constants";
import { fnv, type RankIndex, readIndex } from "./bpe-index";

/**
 * Counts tokens straight from a BPE1 rank table (`bpe-table.ts`), the way gpt-tokenizer's
 * `countTokens` does with special tokens treated as text: the same pre-tokenizer pieces,
 * a piece that is a token counts one, any other is merged pair by pair, lowest rank first.
 *
 * Why not the library's encoder: its constructor fills a 200,000-entry Map from token
 * string to rank, 80–160 ms of CPU at the first count of an isolate, most of a fresh
 * object's first append. Here the ranks are looked up by the token's UTF-8 bytes in an
 * open-addressing table over one byte array, both shipped ready in the file (`bpe-index.ts`).
 * `test/memory/tokenizer/bpe-table.node.test.ts` compares counts with the library's on arbitrary text.
 */
export type BpeEncodingName = "o200k_base" | "cl100k_base";

const SPLIT: Record<BpeEncodingName, RegExp> = {
  o200k_base: O200K_TOKEN_SPLIT_REGEX,
  cl100k_base: CL100K_TOKEN_SPLIT_REGEX,
};
const NONE = 0x7fffffff;
/** Pieces whose counts are remembered (the library's merge cache, by count). */
const PIECE_CACHE_ENTRIES = 20_000;

/** The rank of the text (or bytes) token bytes[from, to), or NONE. */
function rankOf(
  index: RankIndex,
  bytes: Uint8Array,
  from: number,
  to: number,
  text: boolean,
): number {
  const length = to - from;
  const kind = text ? 1 : 0;
  for (let slot = fnv(bytes, from, to) & index.mask; ; slot = (slot + 1) & index.mask) {
    const rank = index.slots[slot] as number;
    if (rank < 0) return NONE;
    if (index.isText[rank] !== kind) continue;
    const start = index.offsets[rank] as number;
    if ((index.offsets[rank + 1] as number) - start !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (index.bytes[start + i] !== bytes[from + i]) {
        same = false;
        break;
      }
    }
    if (same) return rank;
  }
}

/**
 * The rank the library finds for a byte range inside a piece (`getBpeRankFromBytes`): valid
 * UTF-8 is decoded — a leading byte-order mark dropped, as `TextDecoder` does — and looked
 * up among the text tokens; anything else among the byte tokens.
 */
function pairRank(index: RankIndex, bytes: Uint8Array, from: number, to: number): number {
  if (!validUtf8(bytes, from, to)) return rankOf(index, bytes, from, to, false);
  let start = from;
  if (to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb) {
    if (bytes[from + 2] === 0xbf) start += 3;
  }
  return start === to ? NONE : rankOf(index, bytes, start, to, true);
}

/** gpt-tokenizer's `isValidUTF8`: no overlong forms, surrogates or code points past U+10FFFF. */
function validUtf8(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; ) {
    const lead = bytes[i] as number;
    let size: number;
    let point: number;
    if (lead <= 0x7f) {
      i++;
      continue;
    }
    if ((lead & 0xe0) === 0xc0) {
      if (lead <= 0xc1) return false;
      size = 2;
      point = lead & 0x1f;
    } else if ((lead & 0xf0) === 0xe0) {
      size = 3;
      point = lead & 0x0f;
    } else if ((lead & 0xf8) === 0xf0) {
      if (lead > 0xf4) return false;
      size = 4;
      point = lead & 0x07;
    } else return false;
    if (i + size > to) return false;
    for (let j = 1; j < size; j++) {
      const next = bytes[i + j] as number;
      if ((next & 0xc0) !== 0x80) return false;
      point = (point << 6) | (next & 0x3f);
    }
    if ((size === 3 && point < 0x800) || (size === 4 && point < 0x10000)) return false;
    if ((point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) return false;
    i += size;
  }
  return true;
}

/** Parts left once `piece[0, length)` is merged by rank (gpt-tokenizer's `bytePairMerge`). */
function mergedParts(index: RankIndex, piece: Uint8Array, length: number): number {
  const starts: number[] = [];
  const ranks: number[] = [];
  for (let i = 0; i <= length; i++) {
    starts.push(i);
    ranks.push(i < length - 1 ? pairRank(index, piece, i, i + 2) : NONE);
  }
  const rankAt = (i: number) => {
    const end = starts[i + 2];
    return end === undefined ? NONE : pairRank(index, piece, starts[i] as number, end);
  };
  while (starts.length > 1) {
    let lowest = NONE;
    let at = -1;
    for (let i = 0; i < ranks.length - 1; i++) {
      if ((ranks[i] as number) < lowest) {
        lowest = ranks[i] as number;
        at = i;
      }
    }
    if (at === -1) break;
    starts.splice(at + 1, 1);
    ranks.splice(at, 1);
    ranks[at] = rankAt(at);
    if (at > 0) ranks[at - 1] = rankAt(at - 1);
  }
  return starts.length - 1;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A counter over an indexed table (`bpe-index.ts`) for `name`'s pre-tokenizer. */
export function bpeCounter(name: BpeEncodingName, file: Uint8Array): (text: string) => number {
  const index = readIndex(file);
  const split = new RegExp(SPLIT[name].source, SPLIT[name].flags);
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(1024);
  let cache = new Map<string, number>();
  const countPiece = (piece: string): number => {
    if (piece.length === 1 && piece.charCodeAt(0) < 0x80) return 1;
    const known = cache.get(piece);
    if (known !== undefined) return known;
    if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
    const { written } = encoder.encodeInto(piece, scratch);
    // The library looks a whole piece up by its string, which a lone surrogate never
    // matches (its UTF-8 is U+FFFD's): such a piece is always merged.
    const whole = LONE_SURROGATE.test(piece) ? NONE : rankOf(index, scratch, 0, written, true);
    const parts = whole !== NONE ? 1 : mergedParts(index, scratch, written);
    if (cache.size >= PIECE_CACHE_ENTRIES) cache = new Map();
    cache.set(piece, parts);
    return parts;
  };
  return (text) => {
    let total = 0;
    for (const [piece] of text.matchAll(split)) total += countPiece(piece);
    return total;
  };
}
