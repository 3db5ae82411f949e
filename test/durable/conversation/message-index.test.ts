import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS } from "../../../src/durable/conversation/schema";
import { MEMORY_INDEX_MIGRATIONS } from "../../../src/durable/memories/index-schema";
import { applyMigrations } from "../../../src/durable/sqlite/migrations";
import { firstIndexTerms, indexTerms } from "../../../src/memory/search-query";
import { conversations, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

const OLD = "मुझे हिन्दी सीखना पसंद है";
const NEW = "हिन्दी फिल्में अच्छी हैं";

const searchFor = async (id: string, query: string) => {
  const res = await call("POST", `/v1/conversations/${id}/search`, { body: { query } });
  expect(res.status, res.text).toBe(200);
  return res.json.results.map((r: { message: { seq: number } }) => r.message.seq).sort();
};

/**
 * A conversation from before migration 10: its messages are in the first index
 * (`message_fts`, words split at their marks), and `words_from_seq` is where the word
 * index starts. Its messages stay findable, and a rewind removes each from its own index.
 */
/**
 * A conversation whose messages, `texts`, are where the code before migration 10 indexed
 * them, with `words_from_seq` as the migration leaves it.
 */
async function indexedBefore(...texts: string[]): Promise<string> {
  const id = freshId("first-index");
  await call("POST", `/v1/conversations/${id}/messages`, {
    body: { messages: texts.map((content) => ({ role: "user", content })) },
  });
  await withObject(id, (_instance, state) => {
    const sql = state.storage.sql;
    texts.forEach((text, i) => {
      sql.exec("DELETE FROM message_words WHERE rowid = ?", i + 1);
      sql.exec(
        "INSERT INTO message_fts (rowid, content) VALUES (?, ?)",
        i + 1,
        firstIndexTerms(text),
      );
    });
    sql.exec("UPDATE conversation SET words_from_seq = ?", texts.length + 1);
  });
  return id;
}

describe("a conversation indexed before the word index", () => {
  it("finds old and new messages, and a rewind leaves neither index holding them", async () => {
    const id = await indexedBefore(OLD);
    expect(await searchFor(id, "हिन्दी")).toEqual([1]);
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: NEW }] },
    });
    expect(await searchFor(id, "हिन्दी")).toEqual([1, 2]);
    expect(await searchFor(id, "फिल्में")).toEqual([2]);

    const rewound = await call("POST", `/v1/conversations/${id}/rewind`, { body: { afterSeq: 0 } });
    expect(rewound.status, rewound.text).toBe(200);
    expect(await sqlOf(id, "SELECT term FROM message_vocab")).toEqual([]);
    expect(await sqlOf(id, "SELECT term FROM message_words_vocab")).toEqual([]);
    expect(await searchFor(id, "हिन्दी")).toEqual([]);
  });

  it("a Korean phrase indexed before is found by the phrase, as it was", async () => {
    // The first index holds "서울에" as one token; the word index a syllable a token.
    const id = await indexedBefore("다음 주에 서울에 가요");
    expect(await searchFor(id, "서울에")).toEqual([1]);
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "서울은 처음이에요" }] },
    });
    expect(await searchFor(id, "서울")).toEqual([2]);
    expect(await searchFor(id, "서울에")).toEqual([1, 2]);
  });

  it("a rewind into the first index's seqs moves where the word index starts", async () => {
    const id = await indexedBefore(OLD, "दूसरा संदेश", "तीसरा संदेश");
    const rewind = () => call("POST", `/v1/conversations/${id}/rewind`, { body: { afterSeq: 1 } });
    expect((await rewind()).json.removed).toBe(2);
    // Seq 2 again, now in the word index: the next rewind must look for it there.
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: NEW }] },
    });
    expect(await searchFor(id, "फिल्में")).toEqual([2]);
    const again = await rewind();
    expect(again.status, again.text).toBe(200);
    expect(await sqlOf(id, "SELECT term FROM message_words_vocab")).toEqual([]);
    expect(await searchFor(id, "हिन्दी")).toEqual([1]);
    expect(await searchFor(id, "संदेश")).toEqual([]);
  });

  it("a rewind forgets a message however the word breaker split it then", async () => {
    // Indexed as a runtime with another word breaker might have: the Thai phrase whole.
    const text = "ฉันชอบกินข้าวผัดกับไก่ทอดมาก";
    const id = freshId("word-index");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: text }] },
    });
    await withObject(id, (_instance, state) => {
      const sql = state.storage.sql;
      expect(indexTerms(text)).not.toBe(text);
      sql.exec("DELETE FROM message_words WHERE rowid = 1");
      sql.exec("INSERT INTO message_words (rowid, content) VALUES (1, ?)", text);
    });
    const rewound = await call("POST", `/v1/conversations/${id}/rewind`, { body: { afterSeq: 0 } });
    expect(rewound.status, rewound.text).toBe(200);
    expect(await sqlOf(id, "SELECT term FROM message_words_vocab")).toEqual([]);
  });

  it("a conversation begun after it has only the word index", async () => {
    const id = freshId("word-index");
    await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: OLD }] },
    });
    expect(await sqlOf(id, "SELECT words_from_seq AS w FROM conversation")).toEqual([{ w: 1 }]);
    expect(await sqlOf(id, "SELECT term FROM message_vocab")).toEqual([]);
    expect(await sqlOf(id, "SELECT term FROM message_words_vocab WHERE term = 'हिन्दी'")).toEqual([
      { term: "हिन्दी" },
    ]);
  });
});

