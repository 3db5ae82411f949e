import type { StoredMessage } from "../../memory/conversation";
import { fail, type Result } from "../../memory/result";
import { type ArchiveSegment, type ArchiveStore, segmentKey } from "../../storage/archive";
import { rowsOf } from "../sqlite/rows";
import { MESSAGE_COLUMNS, type MessageRow, SENT_COLUMNS, toStoredMessage } from "./rows";

/** A burst of spills within this window becomes one segment (one KV write). */
export const OUTBOX_FLUSH_DELAY_MS = 2_000;
/** Flush at once when the outbox holds this much. */
const OUTBOX_FLUSH_NOW_BYTES = 512 * 1024;
/**
 * Segment bounds: far under KV's 25 MiB value limit, and small, because recall and
 * search read whole segments for a few scattered messages each.
 */
const SEGMENT_MAX_MESSAGES = 100;
const SEGMENT_MAX_BYTES = 512 * 1024;
/**
 * Spilled rows stay readable in SQLite this long after their segment is written, which
 * covers KV's propagation (up to 60 s), so a read never depends on a write not yet visible.
 */
export const SPILLED_GRACE_MS = 65_000;

/** A segment's KV entry that should exist is missing: retry later, never return a gap. */
export class ArchiveUnavailable extends Error {}

export interface OutboxBatch {
  rows: MessageRow[];
  firstSeq: number;
  lastSeq: number;
  bytes: number;
}

/** When the outbox should next be flushed, given its size and age. */
export function outboxFlushDue(sql: SqlStorage, since: number): number {
  const sum = SENT_COLUMNS.map((c) => `IFNULL(LENGTH(CAST(${c} AS BLOB)), 0)`).join(" + ");
  const { bytes } = sql
    .exec<{ bytes: number | null }>(
      `SELECT SUM(${sum}) AS bytes FROM messages WHERE tier = 'outbox' AND pinned = 0`,
    )
    .one();
  return (bytes ?? 0) >= OUTBOX_FLUSH_NOW_BYTES ? Date.now() : since + OUTBOX_FLUSH_DELAY_MS;
}

/** The oldest outbox messages that fit in one segment (in seq order). */
export function takeOutboxBatch(sql: SqlStorage): OutboxBatch | null {
  const rows: MessageRow[] = [];
  let bytes = 0;
  const cursor = sql.exec<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tier = 'outbox' AND pinned = 0 ORDER BY seq LIMIT ?`,
    SEGMENT_MAX_MESSAGES,
  );
  for (const row of cursor) {
    // At most 3 UTF-8 bytes a UTF-16 unit.
    const sent = SENT_COLUMNS.reduce((sum, column) => sum + (row[column]?.length ?? 0), 0);
    const size = sent * 3 + (row.metadata?.length ?? 0) + 200;
    if (rows.length > 0 && bytes + size > SEGMENT_MAX_BYTES) break;
    rows.push(row);
    bytes += size;
  }
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last) return null;
  return { rows, firstSeq: first.seq, lastSeq: last.seq, bytes };
}

export function toSegment(batch: OutboxBatch): ArchiveSegment {
  return {
    v: 1,
    firstSeq: batch.firstSeq,
    lastSeq: batch.lastSeq,
    messages: batch.rows.map((row) => ({ ...toStoredMessage(row), tier: "archived" })),
  };
}

/**
 * Before a segment's KV write: records its key (write-ahead), so an erase that comes while
 * the write is in flight, or after a crash between write and record, deletes it too; and
 * takes its number for good, so a retry writes another key, never this one again.
 */
export function reserveSegment(sql: SqlStorage, batch: OutboxBatch): { n: number; key: string } {
  const row = sql
    .exec<{ tenant: string; id: string; next_segment: number; incarnation: string | null }>(
      "SELECT tenant, id, next_segment, incarnation FROM conversation",
    )
    .one();
  const incarnation = row.incarnation ?? crypto.randomUUID().slice(0, 8);
  const n = row.next_segment;
  const key = segmentKey(row.tenant, row.id, incarnation, n);
  sql.exec("UPDATE conversation SET next_segment = ?, incarnation = ?", n + 1, incarnation);
  sql.exec(
    "INSERT INTO segment_writes (n, kv_key, first_seq, last_seq) VALUES (?, ?, ?, ?)",
    n,
    key,
    batch.firstSeq,
    batch.lastSeq,
  );
  return { n, key };
}

/** KV keys written, or maybe written, and never recorded (a failed write, or a crash). */
export function unrecordedWrites(sql: SqlStorage): { n: number; kv_key: string }[] {
  return sql.exec<{ n: number; kv_key: string }>("SELECT n, kv_key FROM segment_writes").toArray();
}

/** After the segment is durable in KV: record it, and mark its rows spilled (kept for the grace period). */
export function recordSegment(
  sql: SqlStorage,
  n: number,
  key: string,
  batch: OutboxBatch,
  now: number,
): void {
  const tokens = batch.rows.reduce((sum, row) => sum + row.tokens, 0);
  sql.exec("DELETE FROM segment_writes WHERE n = ?", n);
  sql.exec(
    `INSERT INTO segments (n, first_seq, last_seq, kv_key, message_count, tokens, bytes, written_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    n,
    batch.firstSeq,
    batch.lastSeq,
    key,
    batch.rows.length,
    tokens,
    batch.bytes,
    now,
  );
  sql.exec(
    "UPDATE messages SET tier = 'spilled', segment = ? WHERE tier = 'outbox' AND seq BETWEEN ? AND ?",
    n,
    batch.firstSeq,
    batch.lastSeq,
  );
  const more =
    sql.exec("SELECT 1 FROM messages WHERE tier = 'outbox' AND pinned = 0 LIMIT 1").toArray()
      .length > 0;
  sql.exec("UPDATE conversation SET outbox_since = ?", more ? now : null);
}

