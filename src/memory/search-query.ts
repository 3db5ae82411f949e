/**
 * Turns text into what the memory index stores and matches. The FTS5 table uses
 * `porter unicode61`: English words are stemmed ("running", "runs" and "run" meet;
 * irregular forms such as "ran" do not) and diacritics are folded. unicode61 splits
 * on spaces and punctuation, which leaves Chinese and Japanese — written without
 * spaces — as one token per sentence. So ideographs and kana are indexed one
 * character a token, and a query matches them as overlapping two-character phrases
 * (bigrams): "東京" finds "東京タワー", and more shared bigrams rank higher. Thai, Lao,
 * Khmer and Burmese words are set apart and Arabic and Hebrew vowel points dropped first
 * (`separateWords`); the indexes keep combining marks inside words (`WORD_TOKENIZER`).
 */

import { CJK, CJK_CHAR } from "./text";
import { separateWords } from "./words";

const CJK_CHARS = new RegExp(`([${CJK}])`, "gu");
const QUERY_PART = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}])+`, "gu");

/** Most terms a query is cut to, so one request cannot make the index scan forever. */
export const MAX_QUERY_TERMS = 32;

/** Words that match nearly everything and only blur BM25; dropped unless nothing else is left. */
const STOPWORDS = new Set(
  "a an and are as at be but by do does did for from has have had he her his i in is it its me my of on or our she so than that the their them they this to was we were what when where which who will with you your".split(
    " ",
  ),
);

/** The text as the full-text index stores it: words apart, CJK characters one a token. */
export function indexTerms(text: string): string {
  return firstIndexTerms(separateWords(text));
}

/**
 * The text as a conversation's first index (`message_fts`, before migration 10) stored
 * it: CJK characters apart, nothing else. A contentless index forgets a document given
 * exactly the terms it was given, so this form lives as long as such documents may.
 */
export function firstIndexTerms(text: string): string {
  return text.replace(CJK_CHARS, " $1 ");
}

const phrase = (tokens: string[]) => `"${tokens.join(" ").replaceAll('"', '""')}"`;

/**
 * The terms of an FTS5 MATCH expression in which any word of `text` may match (OR).
 * Every term is a quoted phrase, so nothing the user types is read as FTS5 syntax
 * (`AND`, `NEAR`, `*`, `"`, column filters). Empty when the text has no words.
 */
export function queryTerms(text: string): string[] {
  const terms: string[] = [];
  const stopwords: string[] = [];
  for (const part of separateWords(text.toLowerCase()).match(QUERY_PART) ?? []) {
    if (CJK_CHAR.test(part)) {
      const chars = [...part];
      if (chars.length === 1) terms.push(phrase(chars));
      for (let i = 0; i + 1 < chars.length; i++) terms.push(phrase(chars.slice(i, i + 2)));
    } else if (STOPWORDS.has(part)) {
      stopwords.push(phrase([part]));
    } else {
      terms.push(phrase([part]));
    }
  }
  return [...new Set(terms.length > 0 ? terms : stopwords)].slice(0, MAX_QUERY_TERMS);
}

/** `queryTerms` joined with OR; null when the text has no words. */
export function matchExpression(text: string): string | null {
  const chosen = queryTerms(text);
  return chosen.length > 0 ? chosen.join(" OR ") : null;
}
