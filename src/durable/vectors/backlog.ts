import type { Embedder } from "../../memory/embedders/embedder";
import { advanceThrough, putVectors, stateFor, vectorState } from "./store";

/** The embedding step each object has in flight: a second caller shares it, never repeats it. */
const inFlight = new WeakMap<DurableObjectStorage, Promise<boolean>>();

function once(storage: DurableObjectStorage, step: () => Promise<boolean>): Promise<boolean> {
  let running = inFlight.get(storage);
  if (!running) {
    running = step().finally(() => inFlight.delete(storage));
    inFlight.set(storage, running);
  }
  return running;
}

/** Items embedded per alarm step (one or a few embedder requests). */
export const EMBED_BATCH = 64;

/** A document to embed: its vector's id in the object's table, and its text. */
export interface EmbeddingSource {
  id: number;
  /** The message the vector belongs to (messages only; default `id`). */
  seq?: number;
  /** What the message's row must still hold when the vector is written (its id). */
  key?: string;
  text: string;
}

/**
 * One step of a conversation's embedding backlog: the next messages after `through`, up
 * to `lastSeq`, are read (`read`: working rows or archived segments), embedded in one
 * batch and stored with the cursor moved past them in one transaction, so a message is
 * embedded once and none is skipped, whatever fails in between. A message with no text
 * is passed over. Answers whether more is waiting. Throws when the embedder fails: the
 * alarm retries with backoff, and search ranks by words meanwhile.
 *
 * Sources carry the message id as `key`: once the embedder answered, only messages whose
 * seq still holds that id are stored (a rewind may have replaced them while it worked).
 */
export function embedMessageStep(
  storage: DurableObjectStorage,
  embedder: Embedder,
  /** The name the vectors are stored under (`messageVectorModel`). */
  model: string,
  lastSeq: number,
  read: (seqs: number[]) => Promise<EmbeddingSource[]>,
): Promise<boolean> {
  return once(storage, () => messageStep(storage, embedder, model, lastSeq, read));
}

async function messageStep(
  storage: DurableObjectStorage,
  embedder: Embedder,
  model: string,
  lastSeq: number,
  read: (seqs: number[]) => Promise<EmbeddingSource[]>,
): Promise<boolean> {
  const sql = storage.sql;
  const state = stateFor(sql, model);
  if (state.through >= lastSeq) return false;
  const end = Math.min(lastSeq, state.through + EMBED_BATCH);
  const seqs = Array.from({ length: end - state.through }, (_, i) => state.through + 1 + i);
  const sources = (await read(seqs)).filter((s) => s.text.trim() !== "");
  const vectors =
    sources.length > 0
      ? await embedder.embed(
          sources.map((s) => s.text),
          "document",
        )
      : [];
  return storage.transactionSync(() => {
    const now = vectorState(sql);
    // A model change or a rewind while the embedder worked: start the step again.
    if (now?.model !== state.model || now.through !== state.through) return true;
    const held = new Map(
      sql
        .exec<{ id: string; seq: number }>(
          "SELECT id, seq FROM message_ids WHERE seq IN (SELECT value FROM json_each(?))",
          JSON.stringify(sources.map((s) => s.seq ?? s.id)),
        )
        .toArray()
        .map((r) => [r.seq, r.id]),
    );
    putVectors(
      sql,
      now,
      sources.flatMap((s, i) =>
        held.get(s.seq ?? s.id) === s.key ? [{ id: s.id, vector: vectors[i] as number[] }] : [],
      ),
    );
    advanceThrough(sql, end);
    return end < lastSeq;
  });
}

/**
 * One step of a memory index's backlog: memories with no vector (new, changed — a new
 * version is a new row — or all of them after a model change), oldest first. A row
 * removed while the embedder worked gets no vector.
 */
export function embedMemoryStep(
  storage: DurableObjectStorage,
  embedder: Embedder,
  pending: (limit: number) => EmbeddingSource[],
): Promise<boolean> {
  return once(storage, () => memoryStep(storage, embedder, pending));
}

async function memoryStep(
  storage: DurableObjectStorage,
  embedder: Embedder,
  pending: (limit: number) => EmbeddingSource[],
): Promise<boolean> {
  const sql = storage.sql;
  const state = stateFor(sql, embedder.model);
  const sources = pending(EMBED_BATCH);
  if (sources.length === 0) return false;
  const vectors = await embedder.embed(
    sources.map((s) => s.text),
    "document",
  );
  return storage.transactionSync(() => {
    const now = vectorState(sql);
    if (now?.model !== state.model) return true;
    const held = new Set(
      sql
        .exec<{ seq: number }>(
          "SELECT seq FROM memories WHERE seq IN (SELECT value FROM json_each(?))",
          JSON.stringify(sources.map((s) => s.id)),
        )
        .toArray()
        .map((r) => r.seq),
    );
    putVectors(
      sql,
      now,
      sources.flatMap((s, i) =>
        held.has(s.id) ? [{ id: s.id, vector: vectors[i] as number[] }] : [],
      ),
    );
    return sources.length === EMBED_BATCH;
  });
}