/** Segments whose spilled rows one alarm run drops (≤ 100 rows each): bounded work per run. */
const DROP_SEGMENTS_PER_RUN = 50;

/**
 * Deletes spilled rows whose segment has been in KV longer than the grace period, oldest
 * segment first and a bounded number of segments per run (a bulk import leaves thousands).
 * Returns when to run again, or null when no spilled row is left.
 */
export function dropSpilledRows(sql: SqlStorage, now: number): number | null {
  for (let i = 0; i < DROP_SEGMENTS_PER_RUN; i++) {
    const oldest = sql
      .exec<{ n: number; written_at: number }>(
        `SELECT s.n, s.written_at FROM segments s
          WHERE s.n = (SELECT segment FROM messages WHERE segment IS NOT NULL ORDER BY segment LIMIT 1)`,
      )
      .toArray()[0];
    if (!oldest) return null;
    if (oldest.written_at > now - SPILLED_GRACE_MS) return oldest.written_at + SPILLED_GRACE_MS;
    sql.exec("DELETE FROM messages WHERE segment IS NOT NULL AND segment = ?", oldest.n);
  }
  return now;
}

/**
 * The messages with the given seqs, in the given order: from SQLite where the row is
 * still there, otherwise from the KV segments that hold them (one bulk read).
 */
export async function readBySeqs(
  sql: SqlStorage,
  store: ArchiveStore,
  seqs: number[],
): Promise<StoredMessage[]> {
  if (seqs.length === 0) return [];
  const found = new Map<number, StoredMessage>();
  const wanted = new Set(seqs);
  for (const row of rowsBySeqs(sql, seqs)) {
    if (wanted.has(row.seq)) found.set(row.seq, toStoredMessage(row));
  }
  const missing = seqs.filter((seq) => !found.has(seq));
  if (missing.length > 0) {
    const segments = segmentsHolding(sql, missing);
    const bodies = await store.getMany(segments.map((s) => s.kv_key));
    for (const held of segments) {
      const segment = bodies.get(held.kv_key);
      // Missing, or another batch than the one recorded (a stale value): not readable yet.
      if (segment?.firstSeq !== held.first_seq || segment.lastSeq !== held.last_seq) {
        throw new ArchiveUnavailable(`segment ${held.kv_key} is not readable yet`);
      }
      for (const message of segment.messages) {
        if (wanted.has(message.seq)) found.set(message.seq, message);
      }
    }
  }
  return seqs.map((seq) => {
    const message = found.get(seq);
    if (!message) throw new ArchiveUnavailable(`message ${seq} is in no segment`);
    return message;
  });
}

