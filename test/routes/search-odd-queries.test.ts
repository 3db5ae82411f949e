import { describe, expect, it } from "vitest";
import { firstIndexTerms } from "../../src/memory/search-query";
import { withObject } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

/**
 * Queries of characters the word handling treats specially and the index may drop: lone
 * combining marks (a Thai tone mark, an Arabic vowel point, an accent), a tatweel, the
 * Thai repetition mark, the kana prolonged sound mark, a zero-width space, a quote. Each
 * search and context answers 200 — with the word index, with the first index a
 * conversation kept from before migration 10, and in the memory index.
 */
const ODD = ["\u0E49", "\u0E49\u0E49 \u0E31", "\u064E", "\u0640", "ๆ", "\u0301", "ー", "\u200b"];
const MORE = ["ก\u0301", '"', "ຫຼ", "한", "가\u0301", "ـكَ"];
const TEXT = "ฉันชอบกินข้าว ๆ ـ ー 한 \u0E49";

describe("odd queries", () => {
  it("never fail, whichever index answers", async () => {
    const id = freshId("odd");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [TEXT, "hello"].map((content) => ({ role: "user", content })) },
    });
    const ask = async () => {
      for (const query of [...ODD, ...MORE]) {
        const search = await call("POST", `/v1/conversations/${id}/search`, { body: { query } });
        expect(search.status, `[${query}] ${search.text}`).toBe(200);
        const context = await call("POST", `/v1/conversations/${id}/context`, { body: { query } });
        expect(context.status, `[${query}] ${context.text}`).toBe(200);
      }
    };
    await ask();
    await withObject(id, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DELETE FROM message_words WHERE rowid = 1");
      sql.exec("INSERT INTO message_fts (rowid, content) VALUES (1, ?)", firstIndexTerms(TEXT));
      sql.exec("UPDATE conversation SET words_from_seq = 2");
    });
    await ask();

    const user = freshId("user");
    await call("POST", "/v1/memories", { body: { text: TEXT, userId: user } });
    for (const query of [...ODD, ...MORE]) {
      const res = await call("POST", "/v1/memories/search", { body: { query, userId: user } });
      expect(res.status, `[${query}] ${res.text}`).toBe(200);
    }
  });
});
