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
import { nearestVectors } from "./store";

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
