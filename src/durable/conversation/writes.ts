import type { WorkingEntry } from "../../memory/budget";
import { planSpill } from "../../memory/budget";
import { messageText, sentContentJson } from "../../memory/chat/messages";
import type { AppendedMessage, AppendReceipt, MessageInput } from "../../memory/conversation";
import { fail, ok, type Result } from "../../memory/result";
import type { AppendInput } from "./api";
import { type ConversationRow, receiptCounters } from "./rows";
import { indexMessage } from "./search";

/** Idempotency records are kept at least this long (API.md promises 24 h). */
const IDEMPOTENCY_RETENTION_MS = 48 * 3600 * 1000;

export function readConversation(sql: SqlStorage): ConversationRow {
  const row = sql.exec<ConversationRow>("SELECT * FROM conversation").toArray()[0];
  if (!row) throw new Error("conversation row missing inside a write");
  return row;
}

/** A write's outcome: how many messages it spilled, and the conversation row as now stored. */
export interface Written {
  spilled: number;
  row: ConversationRow;
}

/** What is computed about each message of a batch before its transaction (both async). */
export interface PreparedBatch {
  tokens: number[];
  /** Digest of each message's `messageIdentity`: a re-sent id must match it. */
  identities: string[];
}

/**
 * Appends a batch inside the caller's transaction, given the conversation row as stored:
 * replays an Idempotency-Key, keeps messages whose id exists with the same role and
 * content as duplicates (another role or content fails the whole batch before anything
 * is written), gives the rest contiguous seqs, and spills when working memory goes over
 * budget. The row is read once by the caller; its counters are carried forward here.
 */
export function appendMessages(
  sql: SqlStorage,
  row: ConversationRow,
  input: AppendInput,
  prepared: PreparedBatch,
): Result<Written & { receipt: AppendReceipt }> {
  const replay = idempotentReplay(sql, input);
  if (replay) return replay.ok ? ok({ receipt: replay.value, spilled: 0, row }) : replay;
  const conflict = changedMessage(sql, input.messages, prepared.identities);
  if (conflict) return conflict;

  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  const batch = insertBatch(sql, input.messages, prepared, row.next_seq, nowIso);
  let written: Written = { spilled: 0, row };
  if (batch.added > 0) {
    const appended = withBatch(row, batch, nowIso);
    sql.exec(
      `UPDATE conversation SET next_seq = ?, working_tokens = ?, working_messages = ?,
         last_message_at = ?, updated_at = ?, version = ?`,
      appended.next_seq,
      appended.working_tokens,
      appended.working_messages,
      appended.last_message_at,
      appended.updated_at,
      appended.version,
    );
    written = spillOverBudget(sql, appended);
  }
  const receipt: AppendReceipt = {
    messages: batch.messages,
    conversation: receiptCounters(written.row),
  };
  if (input.idempotencyKey) {
    sql.exec(
      "INSERT INTO idempotency (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)",
      input.idempotencyKey,
      input.requestHash ?? "",
      JSON.stringify(receipt),
      now,
    );
  }
  // Sweeping old records once per hundred messages keeps the table small off the hot path.
  if (Math.floor(row.next_seq / 100) !== Math.floor(batch.nextSeq / 100)) {
    sweepIdempotency(sql, now);
  }
  return ok({ ...written, receipt });
}

/** The first response to a reused Idempotency-Key, a conflict if the body differs, or null. */
function idempotentReplay(sql: SqlStorage, input: AppendInput): Result<AppendReceipt> | null {
  if (!input.idempotencyKey) return null;
  const previous = sql
    .exec<{ request_hash: string; response: string }>(
      "SELECT request_hash, response FROM idempotency WHERE key = ?",
      input.idempotencyKey,
    )
    .toArray()[0];
  if (!previous) return null;
  if (previous.request_hash !== (input.requestHash ?? "")) {
    return fail(
      "conflict",
      "This Idempotency-Key was used with a different request body",
      "Idempotency-Key",
    );
  }
  return ok(JSON.parse(previous.response) as AppendReceipt);
}

interface InsertedBatch {
  messages: AppendedMessage[];
  /** The seq after the last one inserted. */
  nextSeq: number;
  /** Messages inserted (duplicates are not) and their tokens. */
  added: number;
  addedTokens: number;
}

/**
 * A conflict when a message re-uses an id that exists with another role or content.
 * Ids recorded before identities were (schema 6) cannot be compared: they stay duplicates.
 */
function changedMessage(
  sql: SqlStorage,
  messages: MessageInput[],
  identities: string[],
): Result<never> | null {
  for (const [i, message] of messages.entries()) {
    if (!message.id) continue;
    const known = sql
      .exec<{ identity: string | null }>(
        "SELECT identity FROM message_ids WHERE id = ?",
        message.id,
      )
      .toArray()[0];
    if (known && known.identity !== null && known.identity !== identities[i]) {
      return fail(
        "conflict",
        `Message id ${message.id} already exists with a different role or content; nothing was appended (rewind to replace it)`,
        `messages.${i}.id`,
      );
    }
  }
  return null;
}

