import type { Migration, SchemaSnapshot } from "../sqlite/migrations";
import { WORD_TOKENIZER } from "../sqlite/word-tokenizer";
import { VECTOR_TABLES_SQL } from "../vectors/store";

/** The ConversationMemory object's SQLite schema, as an ordered list of migrations. */
export const CONVERSATION_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "conversation row, messages, idempotency records",
    sql: `
      CREATE TABLE conversation (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        user_id TEXT,
        agent_id TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        tokenizer TEXT NOT NULL,
        working_budget INTEGER NOT NULL,
        ttl_seconds INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_message_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        next_seq INTEGER NOT NULL DEFAULT 1,
        working_tokens INTEGER NOT NULL DEFAULT 0,
        working_messages INTEGER NOT NULL DEFAULT 0,
        archived_messages INTEGER NOT NULL DEFAULT 0,
        summary TEXT,
        summary_tokens INTEGER NOT NULL DEFAULT 0,
        listed_user_id TEXT,
        listed INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        name TEXT,
        metadata TEXT,
        pinned INTEGER NOT NULL DEFAULT 0,
        tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        tier TEXT NOT NULL DEFAULT 'working'
      );
      CREATE INDEX messages_working_unpinned ON messages (tier, pinned, seq);
      CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX idempotency_created ON idempotency (created_at);
    `,
  },
  {
    id: 2,
    description: "long-term tier: segments in KV, outbox, message ids, full-text index, due work",
    sql: `
      ALTER TABLE conversation ADD COLUMN next_segment INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE conversation ADD COLUMN outbox_since INTEGER;
      ALTER TABLE messages ADD COLUMN segment INTEGER;
      CREATE TABLE message_ids (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO message_ids (id, seq, tokens, created_at) SELECT id, seq, tokens, created_at FROM messages;
      CREATE TABLE segments (
        n INTEGER PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        kv_key TEXT NOT NULL,
        message_count INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        written_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX segments_by_last_seq ON segments (last_seq);
      CREATE VIRTUAL TABLE message_fts USING fts5(
        content, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
      );
      INSERT INTO message_fts (rowid, content) SELECT seq, content FROM messages;
      CREATE TABLE due_work (
        kind TEXT PRIMARY KEY,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
      );
      UPDATE messages SET tier = 'outbox' WHERE tier = 'archived';
    `,
  },
  {
    id: 3,
    description: "running summary: strategy, size, and how far it has read",
    sql: `
      ALTER TABLE conversation ADD COLUMN summary_strategy TEXT NOT NULL DEFAULT 'auto';
      ALTER TABLE conversation ADD COLUMN summary_max_tokens INTEGER NOT NULL DEFAULT 400;
      ALTER TABLE conversation ADD COLUMN summary_updated_at TEXT;
      ALTER TABLE conversation ADD COLUMN summarized_through INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversation ADD COLUMN archived_through INTEGER NOT NULL DEFAULT 0;
      UPDATE conversation SET archived_through = COALESCE(
        (SELECT MAX(seq) FROM messages WHERE tier <> 'working'),
        (SELECT MAX(last_seq) FROM segments),
        0
      );
    `,
  },
  {
    id: 4,
    description: "document counts of indexed terms, to leave out words too common to rank by",
    sql: "CREATE VIRTUAL TABLE message_vocab USING fts5vocab(message_fts, row);",
  },
  {
    id: 5,
    description: "find spilled rows by segment without scanning",
    sql: "CREATE INDEX messages_by_segment ON messages (segment) WHERE segment IS NOT NULL;",
  },
  {
    id: 6,
    description:
      "OpenAI message fields as sent (content parts or null, tool calls, tool call id); what identifies a message id's content",
    sql: `
      ALTER TABLE messages ADD COLUMN content_json TEXT;
      ALTER TABLE messages ADD COLUMN tool_calls TEXT;
      ALTER TABLE messages ADD COLUMN tool_call_id TEXT;
      ALTER TABLE message_ids ADD COLUMN identity TEXT;
    `,
  },
  {
    id: 7,
    description: "an erase in progress: its receipt, and how far it got (resumable erase)",
    sql: `
      CREATE TABLE erasure (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        tenant TEXT NOT NULL,
        id TEXT NOT NULL,
        messages INTEGER NOT NULL,
        segments INTEGER NOT NULL,
        memories INTEGER NOT NULL DEFAULT 0,
        memories_done INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    id: 8,
    description: "write-ahead record of segment writes; a fresh key space per incarnation",
    sql: `
      CREATE TABLE segment_writes (
        n INTEGER PRIMARY KEY,
        kv_key TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL
      );
      ALTER TABLE conversation ADD COLUMN incarnation TEXT;
    `,
  },
  {
    id: 9,
    description: "vectors of messages (int8 and binary code) and the model that made them",
    sql: VECTOR_TABLES_SQL,
  },
  {
    id: 10,
    description:
      "a word index that keeps words whole in every script, the seq it starts at, and the work of moving older messages into it",
    sql: `
      CREATE VIRTUAL TABLE message_words USING fts5(
        content, content = '', contentless_delete = 1, tokenize = '${WORD_TOKENIZER}'
      );
      CREATE VIRTUAL TABLE message_words_vocab USING fts5vocab(message_words, row);
      ALTER TABLE conversation ADD COLUMN words_from_seq INTEGER NOT NULL DEFAULT 1;
      UPDATE conversation SET words_from_seq = next_seq;
      INSERT INTO due_work (kind, due_at) SELECT 'index_words', 1 FROM conversation
        WHERE next_seq > 1;
    `,
  },
  {
    id: 11,
    description: "a Responses API item as sent (the message was appended as one)",
    sql: "ALTER TABLE messages ADD COLUMN item_json TEXT;",
  },
];

/** What migrations 1–11 leave, for a new conversation (`SchemaSnapshot`). */
export const CONVERSATION_SNAPSHOT: SchemaSnapshot = {
  through: 11,
  sql: `
    CREATE TABLE conversation (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      tenant TEXT NOT NULL,
      id TEXT NOT NULL,
      user_id TEXT,
      agent_id TEXT,
      metadata TEXT NOT NULL DEFAULT '{}',
      tokenizer TEXT NOT NULL,
      working_budget INTEGER NOT NULL,
      ttl_seconds INTEGER,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      last_message_at TEXT,
      version INTEGER NOT NULL DEFAULT 1,
      next_seq INTEGER NOT NULL DEFAULT 1,
      working_tokens INTEGER NOT NULL DEFAULT 0,
      working_messages INTEGER NOT NULL DEFAULT 0,
      archived_messages INTEGER NOT NULL DEFAULT 0,
      summary TEXT,
      summary_tokens INTEGER NOT NULL DEFAULT 0,
      listed_user_id TEXT,
      listed INTEGER NOT NULL DEFAULT 0,
      next_segment INTEGER NOT NULL DEFAULT 1,
      outbox_since INTEGER,
      summary_strategy TEXT NOT NULL DEFAULT 'auto',
      summary_max_tokens INTEGER NOT NULL DEFAULT 400,
      summary_updated_at TEXT,
      summarized_through INTEGER NOT NULL DEFAULT 0,
      archived_through INTEGER NOT NULL DEFAULT 0,
      incarnation TEXT,
      words_from_seq INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE messages (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL,
      content TEXT NOT NULL,
      name TEXT,
      metadata TEXT,
      pinned INTEGER NOT NULL DEFAULT 0,
      tokens INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      tier TEXT NOT NULL DEFAULT 'working',
      segment INTEGER,
      content_json TEXT,
      tool_calls TEXT,
      tool_call_id TEXT,
      item_json TEXT
    );
    CREATE INDEX messages_working_unpinned ON messages (tier, pinned, seq);
    CREATE TABLE idempotency (
      key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      response TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX idempotency_created ON idempotency (created_at);
    CREATE TABLE message_ids (
      id TEXT PRIMARY KEY,
      seq INTEGER NOT NULL,
      tokens INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      identity TEXT
    ) WITHOUT ROWID;
    CREATE TABLE segments (
      n INTEGER PRIMARY KEY,
      first_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      kv_key TEXT NOT NULL,
      message_count INTEGER NOT NULL,
      tokens INTEGER NOT NULL,
      bytes INTEGER NOT NULL,
      written_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX segments_by_last_seq ON segments (last_seq);
    CREATE VIRTUAL TABLE message_fts USING fts5(
      content, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TABLE due_work (
      kind TEXT PRIMARY KEY,
      due_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE VIRTUAL TABLE message_vocab USING fts5vocab(message_fts, row);
    CREATE INDEX messages_by_segment ON messages (segment) WHERE segment IS NOT NULL;
    CREATE TABLE erasure (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      tenant TEXT NOT NULL,
      id TEXT NOT NULL,
      messages INTEGER NOT NULL,
      segments INTEGER NOT NULL,
      memories INTEGER NOT NULL DEFAULT 0,
      memories_done INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE segment_writes (
      n INTEGER PRIMARY KEY,
      kv_key TEXT NOT NULL,
      first_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL
    );
    ${VECTOR_TABLES_SQL}
    CREATE VIRTUAL TABLE message_words USING fts5(
      content, content = '', contentless_delete = 1, tokenize = '${WORD_TOKENIZER}'
    );
    CREATE VIRTUAL TABLE message_words_vocab USING fts5vocab(message_words, row);
  `,
};
