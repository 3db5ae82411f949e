/**
 * Light text analysis shared by recall and the extractive summarizer: content words
 * and sentences. Deliberately small — it ranks and compares, it does not search (the
 * search indexes do their own BM25 with Porter stemming).
 */

import { separateWords } from "./words";

const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her " +
    "here hers him his how i if in into is it its just me my no not of on or our ours she " +
    "so than that the their them then there these they this those to too us was we were " +
    "what when where which who whom why will with would you your yours yes ok okay also " +
    "about all any am some such very more most own same other only again once should now " +
    "let lets get got please thanks thank hi hello hey sure im ive id youre dont didnt " +
    "doesnt isnt arent wasnt cant wont thats theres whats"
  ).split(" "),
);

/**
 * A word: letters and digits with their combining marks (Devanagari vowel signs, Thai vowel
 * and tone marks, accents typed as separate characters), which split a word apart otherwise.
 */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*/gu;

/**
 * Folds the common English inflections so "apples"/"apple" and "moved"/"move" meet.
 * A crude cousin of Porter's first step; enough for overlap measures.
 */
function fold(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** Han, kana, and the kana prolonged sound mark "ー" (which Unicode files under Common). */
export const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30FC";
/** Scripts whose words are compared and searched by pairs of characters: CJK and Hangul. */
export const PAIRED = `${CJK}\\p{Script=Hangul}`;
export const PAIRED_CHAR = new RegExp(`[${PAIRED}]`, "u");
const PAIRED_OR_NOT = new RegExp(`[${PAIRED}]+|[^${PAIRED}]+`, "gu");

/**
 * Content words of a text: lowercased, folded, stopwords and one-letter words removed.
 * Chinese and Japanese, written without spaces, and Korean, whose nouns carry particles,
 * give their overlapping pairs of characters (as search matches them: search-query.ts), a
 * character standing alone itself; Thai, Lao, Khmer and Burmese their words
 * (`separateWords`).
 */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  const paired = PAIRED_CHAR.test(text);
  for (const match of separateWords(text.toLowerCase()).matchAll(WORD)) {
    if (paired && PAIRED_CHAR.test(match[0])) {
      for (const part of match[0].match(PAIRED_OR_NOT) ?? []) {
        if (PAIRED_CHAR.test(part)) terms.push(...characterPairs(part));
        else terms.push(...contentTerms(part));
      }
      continue;
    }
    let word = match[0];
    if (word.includes("'") || word.includes("’")) {
      word = word.replace(/['’]s$/, "").replace(/['’]/g, "");
    }
    if (word.length < 2 && !(word >= "0" && word <= "9")) continue;
    if (STOPWORDS.has(word)) continue;
    terms.push(fold(word));
  }
  return terms;
}

function characterPairs(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  return chars.slice(1).map((c, i) => `${chars[i]}${c}`);
}

/** Sentence ends a space follows: Latin, the danda, the Arabic question mark, the Urdu full stop. */
const SPACED_ENDS = ".!?…।॥؟۔";
/** Chinese and Japanese sentence ends, which no space follows. */
export const CJK_ENDS = "。！？";
/** Every character that ends a sentence. */
export const SENTENCE_ENDS: ReadonlySet<string> = new Set([...SPACED_ENDS, ...CJK_ENDS]);
const SENTENCE_BREAK = new RegExp(`(?<=[${SPACED_ENDS}])\\s+|(?<=[${CJK_ENDS}])\\s*|\\n+`, "u");

/**
 * Sentences of a text, trimmed, in order. Splits after ., ! or ? (and the Devanagari
 * danda । ॥, the Arabic question mark ؟ and the Urdu full stop ۔) followed by space, after
 * 。！？ (Chinese and Japanese put no space after them), and at line breaks (chat messages
 * use them as sentence ends more often than not). Decimal numbers and abbreviations
 * without a following space stay whole.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const CJK_AT_START = new RegExp(`^[${CJK}]`, "u");
const CJK_AT_END = new RegExp(`[${CJK}${CJK_ENDS}]$`, "u");

/** Sentences back into text: a space between two, none between two of CJK text. */
export function joinSentences(sentences: readonly string[]): string {
  let text = "";
  for (const sentence of sentences) {
    const tight = CJK_AT_END.test(text) && CJK_AT_START.test(sentence);
    text += text === "" || tight ? sentence : ` ${sentence}`;
  }
  return text;
}

/** Numbers, dates, amounts — the details a summary must not lose. */
export function hasNumber(text: string): boolean {
  return /\p{N}/u.test(text);
}

/** Capitalised words after the first word: names of people, places, products. */
export function hasEntity(sentence: string): boolean {
  const words = sentence.split(/\s+/).slice(1);
  return words.some((w) => /^\p{Lu}[\p{Ll}\p{N}]+/u.test(w) && !/^I('|’|$)/.test(w));
}

/** Any whitespace but a lone space between two other characters: what `oneLine` changes. */
const NOT_ONE_LINE = /[^\S ]| {2}|^ | $/;

/** Whitespace runs (line breaks included) as single spaces: one recalled item, one line. */
export function oneLine(text: string): string {
  // Most texts are one line already; replacing every single space (each is a `\s+` run)
  // costs a context more than any other string work in it.
  return NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, " ").trim() : text;
}
