import type { TermWeight } from "../coverage";
import { CJK_ENDS, contentTerms, oneLine, SENTENCE_ENDS, splitSentences } from "../text";
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
 * the whole message would (then it is no excerpt). Given the query once, as a context call
 * asks again and again: its words are found once, and each text's pieces and best piece
 * once, so a re-cut (a smaller room) only grows a new window.
 */
export function excerpter(
  query: string | null,
  weight: TermWeight,
  count: CountTokens,
): (text: string, maxTokens: number) => string | null {
  const wanted = new Set(contentTerms(query ?? ""));
  const found = new Map<string, { pieces: Piece[]; best: number }>();
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
  pieces: Piece[],
  wanted: ReadonlySet<string>,
  weight: TermWeight,
): { pieces: Piece[]; best: number } {
  let best = 0;
  let bestScore = 0;
  pieces.forEach((piece, i) => {
    let score = 0;
    for (const term of new Set(contentTerms(piece.text))) {
      if (wanted.has(term)) score += weight(term);
    }
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
  pieces: readonly Piece[],
  anchor: number,
  maxTokens: number,
  count: CountTokens,
): string | null {
  const last = pieces.length - 1;
  const render = (from: number, to: number) => {
    let text = from > 0 ? `${ELISION} ` : "";
    for (let i = from; i <= to; i++) {
      const piece = pieces[i] as Piece;
      text += i > from && piece.spaced ? ` ${piece.text}` : piece.text;
    }
    return to < last ? `${text} ${ELISION}` : text;
  };
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

/** A piece of a text, and whether a space stood before it (none does in CJK text). */
export interface Piece {
  text: string;
  spaced: boolean;
}

/**
 * Sentences and lines, each cut into runs of at most PIECE_WORDS words, on one line. Text
 * without spaces (Chinese, Japanese; a long token) ends its sentences at 。！？ and is cut
 * into runs of at most PIECE_CHARS characters.
 */
export function piecesOf(text: string): Piece[] {
  return CJK_END.test(text) || hasLongRun(text) ? runPieces(text) : spacedPieces(text);
}

/** `piecesOf` for text whose words are all spaced apart and short: native splits, fast. */
function spacedPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const sentence of splitSentences(text)) {
    const words = oneLine(sentence).split(" ");
    for (let i = 0; i < words.length; i += PIECE_WORDS) {
      pieces.push({ text: words.slice(i, i + PIECE_WORDS).join(" "), spaced: pieces.length > 0 });
    }
  }
  return pieces;
}

/** `piecesOf` word by word, for text with runs to cut (CJK sentences, long tokens). */
function runPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let words: string[] = [];
  let spaced = false;
  const close = () => {
    if (words.length > 0) pieces.push({ text: words.join(" "), spaced });
    words = [];
  };
  let newline = text.indexOf("\n");
  for (const match of text.matchAll(/\S+/g)) {
    const word = match[0];
    if (newline >= 0 && newline < match.index) {
      close();
      newline = text.indexOf("\n", match.index);
    }
    const runs = runsOf(word);
    for (let k = 0; k < runs.length; k++) {
      const run = runs[k] as string;
      if (k > 0) close();
      if (words.length === 0) spaced = k === 0 && pieces.length > 0;
      words.push(run);
      if (SENTENCE_ENDS.has(run.at(-1) as string) || words.length >= PIECE_WORDS) close();
    }
  }
  close();
  return pieces;
}

const CJK_END = new RegExp(`[${CJK_ENDS}]`);
const CJK_END_INSIDE = new RegExp(`[${CJK_ENDS}].`, "u");
const AFTER_CJK_END = new RegExp(`(?<=[${CJK_ENDS}])`, "u");
/** Characters of a run of text without spaces that one piece holds at most. */
const PIECE_CHARS = 60;

/** Whether a run of more than PIECE_CHARS characters has no space, tab or line break. */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) run = 0;
    else if (++run > PIECE_CHARS) return true;
  }
  return false;
}

/** A word, or a run of text without spaces cut after 。！？ and every PIECE_CHARS characters. */
function runsOf(word: string): string[] {
  if (word.length <= PIECE_CHARS && !CJK_END_INSIDE.test(word)) return [word];
  const runs: string[] = [];
  for (const sentence of word.split(AFTER_CJK_END)) {
    const chars = [...sentence];
    for (let i = 0; i < chars.length; i += PIECE_CHARS) {
      runs.push(chars.slice(i, i + PIECE_CHARS).join(""));
    }
  }
  return runs;
}
