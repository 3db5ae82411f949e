import { readFileSync } from "node:fs";
import fc from "fast-check";
import cl100kRanks from "gpt-tokenizer/bpeRanks/cl100k_base";
import o200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import { countTokens as libraryCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { countTokens as libraryO200k } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { indexRanks, readIndex, serializeIndex } from "../../../src/memory/tokenizer/bpe-index";
import {
  type BpeRanks,
  decodeBpeTable,
  encodeBpeTable,
} from "../../../src/memory/tokenizer/bpe-table";
import { loadTokenCounter } from "../../../src/memory/tokens";
import { fileTokenTables } from "../../helpers/token-tables-file";

const PLAIN = { disallowedSpecial: new Set<string>() };
const ENCODINGS = [
  { name: "o200k_base", ranks: o200kRanks as BpeRanks, library: libraryO200k },
  { name: "cl100k_base", ranks: cl100kRanks as BpeRanks, library: libraryCl100k },
] as const;

describe("the shipped binary rank tables", () => {
  for (const { name, ranks } of ENCODINGS) {
    it(`public/tokenizer/${name}.bpe is exactly gpt-tokenizer's table, indexed (rerun npm run tokenizer:tables after an upgrade)`, () => {
      const table = encodeBpeTable(ranks);
      const decoded = decodeBpeTable(table);
      expect(decoded.length).toBe(ranks.length);
      expect(decoded).toEqual(ranks);
      const shipped = new Uint8Array(readFileSync(`public/tokenizer/${name}.bpe`));
      expect(Buffer.from(shipped).equals(Buffer.from(serializeIndex(indexRanks(table))))).toBe(
        true,
      );
    });
  }

  // Text under 256 characters, and text whose runs are shorter, is counted exactly
  // (tokens.ts bounds only longer runs), so the counts must be the library's own: the
  // counter of bpe-counter.ts against gpt-tokenizer's own encoder and tables.
  const words = fc.string({ unit: "grapheme", maxLength: 40 });
  const arbitraryText = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 255 }),
    fc.string({ unit: "binary", maxLength: 255 }),
    fc.string({ maxLength: 255 }),
    fc.array(words, { maxLength: 60 }).map((parts) => parts.join(" ")),
    fc
      .array(
        fc.constantFrom(
          "hello",
          " world",
          "\n",
          "[1]",
          "été",
          "東京",
          "😀",
          "<|endoftext|>",
          "  ",
          "'s",
          "123456",
          // The library's quirks the counter must share: a byte-order mark (dropped when
          // it decodes bytes), lone surrogates (never a whole-piece match), special tokens.
          "\uFEFF",
          "\uD83D",
          "\uDE00",
          "<|im_start|>",
          "Привет",
        ),
        { maxLength: 80 },
      )
      .map((parts) => parts.join("")),
  );
  for (const { name, library } of ENCODINGS) {
    it(`counts arbitrary text with ${name} exactly as the library's JavaScript tables do, first and repeated counts alike`, async () => {
      const count = await loadTokenCounter(name, fileTokenTables);
      fc.assert(
        fc.property(arbitraryText, (text) => {
          const exact = library(text, PLAIN);
          expect(count(text)).toBe(exact);
          // Again: a text counted before is answered from the isolate's memory of counts.
          expect(count(text)).toBe(exact);
        }),
        { numRuns: 2_000 },
      );
    });
  }
});

describe("the BPE1 format", () => {
  const token = fc.oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
    fc.constantFrom("\uFEFFbom", "\uFEFF"),
    fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 200 }),
  );
  it("round-trips any table, unused ranks and a leading byte-order mark included", () => {
    fc.assert(
      fc.property(fc.array(fc.option(token, { nil: undefined }), { maxLength: 300 }), (tokens) => {
        const ranks: BpeRanks = new Array(tokens.length);
        tokens.forEach((t, i) => {
          if (t !== undefined) ranks[i] = t;
        });
        const decoded = decodeBpeTable(encodeBpeTable(ranks));
        expect(decoded.length).toBe(ranks.length);
        for (let i = 0; i < ranks.length; i++) {
          expect(i in decoded).toBe(i in ranks);
          expect(decoded[i]).toEqual(ranks[i]);
        }
      }),
    );
  });

  it("indexes any table so that every token is found at its rank, and reads it back", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(token, { maxLength: 200, selector: (t) => JSON.stringify(t) }),
        (tokens) => {
          const index = readIndex(serializeIndex(indexRanks(encodeBpeTable(tokens))));
          tokens.forEach((t, rank) => {
            const bytes = typeof t === "string" ? new TextEncoder().encode(t) : Uint8Array.from(t);
            const start = index.offsets[rank] as number;
            expect(Array.from(index.bytes.subarray(start, index.offsets[rank + 1]))).toEqual(
              Array.from(bytes),
            );
            expect(index.isText[rank]).toBe(typeof t === "string" ? 1 : 0);
            expect(index.slots).toContain(rank);
          });
        },
      ),
    );
    expect(() => readIndex(new Uint8Array([1, 2, 3]))).toThrow(/BPE2/);
  });

  it("rejects bytes that are not a table, and a truncated table", () => {
    expect(() => decodeBpeTable(new Uint8Array([1, 2, 3]))).toThrow(/BPE1/);
    const table = encodeBpeTable(["a", "bc", [255, 254]]);
    expect(() => decodeBpeTable(table.subarray(0, table.length - 1))).toThrow(/corrupt/);
  });
});
