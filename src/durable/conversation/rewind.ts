import type { AppendReceipt, RewindReceipt } from "../../memory/conversation";
import { fail, ok, type Result } from "../../memory/result";
import { deleteVectorsAfter } from "../vectors/store";
import { type ConversationRow, receiptCounters } from "./rows";
import { unindexAfter } from "./search";

/**
 * Removes every message after `afterSeq` inside the caller's transaction (to regenerate
 * or edit the last turns), given the conversation row as stored. Only messages still in
 * working memory can go: nothing archived, summarized or in KV is ever rewritten, so the
 * summary and the segments stay true. Their ids, index entries and Idempotency-Keys go
 * with them, and the next append gets `afterSeq + 1`.
 */
export function rewindAfter(
  sql: SqlStorage,
  row: ConversationRow,
  afterSeq: number,
): Result<{ receipt: RewindReceipt; row: ConversationRow }> {
  const expected = row.next_seq - 1 - afterSeq;
  if (expected <= 0)
    return ok({ receipt: { removed: 0, conversation: receiptCounters(row) }, row });
  const removed = sql
    .exec<{ seq: number; content: string; tokens: number; tier: string }>(
      "SELECT seq, content, tokens, tier FROM messages WHERE seq > ? ORDER BY seq",
      afterSeq,
    )
    .toArray();
  const archived = removed.find((m) => m.tier !== "working");
  if (removed.length !== expected || archived) {
    const seq = archived?.seq ?? afterSeq + 1;
    return fail(
      "conflict",
      `Message ${seq} has left working memory; only messages still in working memory can be rewound`,
      "afterSeq",
    );
  }
  unindexAfter(sql, afterSeq, removed);
  sql.exec("DELETE FROM messages WHERE seq > ?", afterSeq);
  sql.exec("DELETE FROM message_ids WHERE seq > ?", afterSeq);
  deleteVectorsAfter(sql, afterSeq);
  forgetIdempotencyKeys(sql, afterSeq);
  const tokens = removed.reduce((sum, m) => sum + m.tokens, 0);
  const rewound: ConversationRow = {
    ...row,
    next_seq: afterSeq + 1,
    working_tokens: row.working_tokens - tokens,
    working_messages: row.working_messages - removed.length,
    updated_at: new Date().toISOString(),
    version: row.version + 1,
  };
  sql.exec(
    "UPDATE conversation SET next_seq = ?, working_tokens = ?, working_messages = ?, updated_at = ?, version = ?",
    rewound.next_seq,
    rewound.working_tokens,
    rewound.working_messages,
    rewound.updated_at,
    rewound.version,
  );
  return ok({
    receipt: { removed: removed.length, conversation: receiptCounters(rewound) },
    row: rewound,
  });
}

/**
 * A replayed Idempotency-Key must not answer with seqs that now belong to other
 * messages (or to none): the keys whose append wrote any removed message are forgotten.
 */
function forgetIdempotencyKeys(sql: SqlStorage, afterSeq: number): void {
  const records = sql.exec<{ key: string; response: string }>(
    "SELECT key, response FROM idempotency",
  );
  const stale: string[] = [];
  for (const record of records) {
    const receipt = JSON.parse(record.response) as AppendReceipt;
    if (receipt.messages.some((m) => !m.duplicate && m.seq > afterSeq)) stale.push(record.key);
  }
  for (const key of stale) sql.exec("DELETE FROM idempotency WHERE key = ?", key);
}
