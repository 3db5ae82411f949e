import { describe, expect, it } from "vitest";
import { ELISION, edgeOf, excerpter } from "../../../src/memory/context/excerpt";
import { EVERY_WORD_ALIKE, wordCoverage } from "../../../src/memory/coverage";
import { contentTerms } from "../../../src/memory/text";

/** One token a character: near enough for CJK text in o200k_base. */
const chars = (text: string) => [...text].length;
const steps = Array.from({ length: 40 }, (_, i) => `第${i + 1}步再次检查电缆和接口。`).join("");
const text = `${steps}路由器的密码是橘子四十二。${steps}`;

describe("long CJK messages (no spaces between words or sentences)", () => {
  it("have content words to compare: pairs of characters", () => {
    expect(contentTerms("路由器密码")).toEqual(["路由", "由器", "器密", "密码"]);
    expect(contentTerms("密码是tangerine42")).toEqual(["密码", "码是", "tangerine42"]);
    expect(wordCoverage("路由器的密码是什么")(text)).toBeGreaterThan(0.5);
  });

  it("are quoted in part: the sentence the query is about, with no space added", () => {
    const excerpt = excerpter("路由器的密码是什么？", EVERY_WORD_ALIKE, chars)(text, 60);
    expect(excerpt).toContain("路由器的密码是橘子四十二。");
    expect(chars(excerpt ?? "")).toBeLessThanOrEqual(60);
    const inner = (excerpt ?? "").replace(`${ELISION} `, "").replace(` ${ELISION}`, "");
    expect(text).toContain(inner);
  });

  it("give an edge beside a hit, and cut a sentence without ends into runs", () => {
    const start = edgeOf(text, "start", 40, chars);
    expect(start?.startsWith("第1步再次检查电缆和接口。")).toBe(true);
    const endless = "检查".repeat(500);
    const part = excerpter("检查", EVERY_WORD_ALIKE, chars)(endless, 100);
    expect(part).not.toBeNull();
    expect(chars(part ?? "")).toBeLessThanOrEqual(100);
  });
});
