import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defaultRecallQuery,
  fuseRankings,
  type RecallCandidate,
  RRF_K,
  recallStrength,
} from "../../../src/memory/context/recall";

const message = (id: string, text = `message ${id}`, score = 1): RecallCandidate => ({
  kind: "message",
  id,
  seq: Number(id.replace(/\D/g, "")) || 1,
  text,
  score,
});
const memory = (id: string, text = `memory ${id}`, score = 1): RecallCandidate => ({
  kind: "memory",
  id,
  text,
  score,
});

describe("fuseRankings", () => {
  it("interleaves two rankings fairly by rank, whatever their raw score scales", () => {
    const fused = fuseRankings(
      [message("m1", "a", 40), message("m2", "b", 30), message("m3", "c", 20)],
      [memory("k1", "x", 0.9), memory("k2", "y", 0.8)],
    );
    expect(fused.map((c) => c.id)).toEqual(["m1", "k1", "m2", "k2", "m3"]);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1));
  });

  it("ranks an item found by both searches above items found by one", () => {
    const fused = fuseRankings(
      [message("m1", "I moved to Lisbon"), message("m2", "The dog is called Miso")],
      [memory("k1", "likes tea"), memory("k2", "the dog is  called MISO")],
    );
    expect(fused[0]?.id).toBe("m2");
    expect(fused.map((c) => c.id)).toEqual(["m2", "m1", "k1"]);
  });

  it("removes duplicates within a list, keeping the better rank", () => {
    const fused = fuseRankings([message("m1"), message("m2"), message("m1")], []);
    expect(fused.map((c) => c.id)).toEqual(["m1", "m2"]);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1));
  });

  it("working hits keep their place in `match` but push no older match down", () => {
    const recent = Array.from({ length: 10 }, (_, i) => message(`w${i + 101}`));
    const isWorking = (c: RecallCandidate) => c.id.startsWith("w");
    const archived = [...recent, message("m1", "the old match")];
    const crowded = fuseRankings(archived, [memory("k1", "a memory")]);
    // Without the split the old match scores as the 11th hit and a memory outranks it.
    expect(crowded.findIndex((c) => c.id === "k1")).toBeLessThan(
      crowded.findIndex((c) => c.id === "m1"),
    );
    const fused = fuseRankings(archived, [memory("k1", "a memory")], { working: isWorking });
    const old = fused.find((c) => c.id === "m1");
    expect(old?.score).toBeCloseTo(1 / (RRF_K + 1));
    expect(old?.match?.lexical).toBe(11);
    expect(fused.findIndex((c) => c.id === "m1")).toBeLessThan(
      fused.findIndex((c) => c.id === "k1"),
    );
  });

  it("handles empty lists", () => {
    expect(fuseRankings([], [])).toEqual([]);
  });

  it("is deterministic, best first, without duplicates (property)", () => {
    const list = (kind: "message" | "memory") =>
      fc
        .array(fc.integer({ min: 1, max: 30 }), { maxLength: 25 })
        .map((ids) =>
          ids.map((n) => (kind === "message" ? message(`m${n}`) : memory(`k${n}`, `text ${n}`))),
        );
    fc.assert(
      fc.property(list("message"), list("memory"), (archived, memories) => {
        const fused = fuseRankings(archived, memories);
        const again = fuseRankings(archived, memories);
        expect(again).toEqual(fused);
        const keys = fused.map((c) => `${c.kind}:${c.id}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (let i = 1; i < fused.length; i++) {
          expect(fused[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(fused[i]?.score ?? 0);
        }
        const inputs = new Set([...archived, ...memories].map((c) => `${c.kind}:${c.id}`));
        expect(new Set(keys)).toEqual(inputs);
      }),
    );
  });
});

describe("defaultRecallQuery", () => {
  it("is the latest non-empty user message", () => {
    expect(
      defaultRecallQuery([
        { role: "assistant", content: "Sure." },
        { role: "user", content: "  " },
        { role: "user", content: "Where did I say I was born?" },
        { role: "user", content: "older" },
      ]),
    ).toBe("Where did I say I was born?");
    expect(defaultRecallQuery([{ role: "assistant", content: "hi" }])).toBeNull();
    expect(defaultRecallQuery([])).toBeNull();
  });
});

describe("recallStrength", () => {
  const candidates = [memory("k1", "The user's sister Marta lives in Porto and teaches piano.")];

  it("is 1 when an item covers the query's words, 0 when it barely touches them", () => {
    expect(recallStrength("Where does my sister Marta live?", candidates)).toBe(1);
    expect(recallStrength("What is the weather like in Oslo today?", candidates)).toBe(0);
    expect(recallStrength("", candidates)).toBe(0);
    expect(recallStrength(null, candidates)).toBe(0);
    expect(recallStrength("sister", [])).toBe(0);
  });

  it("grows between weak and strong coverage", () => {
    const strength = recallStrength("sister piano lessons schedule", candidates);
    expect(strength).toBeGreaterThan(0);
    expect(strength).toBeLessThan(1);
  });
});
