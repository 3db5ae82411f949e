import { describe, expect, it } from "vitest";
import { loadTokenCounter } from "../../src/memory/tokens";
import { tokenTables } from "../helpers/token-tables";

describe("token counting", () => {
  it("counts with o200k_base and cl100k_base as the OpenAI encodings do", async () => {
    const o200k = await loadTokenCounter("o200k_base", tokenTables);
    const cl100k = await loadTokenCounter("cl100k_base", tokenTables);
    expect(o200k("hello world")).toBe(2);
    expect(cl100k("hello world")).toBe(2);
    // The two encodings differ on non-English text.
    const text = "Привет, как дела? 今日はいい天気ですね。";
    expect(o200k(text)).not.toBe(cl100k(text));
    expect(o200k("")).toBe(0);
  });

  it("counts special-token strings in user text as plain text instead of throwing", async () => {
    const o200k = await loadTokenCounter("o200k_base", tokenTables);
    expect(o200k("hi <|endoftext|> there")).toBeGreaterThan(3);
  });

  it("approximates at about four UTF-8 bytes a token", async () => {
    const approx = await loadTokenCounter("approx", tokenTables);
    expect(approx("abcdefgh")).toBe(2);
    expect(approx("é")).toBe(1);
    expect(approx("")).toBe(0);
  });
});