describe("conversation migration 10", () => {
  it("starts the word index at the next seq and leaves the move of older messages due", async () => {
    const stub = conversations().get(conversations().idFromName("test/conversation-10"));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      applyMigrations(
        sql,
        CONVERSATION_MIGRATIONS.filter((m) => m.id < 10),
      );
      sql.exec(
        `INSERT INTO conversation (singleton, tenant, id, tokenizer, working_budget, created_at,
           updated_at, next_seq) VALUES (1, 't', 'c', 'approx', 4000, 'x', 'x', 5)`,
      );
      applyMigrations(sql, CONVERSATION_MIGRATIONS);
      expect(sql.exec("SELECT words_from_seq AS w FROM conversation").toArray()).toEqual([
        { w: 5 },
      ]);
      expect(sql.exec("SELECT kind, due_at FROM due_work").toArray()).toEqual([
        { kind: "index_words", due_at: 1 },
      ]);
    });
  });
});

describe("memory index migration 4", () => {
  it("indexes every memory again: words whole, Thai words apart, Hangul paired", async () => {
    const stub = conversations().get(conversations().idFromName("test/memory-index-4"));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      applyMigrations(
        sql,
        MEMORY_INDEX_MIGRATIONS.filter((m) => m.id < 4),
      );
      const texts = [OLD, "थकान है, नींद चाहिए", "ฉันชอบกินข้าวผัดมาก", "서울에 가요"];
      texts.forEach((text, i) => {
        sql.exec(
          `INSERT INTO memories (seq, id, metadata, created_at, updated_at, version, body)
           VALUES (?, ?, '{}', '2026-01-01', '2026-01-01', 1, ?)`,
          i + 1,
          `m${i + 1}`,
          JSON.stringify({ id: `m${i + 1}`, text }),
        );
        // As the code before migration 4 indexed it: CJK spaced, nothing else.
        sql.exec("INSERT INTO memory_terms (rowid, terms) VALUES (?, ?)", i + 1, text);
      });
      const matching = (word: string) =>
        sql
          .exec<{ rowid: number }>(
            "SELECT rowid FROM memory_terms WHERE memory_terms MATCH ?",
            word,
          )
          .toArray()
          .map((r) => r.rowid);
      // Before: "हिन्दी" is ह न द, which "है, नींद" holds in a row.
      expect(matching('"हिन्दी"')).toEqual([1, 2]);
      applyMigrations(sql, MEMORY_INDEX_MIGRATIONS);
      expect(matching('"हिन्दी"')).toEqual([1]);
      expect(matching('"नींद"')).toEqual([2]);
      // Thai words apart: taken from the memory's text, since only code finds them.
      expect(matching('"ข้าว"')).toEqual([3]);
      expect(matching('"ผัด"')).toEqual([3]);
      // Hangul a syllable a token, so a pair finds the noun whatever its particle.
      expect(matching('"서 울"')).toEqual([4]);
      expect(sql.exec("SELECT doc FROM memory_vocab WHERE term = 'हिन्दी'").toArray()).toEqual([
        { doc: 1 },
      ]);
    });
  });
});
