import { describe, expect, it } from "vitest";
import { memory, packed, turns } from "./packing-fixtures";

describe("chooseUnits: value per token under two limits", () => {
  const long = Array.from({ length: 30 }, (_, i) => `detail${i}`).join(" ");
  const recalled = [
    memory("k0", long),
    ...Array.from({ length: 9 }, (_, i) => memory(`k${i + 1}`, `fact ${i + 1}`)),
  ];

  it("takes the best hits when `recall` runs out before the room does", () => {
    // Room for every item; two slots. Cheap low-ranked items used to win on value per
    // token alone and leave the best hit out with most of the room unused.
    const context = packed({ recalled, recallLimit: 2, recallTokens: 200 });
    expect(context.recalled.map((r) => r.id).sort()).toEqual(["k0", "k1"]);
    expect(context.usage.recalled).toBeLessThan(200);
  });

  it("still prefers cheap hits when the room runs out before `recall` does", () => {
    const context = packed({ recalled, recallLimit: 10, recallTokens: 30 });
    const ids = context.recalled.map((r) => r.id);
    expect(ids).not.toContain("k0");
    expect(ids.length).toBeGreaterThan(2);
    expect(context.usage.recalled).toBeLessThanOrEqual(30);
  });

  it("prices the slots left when recall goes on after every recent turn is in", () => {
    // Recall's share (a quarter of 80) holds two short facts, not k0. Every recent turn
    // fits, so recall goes on in the room they leave, with one slot left: the best hit
    // (k0) takes it, not the cheapest (k3).
    const short = Array.from({ length: 9 }, (_, i) =>
      memory(`k${i + 1}`, `fact number ${i + 1} here`),
    );
    const best = memory("k0", Array.from({ length: 20 }, (_, i) => `detail${i}`).join(" "));
    const context = packed({
      recalled: [best, ...short],
      recallLimit: 3,
      maxTokens: 80,
      recentNewestFirst: turns(3),
    });
    expect(context.messages.filter((m) => m.role !== "system")).toHaveLength(3);
    expect(context.recalled.map((r) => r.id).sort()).toEqual(["k0", "k1", "k2"]);
    expect(context.usage.total).toBeLessThanOrEqual(80);
  });
});
