// What a BM25 search over common words costs in SQLite's FTS5, apart from everything else:
// the memory index's schema (src/durable/memories/index-schema.ts) in node:sqlite, filled
// with the bench's memories (every word of the query in every memory), timed with and
// without bm25(). `node bench/fts-cost.mjs [memories]` (default 100,000).
import { DatabaseSync } from "node:sqlite";
import { sentence } from "./lib/text.mjs";

const N = Number(process.argv[2] ?? 100_000);
const db = new DatabaseSync(":memory:");
db.exec(`
  CREATE TABLE memories (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT,
    updated_at TEXT NOT NULL, expires_at INTEGER, body TEXT NOT NULL);
  CREATE VIRTUAL TABLE memory_terms USING fts5(terms, tokenize = 'porter unicode61 remove_diacritics 2');
`);
const row = db.prepare(
  "INSERT INTO memories (id, user_id, updated_at, body) VALUES (?, 'u', ?, ?)",
);
const terms = db.prepare("INSERT INTO memory_terms (rowid, terms) VALUES (?, ?)");
db.exec("BEGIN");
for (let i = 0; i < N; i++) {
  const text = sentence(i);
  const { lastInsertRowid } = row.run(`m${i}`, new Date(i * 1000).toISOString(), text);
  terms.run(lastInsertRowid, text);
}
db.exec("COMMIT");

const latest = (rank) =>
  db.prepare(
    `SELECT rowid AS seq${rank ? ", bm25(memory_terms) AS rank" : ""} FROM memory_terms
     WHERE memory_terms MATCH ? ORDER BY rowid DESC LIMIT ?`,
  );
const time = (label, run) => {
  for (let i = 0; i < 20; i++) run();
  const started = performance.now();
  for (let i = 0; i < 200; i++) run();
  console.log(`${label}: ${((performance.now() - started) / 200).toFixed(2)} ms`);
};
console.log(`${N.toLocaleString("en")} memories, every one holding the word "window"`);
time("the latest 2,000 holding it", () => latest(false).all('"window"', 2000));
time("the same with bm25()", () => latest(true).all('"window"', 2000));
time("the latest 500 with bm25()", () => latest(true).all('"window"', 500));
