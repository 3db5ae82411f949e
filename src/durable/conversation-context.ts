import type { Env } from "../env";
import type { Role, StoredMessage } from "../memory/conversation";
import {
  type PackedContext,
  type PinnedMessage,
  packContext,
  type RecentTurn,
} from "../memory/packing";
import {
  defaultRecallQuery,
  fuseRankings,
  type RecallCandidate,
  recallStrength,
} from "../memory/recall";
import type { Result } from "../memory/result";
import type { CountTokens } from "../memory/tokens";
import type { ArchiveStore } from "../storage/archive";
import { readBySeqs, seqsInObject } from "./conversation-archive";
import type { ConversationRow } from "./conversation-rows";
import { matchingSeqs } from "./conversation-search";
import { memoryIndexStub } from "./stubs";

export interface ContextRequest {
  maxTokens?: number;
  query?: string;
  recall?: number;
  recallTokens?: number;
}

export const DEFAULT_RECALL = 8;
/** How far recent turns may reach back past working memory, in messages (one bulk read). */
const ARCHIVED_RECENT_REACH = 200;

/** Searches another index (the user's memories) for recall; failures mean "no memories". */
export type MemorySearch = (query: string, limit: number) => Promise<RecallCandidate[]>;

interface Row extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  content: string;
  name: string | null;
  tokens: number;
  pinned: number;
  created_at: string;
}

/**
 * Assembles the context with one pass over working memory, at most one call to the user's
 * memory index and at most one bulk read of archive segments. Cost follows the budget
 * and the working set, not the length of the history.
 */
export async function assembleContext(
  sql: SqlStorage,
  archive: ArchiveStore,
  row: ConversationRow,
  request: ContextRequest,
  count: CountTokens,
  searchMemories: MemorySearch | null,
): Promise<Result<PackedContext>> {
  const maxTokens = request.maxTokens ?? row.working_budget;
  const recall = request.recall ?? DEFAULT_RECALL;
  const working = sql
    .exec<Row>(
      "SELECT seq, id, role, content, name, tokens, pinned, created_at FROM messages WHERE tier = 'working' ORDER BY seq DESC",
    )
    .toArray();
  const pinned: PinnedMessage[] = working
    .filter((m) => m.pinned === 1)
    .reverse()
    .map(toTurn);
  const recent: RecentTurn[] = working.filter((m) => m.pinned === 0).map(toTurn);
  const pinnedSeqs = new Set(pinned.map((m) => m.seq));

  // Recent turns may reach past working memory when the budget is larger than it.
  const recentTokens = recent.reduce((sum, m) => sum + m.tokens + 4, 0);
  const reachFrom = (recent.at(-1)?.seq ?? row.next_seq) - 1;
  const reach =
    recentTokens < maxTokens && reachFrom > 0
      ? range(reachFrom, Math.max(1, reachFrom - ARCHIVED_RECENT_REACH + 1)).filter(
          (seq) => !pinnedSeqs.has(seq),
        )
      : [];

  const query = request.query ?? defaultRecallQuery(recent) ?? null;
  const ranked =
    recall > 0 && query
      ? matchingSeqs(sql, query, recall * 2 + 8).filter((h) => !pinnedSeqs.has(h.seq))
      : [];
  // Bodies still in the object cost nothing; from KV only the best `recall` hits are read,
  // since whole segments come back for each (the cost must follow `recall`, not history).
  const reachSet = new Set(reach);
  const inObject = seqsInObject(
    sql,
    ranked.map((h) => h.seq),
  );
  const fromArchive = new Set(
    ranked
      .filter((h) => !inObject.has(h.seq) && !reachSet.has(h.seq))
      .slice(0, recall)
      .map((h) => h.seq),
  );
  const hits = ranked.filter(
    (h) => inObject.has(h.seq) || reachSet.has(h.seq) || fromArchive.has(h.seq),
  );
  const workingSeqs = new Set(working.map((m) => m.seq));
  const toRead = [...new Set([...reach, ...hits.map((h) => h.seq)])].filter(
    (s) => !workingSeqs.has(s),
  );
  const [bodies, memories] = await Promise.all([
    readBySeqs(
      sql,
      archive,
      toRead.sort((a, b) => b - a),
    ),
    recall > 0 && searchMemories && query ? searchMemories(query, recall * 2) : [],
  ]);
  const bySeq = new Map<number, { id: string; role: Role; content: string; createdAt: string }>(
    bodies.map((m) => [m.seq, m]),
  );
  for (const m of working) {
    bySeq.set(m.seq, {
      id: m.id,
      role: m.role as Role,
      content: m.content,
      createdAt: m.created_at,
    });
  }

  const archivedRecent = bodies.filter((m) => reachSet.has(m.seq)).map(fromStored);
  const archivedHits: RecallCandidate[] = hits.flatMap((hit) => {
    const message = bySeq.get(hit.seq);
    if (!message) return [];
    const { id, role, content: text, createdAt } = message;
    return [
      { kind: "message" as const, id, seq: hit.seq, text, score: hit.score, role, createdAt },
    ];
  });
  const candidates = fuseRankings(archivedHits, memories, { limit: recall * 3 });
  return packContext({
    pinned,
    summary: row.summary,
    recalled: candidates,
    recentNewestFirst: [...recent, ...archivedRecent],
    maxTokens,
    recallTokens: request.recallTokens,
    recallLimit: recall,
    recallStrength: recallStrength(query, candidates),
    count,
  });
}

const toTurn = (m: Row): RecentTurn => ({
  seq: m.seq,
  role: m.role as Role,
  content: m.content,
  name: m.name,
  tokens: m.tokens,
});

const fromStored = (m: StoredMessage): RecentTurn => ({
  seq: m.seq,
  role: m.role,
  content: m.content,
  name: m.name,
  tokens: m.tokens,
});

function range(from: number, downTo: number): number[] {
  const seqs: number[] = [];
  for (let seq = from; seq >= downTo; seq--) seqs.push(seq);
  return seqs;
}

/** Recall from the user's memory index; a failure there degrades recall, never the call. */
export function userMemorySearch(env: Env, tenant: string, userId: string): MemorySearch {
  return async (query, limit) => {
    try {
      const index = memoryIndexStub(env, tenant, { kind: "user", id: userId });
      const hits = await index.search({ query, limit: Math.min(100, limit) });
      return hits.map((h) => ({ kind: "memory" as const, ...h }));
    } catch (error) {
      console.error(JSON.stringify({ event: "memory_recall_failed", error: String(error) }));
      return [];
    }
  };
}
