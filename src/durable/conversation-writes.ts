import type { WorkingEntry } from "../memory/budget";
import { planSpill } from "../memory/budget";
import type { AppendedMessage, AppendReceipt } from "../memory/conversation";
import { fail, ok, type Result } from "../memory/result";
import { indexTerms } from "../memory/search-query";
import type { AppendInput } from "./conversation-memory";
import { type ConversationRow, receiptCounters } from "./conversation-rows";

/** Idempotency records are kept at least this long (API.md promises 24 h). */
const IDEMPOTENCY_RETENTION_MS = 48 * 3600 * 1000;

export function readConversation(sql: SqlStorage): ConversationRow {
  const row = sql.exec<ConversationRow>("SELECT * FROM conversation").toArray()[0];
  if (!row) throw new Error("conversation row missing inside a write");
  return row;
}

/**
 * Appends a batch inside the caller's transaction: replays an Idempotency-Key,
 * keeps messages whose id exists as duplicates, gives the rest contiguous seqs,
 * and spills when working memory goes over budget.
 */
export function appendMessages(
  sql: SqlStorage,
  input: AppendInput,
  tokens: number[],
): Result<{ receipt: AppendReceipt; spilled: number }> {
  const row = readConversation(sql);
  const now = Date.now();
  if (input.idempotencyKey) {
    const previous = sql
      .exec<{ request_hash: string; response: string }>(
        "SELECT request_hash, response FROM idempotency WHERE key = ?",
        input.idempotencyKey,
      )
      .toArray()[0];
    if (previous && previous.request_hash !== (input.requestHash ?? "")) {
      return fail(
        "conflict",
        "This Idempotency-Key was used with a different request body",
        "Idempotency-Key",
      );
    }
    if (previous) {
      return ok({ receipt: JSON.parse(previous.response) as AppendReceipt, spilled: 0 });
    }
  }

  const nowIso = new Date(now).toISOString();
  const appended: AppendedMessage[] = [];
  let nextSeq = row.next_seq;
  let addedTokens = 0;
  let addedMessages = 0;
  let spilled = 0;
  input.messages.forEach((message, i) => {
    const existing = message.id
      ? sql
          .exec<{ seq: number; tokens: number; created_at: string }>(
            "SELECT seq, tokens, created_at FROM message_ids WHERE id = ?",
            message.id,
          )
          .toArray()[0]
      : undefined;
    if (message.id && existing) {
      appended.push({
        id: message.id,
        seq: existing.seq,
        tokens: existing.tokens,
        createdAt: existing.created_at,
        duplicate: true,
      });
      return;
    }
    const id = message.id ?? crypto.randomUUID();
    const createdAt = message.createdAt ?? nowIso;
    const count = tokens[i] ?? 0;
    sql.exec(
      "INSERT INTO messages (seq, id, role, content, name, metadata, pinned, tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      nextSeq,
      id,
      message.role,
      message.content,
      message.name ?? null,
      message.metadata ? JSON.stringify(message.metadata) : null,
      message.pinned ? 1 : 0,
      count,
      createdAt,
    );
    // Ids outlive the rows (which move to KV), so duplicates are caught forever.
    sql.exec(
      "INSERT INTO message_ids (id, seq, tokens, created_at) VALUES (?, ?, ?, ?)",
      id,
      nextSeq,
      count,
      createdAt,
    );
    sql.exec(
      "INSERT INTO message_fts (rowid, content) VALUES (?, ?)",
      nextSeq,
      indexTerms(message.content),
    );
    appended.push({ id, seq: nextSeq, tokens: count, createdAt, duplicate: false });
    nextSeq++;
    addedTokens += count;
    addedMessages++;
  });

  if (addedMessages > 0) {
    sql.exec(
      `UPDATE conversation SET next_seq = ?, working_tokens = working_tokens + ?,
         working_messages = working_messages + ?, last_message_at = ?, updated_at = ?,
         version = version + 1`,
      nextSeq,
      addedTokens,
      addedMessages,
      nowIso,
      nowIso,
    );
    spilled = spillOverBudget(sql);
  }
  const receipt: AppendReceipt = {
    messages: appended,
    conversation: receiptCounters(readConversation(sql)),
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
  if (Math.floor(row.next_seq / 100) !== Math.floor(nextSeq / 100)) sweepIdempotency(sql, now);
  return ok({ receipt, spilled });
}

/** Forgets Idempotency-Keys older than the retention (idempotent; also run when idle). */
export function sweepIdempotency(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM idempotency WHERE created_at < ?", now - IDEMPOTENCY_RETENTION_MS);
}

/**
 * Moves the oldest unpinned messages out of working memory, into the outbox, when it
 * is over budget. Returns how many moved; the caller schedules the outbox flush.
 */
export function spillOverBudget(sql: SqlStorage): number {
  const row = readConversation(sql);
  if (row.working_tokens <= row.working_budget) return 0;
  const candidates = sql.exec<WorkingEntry & Record<string, SqlStorageValue>>(
    "SELECT seq, tokens FROM messages WHERE tier = 'working' AND pinned = 0 ORDER BY seq",
  );
  const plan = planSpill(row.working_tokens, row.working_budget, candidates);
  const last = plan.seqs.at(-1);
  if (last === undefined) return 0;
  moveToOutbox(sql, last, plan.seqs.length, plan.tokens);
  return plan.seqs.length;
}

/** Every unpinned working message goes to the outbox (the idle flush). */
export function spillAllUnpinned(sql: SqlStorage): number {
  const all = sql
    .exec<{ n: number; tokens: number | null; last: number | null }>(
      "SELECT COUNT(*) AS n, SUM(tokens) AS tokens, MAX(seq) AS last FROM messages WHERE tier = 'working' AND pinned = 0",
    )
    .one();
  if (all.n === 0 || all.last === null) return 0;
  moveToOutbox(sql, all.last, all.n, all.tokens ?? 0);
  return all.n;
}

function moveToOutbox(sql: SqlStorage, lastSeq: number, count: number, tokens: number): void {
  sql.exec(
    "UPDATE messages SET tier = 'outbox' WHERE tier = 'working' AND pinned = 0 AND seq <= ?",
    lastSeq,
  );
  sql.exec(
    `UPDATE conversation SET working_tokens = working_tokens - ?,
       working_messages = working_messages - ?, archived_messages = archived_messages + ?,
       outbox_since = COALESCE(outbox_since, ?), archived_through = MAX(archived_through, ?)`,
    tokens,
    count,
    count,
    Date.now(),
    lastSeq,
  );
}
