import type { TermWeight } from "../coverage";
import { contentTerms, oneLine, splitSentences } from "../text";
import type { CountTokens } from "../tokens";

/** Marks text left out before or after an excerpt. */
export const ELISION = "…";
/** The longest piece an excerpt is built of, in words: a run-on line or a JSON blob is cut. */
const PIECE_WORDS = 40;
/**
 * An excerpt gets at most this share of recall's room, and at least EXCERPT_MIN_TOKENS: a
 * long message may be quoted in part, never crowd out every other hit.
 */
export const EXCERPT_SHARE = 1 / 3;
export const EXCERPT_MIN_TOKENS = 48;

/** How many tokens an excerpt may take of a recall room of `cap`. */
export const excerptTokens = (cap: number) =>
  Math.max(EXCERPT_MIN_TOKENS, Math.floor(cap * EXCERPT_SHARE));

/**
 * The part of a long message a query is about, within `maxTokens`: the piece (a sentence,
 * a line, or at most PIECE_WORDS words of one) that holds the most of the query's words,
 * each counted by `weight`, grown by the pieces after and before it in turn while it fits;
 * `…` marks what is left out on either side. A message found by meaning alone holds none of
 * the words, and is quoted from its start. Null when even one piece does not fit or when
 * the whole message would (then it is no excerpt).
 */
export function excerptOf(
  text: string,
  query: string | null,
  weight: TermWeight,
  maxTokens: number,
  count: CountTokens,
): string | null {
  return excerpter(query, weight, count)(text, maxTokens);
}

/**
 * `excerptOf` for one query, as a context call asks it again and again: the query's words
 * are found once, and each text's pieces and best piece once, so a re-cut (a smaller room)
 * only grows a new window.
 */
export function excerpter(
  query: string | null,
  weight: TermWeight,
  count: CountTokens,
): (text: string, maxTokens: number) => string | null {
  const wanted = new Set(contentTerms(query ?? ""));
  const found = new Map<string, { pieces: string[]; best: number }>();
  return (text, maxTokens) => {
    let at = found.get(text);
    if (!at) {
      at = bestPiece(piecesOf(text), wanted, weight);
      found.set(text, at);
    }
    return at.pieces.length === 0 ? null : windowAround(at.pieces, at.best, maxTokens, count);
  };
}

/** The piece holding the most of the wanted words (by `weight`); the first when none does. */
function bestPiece(
  pieces: string[],
  wanted: ReadonlySet<string>,
  weight: TermWeight,
): { pieces: string[]; best: number } {
  let best = 0;
  let bestScore = 0;
  pieces.forEach((piece, i) => {
    let score = 0;
    for (const term of new Set(contentTerms(piece))) if (wanted.has(term)) score += weight(term);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return { pieces, best };
}

/**
 * The edge of a long turn next to a hit, within `maxTokens`: its last pieces when it comes
 * before the hit (the end of what the hit answers), its first when it comes after (the start
 * of the answer); `…` where text is left out. Null when it fits whole or not one piece does.
 */
export function edgeOf(
  text: string,
  side: "start" | "end",
  maxTokens: number,
  count: CountTokens,
): string | null {
  const pieces = piecesOf(text);
  return windowAround(pieces, side === "start" ? 0 : pieces.length - 1, maxTokens, count);
}

/**
 * The pieces around `anchor` that fit `maxTokens`, grown by one after and one before in
 * turn, with `…` where pieces are left out. Null when the anchor alone does not fit, or
 * when every piece does (then it is no part).
 */
function windowAround(
  pieces: readonly string[],
  anchor: number,
  maxTokens: number,
  count: CountTokens,
): string | null {
  const last = pieces.length - 1;
  const render = (from: number, to: number) =>
    `${from > 0 ? `${ELISION} ` : ""}${pieces.slice(from, to + 1).join(" ")}${to < last ? ` ${ELISION}` : ""}`;
  let from = anchor;
  let to = anchor;
  if (last < 0 || count(render(from, to)) > maxTokens) return null;
  for (let grew = true; grew; ) {
    grew = false;
    if (to < last && count(render(from, to + 1)) <= maxTokens) {
      to++;
      grew = true;
    }
    if (from > 0 && count(render(from - 1, to)) <= maxTokens) {
      from--;
      grew = true;
    }
  }
  return from === 0 && to === last ? null : render(from, to);
}

/** Sentences and lines, each cut into runs of at most PIECE_WORDS words, on one line. */
function piecesOf(text: string): string[] {
  return splitSentences(text).flatMap((sentence) => {
    const words = oneLine(sentence).split(" ");
    const runs: string[] = [];
    for (let i = 0; i < words.length; i += PIECE_WORDS) {
      runs.push(words.slice(i, i + PIECE_WORDS).join(" "));
    }
    return runs;
  });
}
