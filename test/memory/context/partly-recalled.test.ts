import { describe, expect, it } from "vitest";
import { archived, archivedTurns, packed, turn } from "./packing-fixtures";

describe("packContext: a turn recall quotes only in part", () => {
  const advice = Array.from({ length: 25 }, (_, i) => `tip${i} keep receipts`).join(" ");
  // Turns 9–20 are recent candidates; 9 is a long answer right after the hit, 8.
  const recent = [
    ...Array.from({ length: 11 }, (_, i) => turn(20 - i, `short turn ${20 - i} here`)),
    turn(9, `Good idea. ${advice}`),
  ];
  const recallTurns = archivedTurns([
    [7, "What is the locker code?"],
    [8, "My gym locker code is 6435."],
    [9, `Good idea. ${advice}`],
  ]);

  it("is sent whole as a recent turn when the recent turns reach it, not cut as recall's edge", () => {
    const context = packed({
      recalled: [archived(8, "My gym locker code is 6435.")],
      recallTurns,
      recentNewestFirst: recent,
      maxTokens: 400,
      recallTokens: 250,
    });
    const contents = context.messages.map((m) => m.content);
    // The long answer is the oldest recent turn, whole; the hit still leads the note.
    expect(contents).toContain(`Good idea. ${advice}`);
    expect(contents[1]).toBe(`Good idea. ${advice}`);
    expect(contents[0]).toContain("My gym locker code is 6435.");
    expect(contents[0]).not.toContain("Good idea.");
    expect(context.recalled).toMatchObject([{ seq: 8, passage: { fromSeq: 7, toSeq: 8 } }]);
    expect(context.truncated).toBe(false);
  });
});
