/**
 * Where words begin and end in scripts that do not say so with spaces alone, for search
 * and the word-overlap measures (`contentTerms`, `indexTerms`, `queryTerms`).
 *
 * - Thai, Lao, Khmer and Burmese put no space between words (a space ends a phrase). The
 *   runtime's ICU word breaker finds the words by dictionary (`Intl.Segmenter`): "ฉันชอบกิน
 *   ข้าวผัด" is ฉัน ชอบ กิน ข้าว ผัด.
 * - Arabic and Hebrew mark short vowels with combining points that writers mostly leave
 *   out: "كَتَبَ" and "كتب" are one word, so the points are dropped.
 *
 * Chinese, Japanese and Korean are left to search-query.ts, which matches them by
 * character pairs.
 */

const UNSPACED = "\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}";
const POINTED = "\\p{Script_Extensions=Arabic}\\p{Script_Extensions=Hebrew}";
/** Their blocks (U+0590–U+08FF): the shared marks above Latin letters are left to the index. */
const POINTS_BLOCKS = "\\u0590-\\u08FF";
/** Any character this module changes anything for: most text skips it in one scan. */
const AFFECTED = new RegExp(`[${UNSPACED}${POINTED}]`, "u");
const UNSPACED_RUN = new RegExp(`[${UNSPACED}]+`, "gu");
const VOWEL_POINT = new RegExp(`[[${POINTED}]&&[${POINTS_BLOCKS}]&&\\p{Mn}]`, "gv");

let wordBreaks: Intl.Segmenter | undefined;

/**
 * The text with its words apart: a space between the words of every Thai, Lao, Khmer or
 * Burmese run, and Arabic and Hebrew vowel points left out. Text of other scripts comes
 * back as it is.
 */
export function separateWords(text: string): string {
  if (!AFFECTED.test(text)) return text;
  return text.replace(VOWEL_POINT, "").replace(UNSPACED_RUN, (run) => {
    wordBreaks ??= new Intl.Segmenter(undefined, { granularity: "word" });
    return ` ${Array.from(wordBreaks.segment(run), (piece) => piece.segment).join(" ")} `;
  });
}

const UNSPACED_WORD = new RegExp(`^[${UNSPACED}]+$`, "u");
let characters: Intl.Segmenter | undefined;
/** Longer "words" (a run the breaker knew nothing of) are not read piece by piece. */
const MOST_CHARACTERS = 24;

/**
 * A Thai, Lao, Khmer or Burmese word an index does not hold, as the words it holds. A
 * dictionary word breaker may cut a phrase one way in a sentence and another way alone:
 * Lao "ຂ້ອຍມັກກິນເຂົ້າຈີ່" (I like to eat bread) breaks as ຂ້ອຍ ມັກ ກິນເຂົ້າ ຈີ່, while the
 * query "ເຂົ້າຈີ່" (bread) stays whole and matches nothing. Read against the index's own
 * vocabulary instead, longest known piece first from the left (maximal matching, never
 * inside a character's marks), it is ເຂົ້າ ຈີ່, and ຈີ່ finds the sentence. Empty for a word
 * of another script or of more than MOST_CHARACTERS characters, or when no piece is known; `isKnown` is asked at most once per piece.
 */
export function knownPieces(word: string, isKnown: (piece: string) => boolean): string[] {
  if (!UNSPACED_WORD.test(word)) return [];
  characters ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const units = Array.from(characters.segment(word), (c) => c.segment);
  if (units.length > MOST_CHARACTERS) return [];
  const pieces: string[] = [];
  let start = 0;
  while (start < units.length) {
    // The whole word is what was not found.
    let end = start === 0 ? units.length - 1 : units.length;
    while (end > start && !isKnown(units.slice(start, end).join(""))) end--;
    if (end > start) pieces.push(units.slice(start, end).join(""));
    start = Math.max(end, start + 1);
  }
  return pieces;
}
