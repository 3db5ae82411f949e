import { beyondWorking } from "../../memory/context/recall";
import type { StoredMessage } from "../../memory/conversation";
import {
  messageDocuments,
  messageHits,
  messageVectorModel,
  turnHits,
} from "../../memory/vectors/message-document";
import { CANDIDATES_PER_RESULT, MIN_CANDIDATES, type VectorHit } from "../../memory/vectors/search";
import type { EmbeddingSource } from "./backlog";
import type { QueryVector } from "./embedder";
import { nearestVectors, vectorsOf } from "./store";

/**
 * The `count` messages nearest to the query, best first (`id` = seq): by both vectors of a
 * message (`messageHits`, for recall) or by their turns alone (`turnHits`, for search).
 * Twice as many vectors are asked for, since two may be one message's, from the prefilter
 * candidates `count` would get: rescoring costs what it did with one vector a message.
 */
export function nearestMessages(
  sql: SqlStorage,
  query: QueryVector,
  count: number,
  by: "message" | "turn",
): VectorHit[] {
  const vectors = nearestVectors(
    sql,
    messageVectorModel(query.model),
    query.values,
    count * 2,
    Math.max(MIN_CANDIDATES, count * CANDIDATES_PER_RESULT),
  );
  return (by === "message" ? messageHits(vectors) : turnHits(vectors)).slice(0, count);
}

/**
 * Context recall's vector ranking (`messageHits`): the nearest messages down to the
 * `count`-th outside `working`, with the working turns among them (`beyondWorking`). The
 * prefilter leaves the working turns out, so they never take its candidates; being few
 * (working memory), their vectors are all scored exactly instead.
 */
export function nearestBeyondWorking(
  sql: SqlStorage,
  query: QueryVector,
  count: number,
  working: ReadonlySet<number>,
): VectorHit[] {
  const model = messageVectorModel(query.model);
  const isWorking = (id: number) => working.has(Math.abs(id));
  const older = nearestVectors(
    sql,
    model,
    query.values,
    count * 2,
    Math.max(MIN_CANDIDATES, count * CANDIDATES_PER_RESULT),
    isWorking,
  );
  const recent = vectorsOf(
    sql,
    model,
    query.values,
    [...working].flatMap((seq) => [seq, -seq]),
  );
  const ranked = [...older, ...recent].sort((a, b) => b.similarity - a.similarity || a.id - b.id);
  // Cut as vectors first (two a message), so the scales `messageHits` measures are those of
  // `nearestMessages`' list: the same list when no hit is outside working memory.
  const vectors = beyondWorking(ranked, count * 2, (hit) => isWorking(hit.id));
  return beyondWorking(messageHits(vectors), count, (hit) => isWorking(hit.id));
}

/**
 * What a conversation's embedding backlog embeds of the messages `seqs` (consecutive):
 * each message's documents (`messageDocuments`), read by `read` (SQLite or the archive).
 * A message's exchange starts with the message before it, so the batch's first needs the
 * last of the batch before.
 */
export async function messageEmbeddingSources(
  read: (seqs: number[]) => Promise<StoredMessage[]>,
  seqs: number[],
): Promise<EmbeddingSource[]> {
  const first = seqs[0] ?? 1;
  const messages = await read(first > 1 ? [first - 1, ...seqs] : seqs);
  const bySeq = new Map(messages.map((m) => [m.seq, m]));
  return messages
    .filter((m) => m.seq >= first)
    .flatMap((m) =>
      messageDocuments(m, bySeq.get(m.seq - 1)).map((d) => ({ ...d, seq: m.seq, key: m.id })),
    );
}
