import { describe, expect, it } from "vitest";
import { summaryWithout } from "../../../src/memory/context/summary";
import { summarizeExtractively } from "../../../src/memory/summarizers/extractive";
import type { LeavingMessage } from "../../../src/memory/summarizers/summarizer";
import { joinSentences, splitSentences } from "../../../src/memory/text";

/** One token a character: near enough for CJK text. */
const chars = (text: string) => [...text].length;
const user = (content: string): LeavingMessage => ({ role: "user", content });

describe("summaries of Chinese and Japanese text (no space after a sentence)", () => {
  it("split sentences at 。！？ and join them back without a space", () => {
    const text = "我下周去东京。航班是3月3日早上7点15分！你要订酒店吗？";
    const sentences = splitSentences(text);
    expect(sentences).toEqual(["我下周去东京。", "航班是3月3日早上7点15分！", "你要订酒店吗？"]);
    expect(joinSentences(sentences)).toBe(text);
    expect(joinSentences(["See you.", "明天见。", "Bye."])).toBe("See you. 明天见。 Bye.");
  });

  it("condense a message sentence by sentence, quoting it without added spaces", () => {
    const message = `${"今天天气不错。".repeat(3)}我的航班是3月3日早上7点15分从里斯本出发。${"哈哈。".repeat(3)}`;
    const summary = summarizeExtractively({
      previousSummary: null,
      leaving: [user(message)],
      maxTokens: 40,
      count: chars,
    });
    expect(summary).toContain("我的航班是3月3日早上7点15分从里斯本出发。");
    expect(chars(summary)).toBeLessThan(chars(message));
    const body = summary.replace(/^[^:]+: /, "");
    expect(body).not.toContain(" ");
  });

  it("leave out of the running summary a sentence the context quotes", () => {
    const summary = "user: 我的航班是3月3日。我对花生过敏。预算是每晚150欧元。";
    const left = summaryWithout(summary, ["我对花生过敏。"]);
    expect(left).toBe("user: 我的航班是3月3日。预算是每晚150欧元。");
  });
});
