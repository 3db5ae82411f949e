import { describe, expect, it } from "vitest";
import { DocumentCounts, idfWeight, UNCOUNTED } from "../../../src/durable/sqlite/term-counts";
import { wordCoverage } from "../../../src/memory/coverage";

// Document counts as an index of 1,000 chat turns would report them.
const DOCS: Record<string, number> = { mateo: 400, trip: 60, return: 30, budapest: 3 };
const counts = (asked: string[] = []) => ({
  docsWith: (term: string) => {
    asked.push(term);
    const word = term.slice(1, -1);
    if (word === "straße") return UNCOUNTED;
    return word === "singleton" ? 1 : (DOCS[word] ?? 0);
  },
});

describe("idfWeight", () => {
  it("weighs rare words most, a word in no document nothing, an uncounted one as rare", () => {
    const weight = idfWeight(counts(), 1_000);
    expect(weight("budapest")).toBeGreaterThan(weight("return"));
    expect(weight("return")).toBeGreaterThan(weight("trip"));
    expect(weight("trip")).toBeGreaterThan(weight("mateo"));
    expect(weight("mateo")).toBeGreaterThan(0);
    expect(weight("lisbon")).toBe(0);
    expect(weight("straße")).toBe(weight("singleton"));
  });

  it("asks the index once per word", () => {
    const asked: string[] = [];
    const weight = idfWeight(counts(asked), 1_000);
    weight("trip");
    weight("trip");
    expect(asked).toEqual(['"trip"']);
  });

  it("looks up at most `lookups` words; the rest weigh the mean of those", () => {
    const asked: string[] = [];
    const weight = idfWeight(counts(asked), 1_000, 2);
    const mean = (weight("budapest") + weight("mateo")) / 2;
    expect(weight("trip")).toBeCloseTo(mean);
    expect(asked).toHaveLength(2);
  });

  it("stays positive when counts exceed the documents given", () => {
    expect(idfWeight(counts(), 10)("mateo")).toBeGreaterThan(0);
  });

  it("makes the rare word most of a question's coverage", () => {
    const question = "When did Mateo return from the Budapest trip?";
    const turn = "Back from Budapest. I ate my body weight in langos.";
    expect(wordCoverage(question)(turn)).toBeCloseTo(1 / 4);
    expect(wordCoverage(question, idfWeight(counts(), 1_000))(turn)).toBeGreaterThan(0.4);
    // A chatty turn by the same speaker about another trip holds the common words only.
    const chatty = "Mateo says the trip was long";
    expect(wordCoverage(question, idfWeight(counts(), 1_000))(chatty)).toBeLessThan(0.3);
  });
});

describe("DocumentCounts.total", () => {
  it("counts the index once, then follows the documents added and removed", () => {
    // total() never reads SQLite itself: the owner says how to count.
    const counts = new DocumentCounts({} as SqlStorage, "vocab", "fts");
    counts.added = 7;
    let scans = 0;
    const countAll = () => {
      scans++;
      return 120;
    };
    expect(counts.total(countAll)).toBe(120);
    counts.added += 5;
    counts.removed += 2;
    expect(counts.total(countAll)).toBe(123);
    expect(scans).toBe(1);
  });
});
