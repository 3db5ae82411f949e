import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/memory/cursor";

const isSeq = (v: unknown): v is { s: number } =>
  typeof v === "object" && v !== null && typeof (v as { s: unknown }).s === "number";

describe("cursors", () => {
  it("round-trip", () => {
    expect(decodeCursor(encodeCursor({ s: 42 }), isSeq)).toEqual({ s: 42 });
    expect(decodeCursor(encodeCursor({ s: "ünïcode ✓" }), (v): v is unknown => true)).toEqual({
      s: "ünïcode ✓",
    });
  });

  it("reject anything that is not one of ours, without throwing", () => {
    fc.assert(
      fc.property(
        fc.string(),
        (s) => decodeCursor(s, isSeq) === null || isSeq(decodeCursor(s, isSeq)),
      ),
    );
    expect(decodeCursor("!!!", isSeq)).toBeNull();
    expect(decodeCursor(encodeCursor({ x: 1 }), isSeq)).toBeNull();
    expect(decodeCursor("a".repeat(600), isSeq)).toBeNull();
  });
});
