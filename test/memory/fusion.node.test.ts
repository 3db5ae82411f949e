import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { beyondWorking, type RecallCandidate } from "../../src/memory/context/recall";
import { wordCoverage } from "../../src/memory/coverage";
import { fuseHybrid, fuseRecall } from "../../src/memory/fusion";

describe("fuseHybrid", () => {
  it("a dozen weak hits on one common word do not outrank the one strong paraphrase", () => {
    // Twelve turns sharing one word of a six-word query; one paraphrase only vectors found.
    const weak = Array.from({ length: 12 }, (_, i) => ({ key: `weak-${i}`, strength: 1 / 6 }));
    const semantic = [
      { key: "paraphrase", similarity: 0.62 },
      ...Array.from({ length: 8 }, (_, i) => ({ key: `crowd-${i}`, similarity: 0.3 - i * 0.01 })),
    ];
    const fused = fuseHybrid(weak, semantic, 5);
    expect(fused[0]?.key).toBe("paraphrase");
    expect(fused[0]?.match).toEqual({ lexical: null, semantic: 1 });
    // Plain RRF, 1 / (k + rank) in each list, ties to the word list: a weak hit comes first.
    const plain = (key: string) => {
      const l = weak.findIndex((w) => w.key === key);
      const s = semantic.findIndex((v) => v.key === key);
      return (l < 0 ? 0 : 1 / (60 + l + 1)) + (s < 0 ? 0 : 1 / (60 + s + 1));
    };
    expect(plain("weak-0")).toBeGreaterThanOrEqual(plain("paraphrase"));
  });

  it("a strong hit found both ways comes first and says both ranks", () => {
    const fused = fuseHybrid(
      [
        { key: "a", strength: 0.5 },
        { key: "b", strength: 1 },
      ],
      [
        { key: "b", similarity: 0.8 },
        { key: "c", similarity: 0.7 },
      ],
      10,
    );
    expect(fused.map((f) => f.key)).toEqual(["b", "a", "c"]);
    expect(fused[0]?.match).toEqual({ lexical: 2, semantic: 1 });
    expect(fused[1]?.match).toEqual({ lexical: 1, semantic: null });
    expect(fused[2]?.match).toEqual({ lexical: null, semantic: 2 });
  });

  it("drops vector hits far below the best one", () => {
    const fused = fuseHybrid(
      [],
      [
        { key: "near", similarity: 0.5 },
        { key: "noise", similarity: 0.2 },
      ],
      10,
    );
    expect(fused.map((f) => f.key)).toEqual(["near"]);
  });

  it("ranks are 1-based positions in each list; every word hit kept; at most limit", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }),
        fc.integer({ min: 1, max: 40 }),
        (lexKeys, semKeys, limit) => {
          const fused = fuseHybrid(
            lexKeys.map((key) => ({ key, strength: 1 })),
            semKeys.map((key, i) => ({ key, similarity: 0.9 - i * 0.05 })),
            limit,
          );
          const union = new Set([...lexKeys, ...semKeys]).size;
          expect(fused.length).toBeLessThanOrEqual(Math.min(limit, union));
          expect(fused.length).toBeGreaterThanOrEqual(Math.min(limit, lexKeys.length));
          expect(new Set(fused.map((f) => f.key)).size).toBe(fused.length);
          for (const f of fused) {
            const l = lexKeys.indexOf(f.key);
            const s = semKeys.indexOf(f.key);
            expect(f.match.lexical).toBe(l < 0 ? null : l + 1);
            // Vector hits are kept from the best down, so a kept one keeps its rank.
            if (f.match.semantic !== null) expect(f.match.semantic).toBe(s + 1);
            if (s === 0) expect(f.match.semantic).toBe(1);
          }
          for (let i = 1; i < fused.length; i++) {
            expect((fused[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
              (fused[i] as { score: number }).score,
            );
          }
        },
      ),
    );
  });

  it("a flat crowd of neighbours adds nothing; one that stands out does", () => {
    const crowd = Array.from({ length: 10 }, (_, i) => ({
      key: `n${i}`,
      similarity: 0.31 - i * 0.001,
    }));
    expect(
      fuseHybrid([], [{ key: "standout", similarity: 0.6 }, ...crowd], 5).map((f) => f.key),
    ).toEqual(["standout"]);
  });
});

