/**
 * Turns text into what the memory index stores and matches. The FTS5 table uses
 * `porter unicode61`: English words are stemmed ("running", "runs" and "run" meet;
 * irregular forms such as "ran" do not) and diacritics are folded. unicode61 splits
 * on spaces and punctuation, which leaves Chinese and Japanese — written without
 * spaces — as one token per sentence. So ideographs and kana are indexed one
 * character a token, and a query matches them as overlapping two-character phrases
 * (bigrams): "東京" finds "東京タワー", and more shared bigrams rank higher. Korean is
 * spaced, but between phrases: a noun carries its particle ("서울에", to Seoul), so Hangul
 * is paired too, and "서울" finds "서울에" (the CJK analyzers of Lucene do the same). Thai, Lao,
 * Khmer and Burmese words are set apart and Arabic and Hebrew vowel points dropped first
 * (`separateWords`); the indexes keep combining marks inside words (`WORD_TOKENIZER`).
 */

import { CJK, PAIRED, PAIRED_CHAR } from "./text";
import { separateWords } from "./words";

const CJK_CHARS = new RegExp(`([${CJK}])`, "gu");
const PAIRED_CHARS = new RegExp(`([${PAIRED}])`, "gu");
const partsOf = (paired: string) =>
  new RegExp(`[${paired}]+|(?:(?![${paired}])[\\p{L}\\p{N}\\p{M}])+`, "gu");

/** How an index holds text, so a query asks it in the same form. */
interface QueryForm {
  words: (text: string) => string;
  /** Runs matched by pairs of characters, and every other word. */
  parts: RegExp;
  paired: RegExp;
}
const WORD_FORM: QueryForm = {
  words: separateWords,
  parts: partsOf(PAIRED),
  paired: PAIRED_CHAR,
};
const FIRST_FORM: QueryForm = {
  words: (text) => text,
  parts: partsOf(CJK),
  paired: new RegExp(`[${CJK}]`, "u"),
};

/** Most terms a query is cut to, so one request cannot make the index scan forever. */
export const MAX_QUERY_TERMS = 32;

/** Words that match nearly everything and only blur BM25; dropped unless nothing else is left. */
const STOPWORDS = new Set(
  "a an and are as at be but by do does did for from has have had he her his i in is it its me my of on or our she so than that the their them they this to was we were what when where which who will with you your".split(
    " ",
  ),
);

/** The text as the full-text index stores it: words apart, CJK and Hangul one a token. */
export function indexTerms(text: string): string {
  return separateWords(text).replace(PAIRED_CHARS, " $1 ");
}

/**
 * The text as the first indexes stored it (a conversation's `message_fts`, before its
 * migration 10; `memory_terms` before its migration 4): CJK characters apart, nothing
 * else. A contentless index forgets a document given exactly the terms it was given, so
 * this form lives as long as such documents may.
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
export function queryTerms(text: string, form = WORD_FORM): string[] {
  const terms: string[] = [];
  const stopwords: string[] = [];
  for (const part of form.words(text.toLowerCase()).match(form.parts) ?? []) {
    if (form.paired.test(part)) {
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

/** `queryTerms` as the first indexes hold text (`firstIndexTerms`): a Korean phrase whole. */
export function firstQueryTerms(text: string): string[] {
  return queryTerms(text, FIRST_FORM);
}

/** One content word (`contentTerms`) as a query term: a CJK or Hangul pair as two tokens. */
export function wordTerm(word: string): string {
  return phrase(indexTerms(word).trim().split(/\s+/));
}

/** `queryTerms` joined with OR; null when the text has no words. */
export function matchExpression(text: string): string | null {
  const chosen = queryTerms(text);
  return chosen.length > 0 ? chosen.join(" OR ") : null;
}
