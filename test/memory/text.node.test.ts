import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentTerms, oneLine, splitSentences } from "../../src/memory/text";
import { knownPieces, separateWords } from "../../src/memory/words";

/** What `oneLine` always meant; it now skips texts this would leave as they are. */
const folded = (text: string) => text.replace(/\s+/g, " ").trim();

// Every character JavaScript's `\s` and `trim` know, and a few that look like them.
const SPACES = [" ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u2003", "\u2028", "\ufeff"];
const NEAR_SPACES = ["\u200b", "\u180e", "_", "·"];

describe("oneLine", () => {
  it("folds whitespace exactly as replace(/\\s+/g, ' ').trim() on any text", () => {
    const piece = fc.oneof(
      fc.constantFrom(...SPACES, ...NEAR_SPACES),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: "grapheme", maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        expect(oneLine(text)).toBe(folded(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it("returns a text that is one line already as it is", () => {
    for (const text of ["", "a", "two words", "é ü 日本"]) expect(oneLine(text)).toBe(text);
    expect(oneLine(" a")).toBe("a");
    expect(oneLine("a ")).toBe("a");
    expect(oneLine("a  b")).toBe("a b");
    expect(oneLine("a\u00a0b")).toBe("a b");
  });
});

describe("contentTerms in scripts with combining marks", () => {
  it("keeps a word whole across its vowel signs and accents", () => {
    expect(contentTerms("हिन्दी भाषा सीखना")).toEqual(["हिन्दी", "भाषा", "सीखना"]);
    expect(contentTerms("café")).toEqual(["café"]);
  });
});

describe("words of scripts that are not spaced or pointed as Latin is", () => {
  it("sets apart the words of Thai, Lao, Khmer and Burmese runs", () => {
    expect(contentTerms("ภาษาไทย")).toEqual(["ภาษา", "ไทย"]);
    expect(separateWords("ฉันชอบกินข้าว ok").split(/\s+/).filter(Boolean)).toEqual([
      "ฉัน",
      "ชอบ",
      "กิน",
      "ข้าว",
      "ok",
    ]);
  });

  it("reads an unknown Thai, Lao, Khmer or Burmese word as the longest known words in it", () => {
    const known =
      (...words: string[]) =>
      (piece: string) =>
        words.includes(piece);
    expect(knownPieces("ເຂົ້າຈີ່", known("ເຂົ້າ", "ຈີ່", "ຈ"))).toEqual(["ເຂົ້າ", "ຈີ່"]);
    expect(knownPieces("ເຂົ້າຈີ່", known("ຈີ່"))).toEqual(["ຈີ່"]);
    expect(knownPieces("ข้าวผัดกุ้ง", known("ข้าวผัด", "ข้าว", "กุ้ง"))).toEqual(["ข้าวผัด", "กุ้ง"]);
    // Never a piece inside a character's marks: ເ ຂົ້ າ are two characters, not four.
    expect(knownPieces("ເຂົ້າຈີ່", known("ຂ", "ເຂົ"))).toEqual([]);
    expect(knownPieces("bread", known("bre", "ad"))).toEqual([]);
    const asked: string[] = [];
    knownPieces("ເຂົ້າຈີ່", (piece) => {
      asked.push(piece);
      return false;
    });
    // Every run of whole characters but the word itself, once each: 4 characters, 9 runs.
    expect(asked).toHaveLength(9);
    expect(new Set(asked).size).toBe(9);
    expect(asked).not.toContain("ເຂົ້າຈີ່");
    expect(asked).not.toContain("ເຂົ");
  });

  it("pairs Hangul, so a noun meets itself with another particle", () => {
    expect(contentTerms("서울에 가요")).toEqual(["서울", "울에", "가요"]);
    expect(contentTerms("서울은")).toContain("서울");
  });

  it("leaves out Arabic and Hebrew vowel points, which writers mostly omit", () => {
    expect(contentTerms("كَتَبَ رِسَالَةً")).toEqual(contentTerms("كتب رسالة"));
    expect(separateWords("שָׁלוֹם")).toBe("שלום");
  });

  it("returns other text as it is, and only ever adds spaces or drops points", () => {
    const english = "Cafés, naïve résumés — 東京タワー, हिन्दी.";
    expect(separateWords(english)).toBe(english);
    const scripts = fc.constantFrom("ข้าวผัด", "ຫຼວງພະບາງ", "ត្រី", "ရန်ကုန်", "كَتَبَ", "שָׁלוֹם", "a b", " ");
    fc.assert(
      fc.property(fc.array(scripts, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        const bare = (t: string) =>
          t.replace(/\s/g, "").replace(/[\u0591-\u05C7\u064B-\u0652]/g, "");
        expect(bare(separateWords(text))).toBe(bare(text));
      }),
    );
  });
});

describe("splitSentences beyond Latin punctuation", () => {
  it("ends a sentence at the danda, the Arabic question mark and the Urdu full stop", () => {
    expect(splitSentences("मैं कल दिल्ली जाऊँगा। टिकट बुक है।")).toEqual([
      "मैं कल दिल्ली जाऊँगा।",
      "टिकट बुक है।",
    ]);
    expect(splitSentences("هل الرحلة غدا؟ نعم.")).toEqual(["هل الرحلة غدا؟", "نعم."]);
    expect(splitSentences("میں کل جاؤں گا۔ ٹکٹ ہے۔")).toEqual(["میں کل جاؤں گا۔", "ٹکٹ ہے۔"]);
  });
});
