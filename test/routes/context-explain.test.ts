import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

describe("context with explain=true", () => {
  it("lists every recall candidate with its ranks, whether it was packed, and why not", async () => {
    const id = freshId("explain");
    const userId = freshId("user");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256, userId } });
    await call("POST", "/v1/memories", { body: { userId, text: "Marco is vegetarian." } });
    const filler = Array.from({ length: 30 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Turn ${i}: we talked about the weather and the train timetable again.`,
    }));
    const messages = [
      { role: "user", content: "Marco wants a vegetarian dinner in Gion on Friday." },
      { role: "assistant", content: "Shojin ryori near Kennin-ji would suit a vegetarian." },
      { role: "user", content: "Another vegetarian idea: the tofu place in Arashiyama." },
      ...filler,
    ];
    const appended = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
    expect(appended.json.conversation.archivedMessages).toBeGreaterThan(3);

    const res = await call(
      "GET",
      `/v1/conversations/${id}/context?maxTokens=400&recall=2&explain=true&query=vegetarian%20dinner`,
    );
    expect(res.status, res.text).toBe(200);
    const { candidates } = res.json.explain;
    expect(candidates.length).toBeGreaterThan(2);
    const packed = candidates.filter((c: any) => c.packed);
    expect(packed).toHaveLength(2);
    for (const c of packed) expect(c.reason).toBeNull();
    expect(candidates.filter((c: any) => !c.packed).map((c: any) => c.reason)).toContain("cutoff");
    for (const c of candidates) {
      expect(c.match.lexical).toBeGreaterThanOrEqual(1);
      expect(c.match.semantic).toBeNull();
    }
    // Exactly the packed candidates are the recalled items.
    expect(packed.map((c: any) => `${c.kind}:${c.id}`).sort()).toEqual(
      res.json.recalled.map((r: any) => `${r.kind}:${r.id}`).sort(),
    );
    expect(candidates.some((c: any) => c.kind === "memory")).toBe(true);

    const without = await call("GET", `/v1/conversations/${id}/context?maxTokens=400`);
    expect(without.json.explain).toBeUndefined();
  });

  it("rejects an explain that is not true or false, naming it", async () => {
    const id = freshId("explain-bad");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "hello" }] },
    });
    const res = await call("GET", `/v1/conversations/${id}/context?explain=maybe`);
    expectProblem(res, 400, "invalid_request", ["explain"]);
    const body = await call("POST", `/v1/conversations/${id}/context`, {
      body: { explain: "yes" },
    });
    expectProblem(body, 400, "invalid_request", ["explain"]);
  });
});