function insertBatch(
  sql: SqlStorage,
  messages: MessageInput[],
  { tokens, identities }: PreparedBatch,
  firstSeq: number,
  nowIso: string,
): InsertedBatch {
  const batch: InsertedBatch = { messages: [], nextSeq: firstSeq, added: 0, addedTokens: 0 };
  messages.forEach((message, i) => {
    const existing = message.id ? knownMessage(sql, message.id) : undefined;
    if (message.id && existing) {
      batch.messages.push({ id: message.id, ...existing, duplicate: true });
      return;
    }
    const seq = batch.nextSeq;
    const id = message.id ?? crypto.randomUUID();
    const createdAt = message.createdAt ?? nowIso;
    const count = tokens[i] ?? 0;
    const text = messageText(message.content);
    sql.exec(
      `INSERT INTO messages (seq, id, role, content, name, metadata, pinned, tokens, created_at,
         content_json, tool_calls, tool_call_id, item_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      id,
      message.role,
      text,
      message.name ?? null,
      message.metadata ? JSON.stringify(message.metadata) : null,
      message.pinned ? 1 : 0,
      count,
      createdAt,
      sentContentJson(message.content),
      message.tool_calls ? JSON.stringify(message.tool_calls) : null,
      message.tool_call_id ?? null,
      message.item ? JSON.stringify(message.item) : null,
    );
    // Ids outlive the rows (which move to KV), so duplicates are caught forever.
    sql.exec(
      "INSERT INTO message_ids (id, seq, tokens, created_at, identity) VALUES (?, ?, ?, ?, ?)",
      id,
      seq,
      count,
      createdAt,
      identities[i] ?? null,
    );
    indexMessage(sql, seq, text);
    batch.messages.push({ id, seq, tokens: count, createdAt, duplicate: false });
    batch.nextSeq++;
    batch.added++;
    batch.addedTokens += count;
  });
  return batch;
}

/** The seq, tokens and creation time of a message id appended before, if any. */
function knownMessage(
  sql: SqlStorage,
  id: string,
): { seq: number; tokens: number; createdAt: string } | undefined {
  const row = sql
    .exec<{ seq: number; tokens: number; created_at: string }>(
      "SELECT seq, tokens, created_at FROM message_ids WHERE id = ?",
      id,
    )
    .toArray()[0];
  return row && { seq: row.seq, tokens: row.tokens, createdAt: row.created_at };
}

/** The conversation row once a batch is in working memory. */
function withBatch(row: ConversationRow, batch: InsertedBatch, nowIso: string): ConversationRow {
  return {
    ...row,
    next_seq: batch.nextSeq,
    working_tokens: row.working_tokens + batch.addedTokens,
    working_messages: row.working_messages + batch.added,
    last_message_at: nowIso,
    updated_at: nowIso,
    version: row.version + 1,
  };
}

/** Forgets Idempotency-Keys older than the retention (idempotent; also run when idle). */
export function sweepIdempotency(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM idempotency WHERE created_at < ?", now - IDEMPOTENCY_RETENTION_MS);
}

/**
 * Moves the oldest unpinned messages out of working memory, into the outbox, when the
 * given row (as stored) is over budget. Returns how many moved and the row after the
 * move; the caller schedules the outbox flush.
 */
export function spillOverBudget(sql: SqlStorage, row: ConversationRow): Written {
  if (row.working_tokens <= row.working_budget) return { spilled: 0, row };
  const candidates = sql.exec<WorkingEntry & Record<string, SqlStorageValue>>(
    "SELECT seq, tokens FROM messages WHERE tier = 'working' AND pinned = 0 ORDER BY seq",
  );
  const plan = planSpill(row.working_tokens, row.working_budget, candidates);
  const lastSeq = plan.seqs.at(-1);
  if (lastSeq === undefined) return { spilled: 0, row };
  const move = { lastSeq, count: plan.seqs.length, tokens: plan.tokens, at: Date.now() };
  moveToOutbox(sql, move);
  return { spilled: move.count, row: withMove(row, move) };
}

/** Every unpinned working message goes to the outbox (the idle flush). */
export function spillAllUnpinned(sql: SqlStorage): number {
  const all = sql
    .exec<{ n: number; tokens: number | null; last: number | null }>(
      "SELECT COUNT(*) AS n, SUM(tokens) AS tokens, MAX(seq) AS last FROM messages WHERE tier = 'working' AND pinned = 0",
    )
    .one();
  if (all.n === 0 || all.last === null) return 0;
  moveToOutbox(sql, { lastSeq: all.last, count: all.n, tokens: all.tokens ?? 0, at: Date.now() });
  return all.n;
}

/** Unpinned working messages up to `lastSeq` leaving for the outbox at `at`. */
interface OutboxMove {
  lastSeq: number;
  count: number;
  tokens: number;
  at: number;
}

function moveToOutbox(sql: SqlStorage, move: OutboxMove): void {
  sql.exec(
    "UPDATE messages SET tier = 'outbox' WHERE tier = 'working' AND pinned = 0 AND seq <= ?",
    move.lastSeq,
  );
  sql.exec(
    `UPDATE conversation SET working_tokens = working_tokens - ?,
       working_messages = working_messages - ?, archived_messages = archived_messages + ?,
       outbox_since = COALESCE(outbox_since, ?), archived_through = MAX(archived_through, ?)`,
    move.tokens,
    move.count,
    move.count,
    move.at,
    move.lastSeq,
  );
}

/** The conversation row after `moveToOutbox`, the same arithmetic as its UPDATE. */
function withMove(row: ConversationRow, move: OutboxMove): ConversationRow {
  return {
    ...row,
    working_tokens: row.working_tokens - move.tokens,
    working_messages: row.working_messages - move.count,
    archived_messages: row.archived_messages + move.count,
    outbox_since: row.outbox_since ?? move.at,
    archived_through: Math.max(row.archived_through, move.lastSeq),
  };
}
