import { describe, expect, it } from "vitest";
import { archived, packed, turn } from "./packing-fixtures";

describe("packContext: a turn recall quotes only in part", () => {
  const advice = Array.from({ length: 25 }, (_, i) => `tip${i} keep receipts`).join(" ");
  const at = (seq: number, content: string) => ({
    seq,
    id: `m${seq}`,
    role: (seq % 2 ? "user" : "assistant") as "user" | "assistant",
    content,
    createdAt: "2026-03-14T10:00:00Z",
  });
  // Turns 9–20 are recent candidates; 9 is a long answer right after the hit, 8.
  const recent = [
    ...Array.from({ length: 11 }, (_, i) => turn(20 - i, `short turn ${20 - i} here`)),
    turn(9, `Good idea. ${advice}`),
  ];
  const recallTurns = new Map(
    [
      at(7, "What is the locker code?"),
      at(8, "My gym locker code is 6435."),
      at(9, `Good idea. ${advice}`),
    ].map((t) => [t.seq, t]),
  );

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