/**
 * Bytes of KV segments one request reads at most: segments are parsed whole, up to
 * 512 KiB each, so 100 search hits in 100 segments would be 50 MB in a 128 MB isolate.
 */
export const READ_BUDGET_BYTES = 8 * 1024 * 1024;

/**
 * The longest prefix of `seqs` (in their order: best hits, or a page) whose archived
 * segments fit in the read budget — by the size recorded for each segment, an upper
 * bound — and at least the first seq.
 */
export function withinReadBudget(sql: SqlStorage, seqs: number[], budget = READ_BUDGET_BYTES) {
  const inObject = seqsInObject(sql, seqs);
  const counted = new Set<number>();
  let bytes = 0;
  for (const [i, seq] of seqs.entries()) {
    if (inObject.has(seq)) continue;
    const segment = sql
      .exec<{ n: number; bytes: number }>(
        "SELECT n, bytes FROM segments WHERE last_seq >= ? ORDER BY last_seq LIMIT 1",
        seq,
      )
      .toArray()[0];
    if (!segment || counted.has(segment.n)) continue;
    if (i > 0 && bytes + segment.bytes > budget) return seqs.slice(0, i);
    counted.add(segment.n);
    bytes += segment.bytes;
  }
  return seqs;
}

/** The seqs among `seqs` whose rows are still in the object (no KV read needed). */
export function seqsInObject(sql: SqlStorage, seqs: number[]): Set<number> {
  // The seqs alone: every context asks this of its hits, twice, and needs no content.
  const held = new Set<number>();
  for (const row of rowsBySeqs<{ seq: number }>(sql, seqs, "seq")) held.add(row.seq);
  return held;
}

/**
 * The rows still in SQLite for these seqs: one range scan when they are dense (a page),
 * indexed lookups in batches when they are scattered (search hits).
 */
function rowsBySeqs<Row extends Record<string, SqlStorageValue> = MessageRow>(
  sql: SqlStorage,
  seqs: number[],
  columns = MESSAGE_COLUMNS,
): Row[] {
  const low = Math.min(...seqs);
  const high = Math.max(...seqs);
  if (high - low < seqs.length * 2) {
    return rowsOf(
      sql.exec<Row>(`SELECT ${columns} FROM messages WHERE seq BETWEEN ? AND ?`, low, high),
    );
  }
  const rows: Row[] = [];
  for (let i = 0; i < seqs.length; i += 90) {
    const batch = seqs.slice(i, i + 90);
    const marks = batch.map(() => "?").join(",");
    const query = `SELECT ${columns} FROM messages WHERE seq IN (${marks})`;
    rows.push(...rowsOf(sql.exec<Row>(query, ...batch)));
  }
  return rows;
}

interface HeldSegment {
  kv_key: string;
  first_seq: number;
  last_seq: number;
}

/** The segments whose seq range holds any of `seqs`, as recorded. */
function segmentsHolding(sql: SqlStorage, seqs: number[]): HeldSegment[] {
  const held: HeldSegment[] = [];
  const sorted = [...seqs].sort((a, b) => a - b);
  let coveredUpTo = 0;
  for (const seq of sorted) {
    if (seq <= coveredUpTo) continue;
    const segment = sql
      .exec<Record<string, SqlStorageValue> & HeldSegment>(
        "SELECT kv_key, first_seq, last_seq FROM segments WHERE last_seq >= ? ORDER BY last_seq LIMIT 1",
        seq,
      )
      .toArray()[0];
    if (!segment) break;
    held.push(segment);
    coveredUpTo = segment.last_seq;
  }
  return held;
}

/** A segment that should be in KV is not readable (yet): a retryable 503, never a gap. */
export async function orUnavailable<T>(read: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ArchiveUnavailable)) throw error;
    return fail("unavailable", "Archived messages are not readable yet; retry shortly");
  }
}
