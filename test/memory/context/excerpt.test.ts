import { describe, expect, it } from "vitest";
import { ELISION, edgeOf, excerpter } from "../../../src/memory/context/excerpt";
import { EVERY_WORD_ALIKE } from "../../../src/memory/coverage";
import { words } from "./packing-fixtures";

const steps = Array.from(
  { length: 30 },
  (_, i) => `Step ${i + 1} of the setup checks the cables again.`,
).join(" ");

describe("excerpter", () => {
  it("quotes the sentence with the query's words and those around it, marking what is left out", () => {
    const text = `${steps} The router password is tangerine-42. ${steps}`;
    const excerpt = excerpter("what is the router password", EVERY_WORD_ALIKE, words)(text, 40);
    expect(excerpt).toContain("The router password is tangerine-42.");
    expect(words(excerpt ?? "")).toBeLessThanOrEqual(40);
    expect(excerpt?.startsWith(`${ELISION} `)).toBe(true);
    expect(excerpt?.endsWith(` ${ELISION}`)).toBe(true);
    // Pieces after the match come first: the words that follow a match usually complete it.
    expect(excerpt).toContain("tangerine-42. Step 1 of the setup");
  });

  it("weighs the query's words: the rarer word decides between two sentences", () => {
    const text = `${steps} The cables are blue. ${steps} The firmware is version 7. ${steps}`;
    const rare = (term: string) => (term === "firmware" ? 5 : 1);
    const excerpt = excerpter("cables firmware", rare, words)(text, 20);
    expect(excerpt).toContain("The firmware is version 7.");
  });

  it("quotes a message found by meaning alone from its start", () => {
    const excerpt = excerpter("unrelated words", EVERY_WORD_ALIKE, words)(steps, 30);
    expect(excerpt?.startsWith("Step 1 of the setup")).toBe(true);
    expect(excerpt?.endsWith(` ${ELISION}`)).toBe(true);
  });

  it("cuts a line without sentence ends (a JSON blob) into pieces", () => {
    const blob = JSON.stringify(
      Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`key${i}`, `value ${i}`])),
    ).replaceAll(",", ", ");
    const excerpt = excerpter("key77", EVERY_WORD_ALIKE, words)(blob, 60);
    expect(excerpt).toContain('"key77":"value 77"');
    expect(words(excerpt ?? "")).toBeLessThanOrEqual(60);
  });

  it("cuts a token longer than a piece (a long link) into runs quoted without added spaces", () => {
    const link = `https://example.com/${"a1b2".repeat(30)}`;
    const text = `${steps} The setup guide is at ${link} and nowhere else. ${steps}`;
    const excerpt = excerpter("setup guide", EVERY_WORD_ALIKE, words)(text, 40);
    expect(excerpt).toContain("The setup guide is at https://example.com/a1b2");
    expect(excerpt).not.toMatch(/a1b2 a1b2/);
    for (const part of (excerpt ?? "").split(/\s+/).filter((w) => w.includes("a1b2"))) {
      expect(link).toContain(part);
    }
  });

  it("ends pieces at the danda in Hindi text", () => {
    const hindiSteps = Array.from({ length: 30 }, (_, i) => `चरण ${i + 1} में केबल फिर से जाँचें।`);
    const text = [
      ...hindiSteps.slice(0, 15),
      "राउटर का पासवर्ड संतरा बयालीस है।",
      ...hindiSteps.slice(15),
    ];
    const excerpt = excerpter("राउटर का पासवर्ड क्या है", EVERY_WORD_ALIKE, words)(text.join(" "), 20);
    expect(excerpt).toContain("राउटर का पासवर्ड संतरा बयालीस है।");
    expect(excerpt).toContain("राउटर का पासवर्ड संतरा बयालीस है। चरण 16 में केबल फिर से जाँचें।");
    expect(words(excerpt ?? "")).toBeLessThanOrEqual(20);
  });

  it("is null when the whole message fits, or not even one piece does", () => {
    expect(excerpter("sweet", EVERY_WORD_ALIKE, words)("Short and sweet.", 40)).toBeNull();
    expect(excerpter("cables", EVERY_WORD_ALIKE, words)(steps, 3)).toBeNull();
  });
});

describe("edgeOf", () => {
  it("keeps a long turn's start after a hit and its end before one, within the count", () => {
    const start = edgeOf(steps, "start", 25, words);
    expect(start?.startsWith("Step 1 of the setup")).toBe(true);
    expect(start?.endsWith(` ${ELISION}`)).toBe(true);
    expect(words(start ?? "")).toBeLessThanOrEqual(25);
    const end = edgeOf(steps, "end", 25, words);
    expect(end?.startsWith(`${ELISION} `)).toBe(true);
    expect(end?.endsWith("Step 30 of the setup checks the cables again.")).toBe(true);
    expect(words(end ?? "")).toBeLessThanOrEqual(25);
  });

  it("is null when the turn fits whole or not one piece does", () => {
    expect(edgeOf("Short and sweet.", "start", 25, words)).toBeNull();
    expect(edgeOf(steps, "end", 3, words)).toBeNull();
  });
});
