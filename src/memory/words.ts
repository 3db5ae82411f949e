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