describe("hits apart from the scale (working turns)", () => {
  const crowd = Array.from({ length: 10 }, (_, i) => ({
    key: `old${i}`,
    similarity: 0.3 - i * 0.01,
  }));
  const recent = Array.from({ length: 20 }, (_, i) => ({
    key: `recent${i}`,
    similarity: 0.8 - i * 0.001,
  }));

  it("measured with the rest, many near recent hits push an older match under the cutoff", () => {
    const keys = fuseHybrid([], [...recent, ...crowd], 40).map((f) => f.key);
    expect(keys).not.toContain("old0");
  });

  it("apart, they still rank, and the older match stands out among its own", () => {
    const apart = recent.map((h) => ({ ...h, apart: true }));
    const keys = fuseHybrid([], [...apart, ...crowd], 40).map((f) => f.key);
    expect(keys).toContain("old0");
    expect(keys).toContain("recent0");
    expect(keys).not.toContain("old9");
  });

  it("apart, they push no older hit down either ranking", () => {
    const words = (apart: boolean) => [
      ...recent.map((h) => ({ key: h.key, strength: 1, apart })),
      { key: "old-word", strength: 0.6 },
    ];
    const meaning = [{ key: "old-meaning", similarity: 0.9 }, ...crowd];
    const score = (apart: boolean, key: string) =>
      fuseHybrid(words(apart), meaning, 40).find((f) => f.key === key);
    // Behind 20 working hits the word match scored as the 21st and fell behind the vector
    // match; apart, it scores as the first of its list, and keeps its place in `match`.
    expect(score(false, "old-word")?.score ?? 0).toBeLessThan(
      score(false, "old-meaning")?.score ?? 0,
    );
    expect(score(true, "old-word")?.score ?? 0).toBeGreaterThan(
      score(true, "old-meaning")?.score ?? 0,
    );
    expect(score(true, "old-word")?.match.lexical).toBe(21);
  });
});

describe("beyondWorking", () => {
  const working = new Set([7, 8, 9]);
  const isWorking = (seq: number) => working.has(seq);

  it("keeps `count` hits outside working memory, with the working hits ranked among them", () => {
    expect(beyondWorking([9, 3, 7, 2, 1, 5], 2, isWorking)).toEqual([9, 3, 7, 2]);
  });

  it("leaves out the working hits ranked after the last kept one, and keeps all when short", () => {
    expect(beyondWorking([3, 9, 8], 1, isWorking)).toEqual([3]);
    expect(beyondWorking([9, 3, 8], 5, isWorking)).toEqual([9, 3, 8]);
  });

  it("keeps at most `count` working hits: without older hits, the ranking's first `count`", () => {
    expect(beyondWorking([9, 8, 7, 3], 2, isWorking)).toEqual([9, 8, 3]);
    expect(beyondWorking([9, 8, 7], 2, isWorking)).toEqual([9, 8]);
  });
});

describe("fuseRecall", () => {
  const item = (id: string, text: string, score: number): RecallCandidate => ({
    kind: "memory",
    id,
    text,
    score,
    match: { lexical: 1, semantic: null },
  });

  it("without semantic hits returns the lexical ranking untouched", () => {
    const lexical = [item("a", "flight to Lisbon", 0.03), item("b", "Lisbon hotel", 0.02)];
    expect(fuseRecall("Lisbon flight", lexical, [], 5)).toEqual(lexical);
  });

  it("fuses the two rankings and sets match", () => {
    const fused = fuseRecall(
      "what does he eat",
      [item("a", "he went to eat lunch", 0.03)],
      [item("m", "Marco is vegetarian", 0.45), item("a", "he went to eat lunch", 0.3)],
      5,
    );
    // "a" holds every content word of the query and is found by meaning too.
    expect(fused.map((f) => f.id)).toEqual(["a", "m"]);
    expect(fused[0]?.match).toEqual({ lexical: 1, semantic: 2 });
    expect(fused[1]?.match).toEqual({ lexical: null, semantic: 1 });
  });

  it("word coverage is the share of the query's content words held", () => {
    expect(wordCoverage("Lisbon flight times")("The flight to Lisbon")).toBeCloseTo(2 / 3);
    expect(wordCoverage("the")("anything")).toBe(1);
  });
});
