import { describe, expect, it } from "vitest";
import { INDEX_AGAIN_PER_STEP } from "../../../src/durable/conversation/search";
import { firstIndexTerms } from "../../../src/memory/search-query";
import { kvKeys, runDueWork, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

/** Every tenth message names the language; the others hold its letters in a row (ह न द). */
const textOf = (i: number) =>
  i % 10 === 0 ? `संदेश ${i}: मुझे हिन्दी सीखना पसंद है` : `संदेश ${i}: थकान है, नींद चाहिए`;
const COUNT = INDEX_AGAIN_PER_STEP * 2 + 30;

const searchFor = async (id: string, query: string) => {
  const res = await call("POST", `/v1/conversations/${id}/search`, {
    body: { query, limit: 100 },
  });
  expect(res.status, res.text).toBe(200);
  return res.json.results
    .map((r: { message: { seq: number } }) => r.message.seq)
    .sort((a: number, b: number) => a - b);
};

/**
 * A conversation from before migration 10, most of it archived in KV: its messages are in
 * the first index, and the migration left `index_words` due. The object's next start arms
 * the alarm; step by step the work moves every message into the word index, reading the
 * archived ones from their segments, and the first index is left empty.
 */
/** Ends the object's instance (`abort`): the next call starts it again, constructor first. */
async function restart(id: string): Promise<void> {
  await withObject(id, (_instance, state) => state.abort("restart")).catch(() => undefined);
}

describe("moving older messages into the word index", () => {
  it("empties the first index a step at a time, and search then keeps words whole", async () => {
    const id = freshId("index-words");
    await call("PUT", `/v1/conversations/${id}`, {
      body: { tokenizer: "approx", workingTokens: 256 },
    });
    const messages = Array.from({ length: COUNT }, (_, i) => ({
      role: "user",
      content: textOf(i + 1),
    }));
    for (let start = 0; start < COUNT; start += 100) {
      const res = await call("POST", `/v1/conversations/${id}/messages`, {
        body: { messages: messages.slice(start, start + 100) },
      });
      expect(res.status, res.text).toBe(201);
    }
    // Archive: write the outbox to KV and drop the spilled rows (grace period passed).
    await runDueWork(id);
    await withObject(id, (_instance, state) => {
      state.storage.sql.exec("UPDATE segments SET written_at = 0");
    });
    await runDueWork(id);
    expect((await kvKeys(`t/alpha/c/${id}/`)).length).toBeGreaterThan(1);
    const inObject = await sqlOf<{ n: number }>(id, "SELECT COUNT(*) AS n FROM messages");
    expect(inObject[0]?.n).toBeLessThan(COUNT / 2);

    // Back to where the code before migration 10 left it, and the work the migration leaves.
    await withObject(id, async (_instance, state) => {
      const sql = state.storage.sql;
      for (let seq = 1; seq <= COUNT; seq++) {
        sql.exec("DELETE FROM message_words WHERE rowid = ?", seq);
        sql.exec(
          "INSERT INTO message_fts (rowid, content) VALUES (?, ?)",
          seq,
          firstIndexTerms(textOf(seq)),
        );
      }
      sql.exec("UPDATE conversation SET words_from_seq = ?", COUNT + 1);
      sql.exec("INSERT INTO due_work (kind, due_at) VALUES ('index_words', 1)");
      await state.storage.deleteAlarm();
    });
    // The first index took every message holding ह, न, द in a row for "हिन्दी".
    expect((await searchFor(id, "हिन्दी")).length).toBe(100);

    // The object starting again (as after the deploy that brings the migration) arms the
    // alarm for the work left due; each run moves one step.
    const alarm = () => withObject(id, (_instance, state) => state.storage.getAlarm());
    expect(await alarm()).toBeNull();
    await restart(id);
    expect(await alarm()).not.toBeNull();
    const due = () =>
      sqlOf<{ kind: string }>(id, "SELECT kind FROM due_work WHERE kind = 'index_words'");
    const from = async () =>
      (await sqlOf<{ w: number }>(id, "SELECT words_from_seq AS w FROM conversation"))[0]?.w;
    const steps: number[] = [];
    while ((await due()).length > 0 && steps.length < 10) {
      await runDueWork(id);
      steps.push((await from()) ?? -1);
    }
    expect(steps).toEqual([
      COUNT + 1 - INDEX_AGAIN_PER_STEP,
      COUNT + 1 - 2 * INDEX_AGAIN_PER_STEP,
      1,
    ]);
    expect(await sqlOf(id, "SELECT term FROM message_vocab")).toEqual([]);
    const expected = Array.from({ length: COUNT / 10 }, (_, i) => (i + 1) * 10);
    expect(await searchFor(id, "हिन्दी")).toEqual(expected);
  });
});
