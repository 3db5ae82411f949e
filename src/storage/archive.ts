import type { StoredMessage } from "../memory/conversation";

/**
 * One archive segment: messages with contiguous seqs that left a conversation's
 * working memory together. Written once, never changed, deleted with the conversation.
 */
export interface ArchiveSegment {
  v: 1;
  firstSeq: number;
  lastSeq: number;
  messages: StoredMessage[];
}

/** Where archive segments live. KV in production; tests swap in failing stores. */
export interface ArchiveStore {
  put(key: string, segment: ArchiveSegment): Promise<void>;
  /** Every requested key's segment, or null where the store has none (yet). */
  getMany(keys: string[]): Promise<Map<string, ArchiveSegment | null>>;
  delete(keys: string[]): Promise<void>;
}

/** `t/{tenant}/c/{conversationId}/…`: no id contains "/", so prefixes never overlap. */
export const conversationPrefix = (tenant: string, conversationId: string) =>
  `t/${tenant}/c/${conversationId}/`;

/**
 * `t/{tenant}/c/{conversationId}/seg/{incarnation}/{n}`. Written once: `n` is never
 * reused within a conversation, and `incarnation` is drawn anew when a conversation is
 * created again under the same id, so no reader can get an earlier batch under a key
 * (KV keeps serving a deleted or overwritten value in other locations for up to 60 s).
 */
export const segmentKey = (
  tenant: string,
  conversationId: string,
  incarnation: string,
  n: number,
) =>
  `${conversationPrefix(tenant, conversationId)}seg/${incarnation}/${String(n).padStart(10, "0")}`;

/** KV allows bulk reads of at most 100 keys. */
const KV_BULK_GET = 100;
const KV_PARALLEL_DELETES = 50;

export function kvArchive(kv: KVNamespace): ArchiveStore {
  return {
    async put(key, segment) {
      await kv.put(key, JSON.stringify(segment), {
        metadata: { firstSeq: segment.firstSeq, lastSeq: segment.lastSeq },
      });
    },
    async getMany(keys) {
      const found = new Map<string, ArchiveSegment | null>();
      for (let i = 0; i < keys.length; i += KV_BULK_GET) {
        const batch = keys.slice(i, i + KV_BULK_GET);
        const values = await kv.get<ArchiveSegment>(batch, "json");
        for (const key of batch) found.set(key, values.get(key) ?? null);
      }
      return found;
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += KV_PARALLEL_DELETES) {
        await Promise.all(keys.slice(i, i + KV_PARALLEL_DELETES).map((key) => kv.delete(key)));
      }
    },
  };
}
