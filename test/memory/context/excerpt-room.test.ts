import { describe, expect, it } from "vitest";
import { archived, archivedTurns, memory, packed, turn } from "./packing-fixtures";

describe("packContext: an excerpt sized to the room left", () => {
  it("is cut again, smaller, when what recall chose first leaves less room than it was cut for", () => {
    const filler = Array.from({ length: 40 }, (_, i) => `Line ${i} is about cables.`).join(" ");
    const long = `${filler} The router password is tangerine-42. ${filler}`;
    const recallTurns = archivedTurns([[7, long, "assistant"]]);
    // Ten better-ranked memories of ten words each take about 110 of recall's 150 tokens
    // before the long hit's turn; its excerpt was first cut for ~50.
    const facts = Array.from({ length: 10 }, (_, i) =>
      memory(`k${i}`, `fact ${i} one two three four five six seven eight`),
    );
    const context = packed({
      recalled: [...facts, archived(7, long)],
      recallTurns,
      recentNewestFirst: [turn(8, "what was the router password")],
      olderTurns: true,
      query: "router password",
      maxTokens: 400,
      recallLimit: 11,
      recallTokens: 150,
    });
    expect(context.recalled.filter((r) => r.kind === "memory")).toHaveLength(10);
    expect(context.recalled).toContainEqual(expect.objectContaining({ seq: 7, excerpt: true }));
    expect(context.messages[0]?.content).toContain("The router password is tangerine-42.");
    expect(context.usage.recalled).toBeLessThanOrEqual(150);
  });
});
