import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

/**
 * An archived answer far longer than recall's room: the context quotes the part of it the
 * query is about instead of leaving it out (API `recalled[].excerpt`).
 */
describe("excerpts of long recalled messages", () => {
  const steps = Array.from(
    { length: 40 },
    (_, i) => `Step ${i + 1}: check that cable ${i + 1} is seated firmly in its port.`,
  );
  const ANSWER = [
    ...steps.slice(0, 20),
    "The router password is tangerine-42.",
    ...steps.slice(20),
  ].join("\n");

  it("quotes the matching part, marked as an excerpt, within the budget", async () => {
    const id = await askedAndAnswered(
      "How do I set up the new router?",
      ANSWER,
      (i) => `Turn ${i}: the weather and the train timetable again.`,
    );

    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 400, query: "what was the router password?", explain: true },
    });
    expect(res.status, res.text).toBe(200);
    const all = res.json.messages.map((m: { content: string }) => m.content).join("\n");
    expect(all).toContain("The router password is tangerine-42.");
    expect(all).not.toContain(ANSWER.replaceAll("\n", " "));
    expect(res.json.usage.total).toBeLessThanOrEqual(400);
    const item = res.json.recalled.find((r: { seq: number }) => r.seq === 2);
    expect(item).toMatchObject({ excerpt: true });
    expect(item.text).toContain("tangerine-42");
    expect(item.text.length).toBeLessThan(ANSWER.length / 2);
    expect(res.json.truncated).toBe(true);
  });

  it("quotes a long Chinese answer in part too (no spaces between its sentences)", async () => {
    const zhSteps = Array.from(
      { length: 40 },
      (_, i) => `第${i + 1}步：确认第${i + 1}根网线插紧了。`,
    );
    const answer = [
      ...zhSteps.slice(0, 20),
      "路由器的密码是橘子四十二。",
      ...zhSteps.slice(20),
    ].join("");
    const id = await askedAndAnswered(
      "新路由器怎么设置？",
      answer,
      (i) => `第${i}轮：又聊了天气和火车时刻表。`,
    );

    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 400, query: "路由器的密码是什么？" },
    });
    expect(res.status, res.text).toBe(200);
    const item = res.json.recalled.find((r: { seq: number }) => r.seq === 2);
    expect(item, JSON.stringify(res.json.recalled)).toMatchObject({ excerpt: true });
    expect(item.text).toContain("路由器的密码是橘子四十二。");
    expect(answer).toContain(item.text.replace(/^… /, "").replace(/ …$/, ""));
    expect(res.json.usage.total).toBeLessThanOrEqual(400);
  });
});

/**
 * A conversation whose question and long answer are archived behind 24 short turns of
 * `filler(i)` (working memory of 256 tokens); the answer is seq 2.
 */
async function askedAndAnswered(
  question: string,
  answer: string,
  filler: (i: number) => string,
): Promise<string> {
  const id = freshId("excerpt");
  await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256 } });
  const messages = [
    { role: "user", content: question },
    { role: "assistant", content: answer },
    ...Array.from({ length: 24 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: filler(i),
    })),
  ];
  const appended = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
  expect(appended.status, appended.text).toBe(201);
  return id;
}
