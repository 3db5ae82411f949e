import type { StoredMessage } from "../../memory/conversation";
import { messageDocuments } from "../../memory/vectors/message-document";
import type { EmbeddingSource } from "./backlog";

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
