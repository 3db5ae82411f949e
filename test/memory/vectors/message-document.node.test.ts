import { describe, expect, it } from "vitest";
import {
  messageDocuments,
  messageHits,
  PREVIOUS_TURN_CHARS,
  turnHits,
} from "../../../src/memory/vectors/message-document";

describe("messageDocuments", () => {
  const question = {
    seq: 7,
    role: "user" as const,
    name: "Mateo",
    content: "What name did you go for?",
  };
  const reply = {
    seq: 8,
    role: "user" as const,
    name: "Viktor",
    content: "Pretzel! It suits him.",
  };

  it("writes the turn with its speaker, and the exchange with the turn before it under −seq", () => {
    expect(messageDocuments(reply, question)).toEqual([
      { id: 8, text: "Viktor: Pretzel! It suits him." },
      { id: -8, text: "Mateo: What name did you go for?\nViktor: Pretzel! It suits him." },
    ]);
  });

  it("names the role when the message has no name, and has no exchange without a turn before", () => {
    expect(messageDocuments({ seq: 1, role: "assistant", content: "Hello." })).toEqual([
      { id: 1, text: "assistant: Hello." },
    ]);
    const toolCall = { seq: 7, role: "assistant" as const, content: "" };
    expect(messageDocuments(reply, toolCall)).toEqual([
      { id: 8, text: "Viktor: Pretzel! It suits him." },
    ]);
  });

  it("embeds nothing for a message without text", () => {
    expect(messageDocuments({ seq: 9, role: "assistant", content: "  " }, reply)).toEqual([]);
  });

  it("keeps the end of a long turn before, from a word, so the turn itself stays in the window", () => {
    const long = { ...question, content: `${"blah ".repeat(200)}so what name did you go for?` };
    const [, exchange] = messageDocuments(reply, long);
    const before = (exchange?.text ?? "").split("\n")[0] ?? "";
    expect(before.startsWith("Mateo: …")).toBe(true);
    expect(before.endsWith("so what name did you go for?")).toBe(true);
    expect(before.length).toBeLessThanOrEqual("Mateo: …".length + PREVIOUS_TURN_CHARS);
    expect(before).toMatch(/^Mateo: …blah /);
  });
});

describe("vector hits as message hits", () => {
  const hits = [
    { id: -8, similarity: 0.9 },
    { id: 7, similarity: 0.8 },
    { id: 8, similarity: 0.7 },
    { id: -3, similarity: 0.5 },
  ];

  it("recall: each message once, at its better vector's similarity, best first", () => {
    expect(messageHits(hits)).toEqual([
      { id: 8, similarity: 0.9 },
      { id: 7, similarity: 0.8 },
      { id: 3, similarity: 0.5 },
    ]);
  });

  it("recall: an exchange counts by its place on its own form's scale, carried onto the turns'", () => {
    // The two forms on two scales: exchanges 0.60–0.90 here, turns 0.30–0.60. Turn 5 is
    // the best turn; exchange −2 is its list's median, turn 11 the turns'.
    const mixed = [
      { id: -1, similarity: 0.9 },
      { id: -9, similarity: 0.7 },
      { id: -2, similarity: 0.68 },
      { id: -4, similarity: 0.65 },
      { id: -6, similarity: 0.6 },
      { id: 5, similarity: 0.6 },
      { id: 11, similarity: 0.45 },
      { id: 12, similarity: 0.4 },
      { id: 13, similarity: 0.3 },
    ];
    const ranked = messageHits(mixed);
    expect(ranked.map((h) => h.id)).toEqual([1, 5, 9, 2, 11, 4, 12, 6, 13]);
    // The best exchange lands on the best turn's level, the median on the turns' median.
    expect(ranked[0]?.similarity).toBeCloseTo(0.6);
    expect(ranked.find((h) => h.id === 2)?.similarity).toBeCloseTo(0.45);
    // With too few of one form for a median, similarities are compared as they are.
    expect(messageHits(mixed.slice(0, 6)).map((h) => h.id)).toEqual([1, 9, 2, 4, 6, 5]);
  });

  it("search: the turns alone", () => {
    expect(turnHits(hits)).toEqual([
      { id: 7, similarity: 0.8 },
      { id: 8, similarity: 0.7 },
    ]);
  });
});
