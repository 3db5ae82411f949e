import { describe, expect, it } from "vitest";
import { COMMON_DOCS, COMMON_WINDOW } from "../../../src/durable/conversation/search";
import { call, freshId } from "../../helpers/http";

describe("conversation search cost stays bounded as history grows", () => {
  it("leaves out words too common to rank by, and keeps finding rare ones anywhere", async () => {
    const id = freshId("common");
    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx" } });
    const total = COMMON_WINDOW + 500;
    for (let start = 0; start < total; start += 100) {
      const messages = Array.from({ length: 100 }, (_, i) => ({
        role: "user",
        content:
          start + i === 5
            ? "The weather report mentions a zebra crossing near the harbour."
            : `Weather report number ${start + i}: cloudy with a chance of rain.`,
      }));
      expect(
        (await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } })).status,
      ).toBe(201);
    }
    const search = (query: string, limit = 5) =>
      call("POST", `/v1/conversations/${id}/search`, { body: { query, limit } });

    // "weather" and "report" are in every message (far more than COMMON_DOCS); "zebra" only
    // in seq 6, near the start: the common words are left out, so only seq 6 matches.
    expect(total).toBeGreaterThan(COMMON_DOCS);
    const rare = await search("weather report zebra", 50);
    expect(rare.json.results.map((r: any) => r.message.seq)).toEqual([6]);

    // Every word common: only the latest COMMON_WINDOW messages are ranked.
    const common = await search("weather report", 50);
    expect(common.json.results.length).toBe(50);
    const oldest = Math.min(...common.json.results.map((r: any) => r.message.seq));
    expect(oldest).toBeGreaterThan(total - COMMON_WINDOW);

    // Stemming applies to the document counts too: "reports" is as common as "report".
    const stemmed = await search("reports zebra", 50);
    expect(stemmed.json.results.map((r: any) => r.message.seq)).toEqual([6]);
  }, 120_000);

  it("notices a word becoming common between searches, and forgets an erased conversation", async () => {
    const id = freshId("growing");
    const append = async (contents: string[]) => {
      for (let start = 0; start < contents.length; start += 100) {
        const messages = contents
          .slice(start, start + 100)
          .map((content) => ({ role: "user", content }));
        const response = await call("POST", `/v1/conversations/${id}/messages`, {
          body: { messages },
        });
        expect(response.status).toBe(201);
      }
    };
    const seqsFor = async (query: string) =>
      (
        await call("POST", `/v1/conversations/${id}/search`, { body: { query, limit: 50 } })
      ).json.results
        .map((r: any) => r.message.seq)
        .sort((a: number, b: number) => a - b);

    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx" } });
    await append(["A kiwi on the table.", "A zebra at the gate."]);
    expect(await seqsFor("kiwi zebra")).toEqual([1, 2]); // both rare: both ranked

    // "kiwi" grows past COMMON_DOCS after it was counted: the next search leaves it out.
    await append(Array.from({ length: COMMON_DOCS + 100 }, (_, i) => `kiwi crate ${i}`));
    expect(await seqsFor("kiwi zebra")).toEqual([2]);

    // Erased and started again, the conversation is a new one: "kiwi" is rare again.
    expect((await call("DELETE", `/v1/conversations/${id}`)).status).toBe(200);
    await call("PUT", `/v1/conversations/${id}`, { body: { tokenizer: "approx" } });
    await append(["A kiwi on the table.", "A zebra at the gate."]);
    expect(await seqsFor("kiwi zebra")).toEqual([1, 2]);
  }, 120_000);
});
