import { describe, expect, it } from "vitest";
import { MAX_RANKED_TERMS } from "../../../src/durable/sqlite/term-counts";
import { call, freshId } from "../../helpers/http";

// More words that occur nowhere than the search ranks, then the one that matches.
const FILLER = "one two three four five six seven eight nine ten eleven twelve";
const LONG_QUESTION =
  "Sorry to ask again, but could you remind me which place we said would be good for a quick dinner near the hotel on the first evening, the ramen one?";

describe("query words that match nothing never take a ranked slot", () => {
  it("memory search finds the memory behind a long question", async () => {
    expect(FILLER.split(" ").length).toBeGreaterThan(MAX_RANKED_TERMS);
    const userId = freshId("user");
    const created = await call("POST", "/v1/memories", {
      body: { userId, text: "Marco loves the ramen bar by the station" },
    });
    expect(created.status).toBe(201);
    for (const query of [`${FILLER} ramen`, LONG_QUESTION]) {
      const res = await call("POST", "/v1/memories/search", { body: { userId, query } });
      expect(res.status).toBe(200);
      expect(
        res.json.results.map((r: any) => r.memory.id),
        query,
      ).toEqual([created.json.id]);
    }
  });

  it("conversation search and context recall find the turn behind a long question", async () => {
    const id = freshId();
    const messages = [
      { role: "user", content: "Let us try the ramen bar by the station on Friday." },
      { role: "assistant", content: "Good plan, it opens at six." },
      ...Array.from({ length: 40 }, (_, i) => ({
        role: i % 2 ? "assistant" : "user",
        content: `Packing list item ${i}: socks, chargers and the travel adapter.`,
      })),
    ];
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256 } });
    expect(
      (await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } })).status,
    ).toBe(201);
    for (const query of [`${FILLER} ramen`, LONG_QUESTION]) {
      const search = await call("POST", `/v1/conversations/${id}/search`, {
        body: { query, limit: 3 },
      });
      expect(search.status).toBe(200);
      expect(search.json.results[0]?.message.seq, query).toBe(1);
      const context = await call("POST", `/v1/conversations/${id}/context`, {
        body: { query, maxTokens: 300 },
      });
      expect(context.status).toBe(200);
      const text = context.json.messages.map((m: any) => m.content).join("\n");
      expect(text, query).toContain("ramen bar by the station");
    }
  });
});
