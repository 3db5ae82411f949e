import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Piece, piecesOf } from "../../../src/memory/context/excerpt";
import { oneLine } from "../../../src/memory/text";

/** The pieces back into text: a space where one stood before a piece. */
const rejoin = (pieces: readonly Piece[]) =>
  pieces.map((p, i) => (i > 0 && p.spaced ? ` ${p.text}` : p.text)).join("");

const part = fc.constantFrom(
  "word",
  "Sentence.",
  "end!",
  "why?",
  "etc…",
  "है।",
  "غدا؟",
  "東京",
  "です。",
  "好！",
  "x".repeat(70),
  "漢".repeat(130),
  "3.14",
  " ",
  "  ",
  "\n",
  "\t",
  "\u00a0",
);
const text = fc.array(part, { maxLength: 120 }).map((parts) => parts.join(""));

describe("piecesOf: the pieces excerpts and edges are cut from", () => {
  it("hold the whole text, whitespace folded, and never add or lose a character", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(rejoin(piecesOf(t))).toBe(oneLine(t));
      }),
      { numRuns: 500 },
    );
  });

  it("keep each piece within 40 words, and a run without spaces within 60 characters", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const piece of piecesOf(t)) {
          const words = piece.text.split(" ");
          expect(words.length).toBeLessThanOrEqual(40);
          for (const word of words) expect([...word].length).toBeLessThanOrEqual(60);
        }
      }),
      { numRuns: 500 },
    );
  });
});
