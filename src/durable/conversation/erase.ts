import type { DeletionReceipt } from "../../memory/conversation";
import type { ArchiveStore } from "../../storage/archive";
import type { ConversationRow } from "./rows";

/**
 * KV keys one erase call (an RPC call or an alarm: one invocation each) deletes at most.
 * KV allows 1,000 operations per invocation; the rest of the budget is headroom.
 */
export const ERASE_KEYS_PER_CALL = 500;
/** If the caller that started an erase goes away, the alarm carries on after this. */
export const ERASE_RESUME_MS = 5_000;

/**
 * An erase in progress: its row in `erasure` marks the conversation gone for readers and
 * holds the receipt's counts, taken when the erase began and added to as it goes, so a
 * receipt is exact however many calls (or alarms) finish the job.
 */
interface ErasureRow extends Record<string, SqlStorageValue> {
  tenant: string;
  id: string;
  messages: number;
  segments: number;
  memories: number;
  memories_done: number;
}

export function erasureOf(sql: SqlStorage): ErasureRow | undefined {
  return sql.exec<ErasureRow>("SELECT * FROM erasure").toArray()[0];
}

/** Records that the erase began (once) and drops every other kind of due work. */
export function beginErasure(sql: SqlStorage, row: ConversationRow): ErasureRow {
  const { n } = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM segments").one();
  sql.exec(
    `INSERT INTO erasure (singleton, tenant, id, messages, segments) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT (singleton) DO NOTHING`,
    row.tenant,
    row.id,
    row.next_seq - 1,
    n,
  );
  sql.exec("DELETE FROM due_work");
  return erasureOf(sql) as ErasureRow;
}

/**
 * Deletes the oldest recorded segments' KV keys, at most `ERASE_KEYS_PER_CALL`, then
 * forgets them: progress is saved as it is made. True while recorded segments remain.
 */
export async function deleteSegmentBatch(sql: SqlStorage, archive: ArchiveStore): Promise<boolean> {
  // Keys whose write was in flight, or cut short by a crash, before it was recorded.
  const unrecorded = sql
    .exec<{ n: number; kv_key: string }>(
      "SELECT n, kv_key FROM segment_writes ORDER BY n LIMIT ?",
      ERASE_KEYS_PER_CALL,
    )
    .toArray();
  const lastUnrecorded = unrecorded.at(-1);
  if (lastUnrecorded) {
    await archive.delete(unrecorded.map((w) => w.kv_key));
    sql.exec("DELETE FROM segment_writes WHERE n <= ?", lastUnrecorded.n);
    return true;
  }
  const batch = sql
    .exec<{ n: number; kv_key: string }>(
      "SELECT n, kv_key FROM segments ORDER BY n LIMIT ?",
      ERASE_KEYS_PER_CALL,
    )
    .toArray();
  const last = batch.at(-1);
  if (!last) return false;
  await archive.delete(batch.map((s) => s.kv_key));
  sql.exec("DELETE FROM segments WHERE n <= ?", last.n);
  return sql.exec("SELECT 1 FROM segments LIMIT 1").toArray().length > 0;
}

/** Adds a batch of erased scope memories to the receipt; `done` when none is left. */
export function recordMemoriesErased(sql: SqlStorage, erased: number, done: boolean): void {
  sql.exec("UPDATE erasure SET memories = memories + ?, memories_done = ?", erased, done ? 1 : 0);
}

export function receiptOf(erasure: ErasureRow): DeletionReceipt {
  return { messages: erasure.messages, segments: erasure.segments, memories: erasure.memories };
}
