import { countTokens as exactO200k } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { loadTokenCounter } from "../../src/memory/tokens";
import { fileTokenTables } from "../helpers/token-tables-file";

// Timed in Node: inside workerd the clock stands still during synchronous work.
const PLAIN = { disallowedSpecial: new Set<string>() };
const base64ish = (bytes: number) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let seed = 7;
  let out = "";
  for (let i = 0; i < bytes; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[seed % 64];
  }
  return out;
};

function msOf(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

describe("token counting cost is bounded per byte of input", () => {
  it("counts a 64 KiB word without spaces in milliseconds, not seconds (BPE is quadratic in a piece)", async () => {
    const count = await loadTokenCounter("o200k_base", fileTokenTables);
    count("warm up the tables");
    for (const word of ["a".repeat(65_536), "z".repeat(65_536), " ".repeat(65_536)]) {
      expect(msOf(() => count(word))).toBeLessThan(250);
    }
    // Fifteen such words fill a 1 MiB append.
    const words = Array.from({ length: 15 }, (_, i) => `${"xyz"[i % 3]}`.repeat(65_536));
    expect(msOf(() => words.forEach(count))).toBeLessThan(1_500);
  });

  it("is exact on ordinary text, and off by at most a token per 256 characters of a long run", async () => {
    const count = await loadTokenCounter("o200k_base", fileTokenTables);
    const ordinary = "The quick brown fox jumps over the lazy dog. ".repeat(200);
    expect(count(ordinary)).toBe(exactO200k(ordinary, PLAIN));
    const run = base64ish(8_192);
    const exact = exactO200k(run, PLAIN);
    expect(Math.abs(count(run) - exact)).toBeLessThanOrEqual(8_192 / 256);
    const cjk = "東京は日本の首都であり世界最大級の都市圏を形成している".repeat(40);
    expect(Math.abs(count(cjk) - exactO200k(cjk, PLAIN))).toBeLessThanOrEqual(cjk.length / 256);
    const emoji = "😀".repeat(1_000); // surrogate pairs are never split
    expect(count(emoji)).toBe(exactO200k(emoji, PLAIN));
  });

  it("keeps counts additive at a line starting with [ even after a long run", async () => {
    const count = await loadTokenCounter("o200k_base", fileTokenTables);
    const a = `${"q".repeat(3_000)} tail\n`;
    const b = "[3] next line";
    expect(count(a + b)).toBe(count(a) + count(b));
  });
});
