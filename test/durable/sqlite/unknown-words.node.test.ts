import { describe, expect, it } from "vitest";
import {
  type DocumentCounts,
  PIECE_LOOKUPS,
  rankedQuery,
} from "../../../src/durable/sqlite/term-counts";

/** Counts of an index holding `words`, and every word asked. */
function vocabulary(...words: string[]) {
  const asked: string[] = [];
  const counts = {
    docsWith(term: string) {
      asked.push(term);
      return words.includes(term.slice(1, -1)) ? 3 : 0;
    },
  } as unknown as DocumentCounts;
  return { counts, asked };
}

describe("a Thai, Lao, Khmer or Burmese query word no document holds", () => {
  it("is asked as the index's words it is made of", () => {
    const { counts } = vocabulary("ຈີ່", "ເຂົ້າ");
    expect(rankedQuery(['"ເຂົ້າຈີ່"'], counts)?.match).toBe('"ເຂົ້າ" OR "ຈີ່"');
    // The first index holds those scripts unbroken: no pieces there.
    expect(rankedQuery(['"ເຂົ້າຈີ່"'], counts, false)).toBeNull();
    // Other scripts are not read piece by piece.
    expect(rankedQuery(['"breadcrumbs"'], vocabulary("bread").counts)).toBeNull();
  });

  it("costs at most PIECE_LOOKUPS lookups a query, however many such words it has", () => {
    const { counts, asked } = vocabulary();
    const words = Array.from({ length: 12 }, (_, i) => `"กขคงจฉชซ${"ฌญฎฏ".slice(0, i % 4)}"`);
    expect(rankedQuery(words, counts)).toBeNull();
    expect(asked.length).toBeLessThanOrEqual(words.length + PIECE_LOOKUPS);
    expect(asked.length).toBeGreaterThan(words.length);
  });
});
