import type { Memory } from "../../memory/memories";
import { firstIndexTerms, indexTerms } from "../../memory/search-query";
import type { Migration } from "../sqlite/migrations";
import { WORD_TOKENIZER } from "../sqlite/word-tokenizer";
import { VECTOR_TABLES_SQL } from "../vectors/store";

/**
 * The MemoryIndex object's SQLite schema. `memories` holds one row per memory of
 * the scope (its JSON body included, so list and search never wait on KV);
 * `memory_terms` is the full-text index, rowid = memories.seq. The partial index on
 * `expires_at` is the object's due-work table: its alarm is always set to the
 * earliest expiry, and removes what is due.
 */
export const MEMORY_INDEX_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "memories of one scope, full-text index, expiries",
    sql: `
      CREATE TABLE memories (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        user_id TEXT,
        agent_id TEXT,
        conversation_id TEXT,
        metadata TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        expires_at INTEGER,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX memories_recent ON memories (created_at DESC, id DESC);
      CREATE INDEX memories_expiry ON memories (expires_at) WHERE expires_at IS NOT NULL;
      CREATE VIRTUAL TABLE memory_terms USING fts5(
        terms,
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
    `,
  },
  {
    id: 2,
    description: "document counts of words, to leave words too common to rank by out of a search",
    sql: "CREATE VIRTUAL TABLE memory_vocab USING fts5vocab(memory_terms, 'row');",
  },
  {
    id: 3,
    description: "vectors of memories (int8 and binary code), the model that made them, due work",
    sql: `${VECTOR_TABLES_SQL}
      CREATE TABLE due_work (
        kind TEXT PRIMARY KEY,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    id: 4,
    description: "the word index again, keeping words whole in every script",
    // memory_terms keeps its text, so every memory is indexed again here, and the memories
    // whose words only code sets apart are indexed from their text.
    data: separateWordsOfMemories,
    sql: `
      CREATE VIRTUAL TABLE memory_words USING fts5(terms, tokenize = '${WORD_TOKENIZER}');
      INSERT INTO memory_words (rowid, terms) SELECT rowid, terms FROM memory_terms;
      DROP TABLE memory_vocab;
      DROP TABLE memory_terms;
      ALTER TABLE memory_words RENAME TO memory_terms;
      CREATE VIRTUAL TABLE memory_vocab USING fts5vocab(memory_terms, 'row');
    `,
  },
];

/** Memories read at a time by a data step: bodies are small, but a scope may hold many. */
const PAGE = 500;

/**
 * Indexes again, as `indexTerms` does now, every memory whose text holds Thai, Lao, Khmer
 * or Burmese (words set apart), Hangul (a syllable a token) or Arabic or Hebrew vowel
 * points (dropped). Other memories' terms are what SQL copied.
 */
function separateWordsOfMemories(sql: SqlStorage): void {
  let after = 0;
  for (;;) {
    const page = sql
      .exec<{ seq: number; body: string }>(
        "SELECT seq, body FROM memories WHERE seq > ? ORDER BY seq LIMIT ?",
        after,
        PAGE,
      )
      .toArray();
    for (const { seq, body } of page) {
      // A body the two forms agree on holds no such text: it needs no parsing either.
      if (indexTerms(body) === firstIndexTerms(body)) continue;
      const text = (JSON.parse(body) as Memory).text;
      sql.exec("UPDATE memory_terms SET terms = ? WHERE rowid = ?", indexTerms(text), seq);
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
    after = last.seq;
  }
}
