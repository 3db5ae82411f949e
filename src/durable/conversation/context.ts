import type { Env } from "../../env";
import { packContext } from "../../memory/context/packing";
import { PASSAGE_WINDOW, type RecallTurn } from "../../memory/context/passages";
import {
  type ContextReads,
  planContextReads,
  type RankedSeq,
} from "../../memory/context/read-plan";
import {
  beyondWorking,
  defaultRecallQuery,
  fuseRankings,
  type RecallCandidate,
  recallStrength,
} from "../../memory/context/recall";
import type { MatchedItem, PackedContext, RecentTurn } from "../../memory/context/types";
import type { Role, StoredMessage } from "../../memory/conversation";
import { EVERY_WORD_ALIKE } from "../../memory/coverage";
import type { Embedder } from "../../memory/embedders/embedder";
import { fuseRecall } from "../../memory/fusion";
import { ok, type Result } from "../../memory/result";
import type { CountTokens } from "../../memory/tokens";
import type { ArchiveStore } from "../../storage/archive";
import { memoryIndexStub } from "../memories/api";
import { rowsOf } from "../sqlite/rows";
import { embedQuery, type QueryVector } from "../vectors/embedder";
import { nearestBeyondWorking } from "../vectors/messages";
import type { ContextRequest } from "./api";
import { readBySeqs, seqsInObject, withinReadBudget } from "./archive";
import { sentFields } from "./rows";
import { matchingSeqs, messageTermWeight } from "./search";

export const DEFAULT_RECALL = 8;

/**
 * What of the plan's reads fits in the read budget of a request (`withinReadBudget`, as
 * search and message pages): the recent turns' reach first, newest first, then each hit
 * in rank order with the turns around it. Left out: the oldest reach, the weakest hits.
 */
function affordableReads(sql: SqlStorage, plan: ContextReads): number[] {
  const wanted = new Set(plan.toRead);
  const byPriority = [...plan.reach];
  for (const hit of plan.hits) {
    byPriority.push(...plan.toRead.filter((seq) => Math.abs(seq - hit.seq) <= PASSAGE_WINDOW));
  }
  const affordable = new Set(
    withinReadBudget(
      sql,
      [...new Set(byPriority)].filter((seq) => wanted.has(seq)),
    ),
  );
  return plan.toRead.filter((seq) => affordable.has(seq));
}

/**
 * Searches another index (the user's memories) for recall, by words and, given the query's
 * vector, by meaning; failures mean "no memories".
 */
export type MemorySearch = (
  query: string,
  limit: number,
  vector: QueryVector | null,
  lexical: boolean,
) => Promise<{ lexical: RecallCandidate[]; semantic: RecallCandidate[] }>;

/** A working-memory message as context needs it (no metadata: never sent to the model). */
interface WorkingMessage extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  content: string;
  name: string | null;
  tokens: number;
  pinned: number;
  created_at: string;
  content_json: string | null;
  tool_calls: string | null;
  tool_call_id: string | null;
  item_json: string | null;
}

/** Working memory, newest first, in one read. */
function readWorkingSet(sql: SqlStorage): WorkingMessage[] {
  return rowsOf(
    sql.exec<WorkingMessage>(
      `SELECT seq, id, role, content, name, tokens, pinned, created_at, content_json, tool_calls, tool_call_id,
         item_json FROM messages WHERE tier = 'working' ORDER BY seq DESC`,
    ),
  );
}

export interface ContextSources {
  sql: SqlStorage;
  archive: ArchiveStore;
  count: CountTokens;
  /** The user's memory index, when the conversation has an owner. */
  searchMemories: MemorySearch | null;
  embedder: Embedder | null;
}

/**
 * Assembles the context with one pass over working memory, at most one call to the user's
 * memory index and at most one bulk read of archive segments (`planContextReads`). Cost
 * follows the budget and the working set, not the length of the history.
 */
export async function assembleContext(
  { sql, archive, count, searchMemories, embedder }: ContextSources,
  conversation: { summary: string | null; summarizedThrough: number; nextSeq: number },
  request: ContextRequest & { maxTokens: number },
): Promise<Result<PackedContext & { recalled: MatchedItem[] }>> {
  const recall = request.recall ?? DEFAULT_RECALL;
  const working = readWorkingSet(sql);
  const pinned = working
    .filter((m) => m.pinned === 1)
    .reverse()
    .map(toTurn);
  const unpinned = working.filter((m) => m.pinned === 0).map((row) => ({ row, turn: toTurn(row) }));
  const recent = unpinned.map((u) => u.turn);

  const query = request.query ?? defaultRecallQuery(recent) ?? null;
  const mode = request.mode ?? (embedder ? "hybrid" : "lexical");
  const vector =
    recall > 0 && query && mode !== "lexical" ? await embedQuery(embedder, query) : null;
  const byWords = mode !== "semantic" || !vector;
  // Each ranking keeps `hits` matches outside working memory, whatever the working turns
  // (mostly sent as recent turns, never recalled) that match better (`beyondWorking`).
  const hits = recall * 2 + 8;
  const workingSeqs = new Set(working.map((m) => m.seq));
  const lexical =
    recall > 0 && query && byWords
      ? beyondWorking(matchingSeqs(sql, query, hits + working.length), hits, (h) =>
          workingSeqs.has(h.seq),
        )
      : [];
  const semantic = vector
    ? nearestBeyondWorking(sql, vector, hits, workingSeqs).map((h) => ({
        seq: h.id,
        score: h.similarity,
      }))
    : [];
  const ranked = interleave(lexical, semantic);
  const plan = planContextReads({
    working: working.map((m) => ({ seq: m.seq, pinned: m.pinned === 1, tokens: m.tokens })),
    nextSeq: conversation.nextSeq,
    maxTokens: request.maxTokens,
    ranked,
    inObject: seqsInObject(
      sql,
      ranked.map((h) => h.seq),
    ),
    // Both rankings' best `recall` archived hits are read, not half of each.
    recall: semantic.length > 0 ? recall * 2 : recall,
  });
  const [bodies, memories] = await Promise.all([
    readBySeqs(sql, archive, affordableReads(sql, plan)),
    recall > 0 && searchMemories && query
      ? searchMemories(query, recall * 2, vector, byWords)
      : { lexical: [], semantic: [] },
  ]);

  // Every body at hand, for the hits and the turns around them.
  const turns = new Map<number, RecallTurn>(bodies.map((m) => [m.seq, m]));
  // The recent turns' fields as sent, parsed once (a tool's output is labelled by them).
  for (const { row, turn } of unpinned) {
    turns.set(row.seq, { ...turn, id: row.id, createdAt: row.created_at });
  }
  const reach = new Set(plan.reach);
  const archivedRecent = bodies.filter((m) => reach.has(m.seq)).map(toTurn);
  const planned = new Set(plan.hits.map((h) => h.seq));
  const archivedHits = (hits: RankedSeq[]): RecallCandidate[] =>
    hits.flatMap((hit) => {
      const turn = planned.has(hit.seq) ? turns.get(hit.seq) : undefined;
      if (!turn) return [];
      const { id, role, name, content: text, createdAt } = turn;
      return [
        {
          kind: "message" as const,
          id,
          seq: hit.seq,
          text,
          score: hit.score,
          role,
          name,
          createdAt,
        },
      ];
    });
  const byMeaning = [...archivedHits(semantic), ...memories.semantic];
  const weight = recall > 0 && query ? messageTermWeight(sql) : EVERY_WORD_ALIKE;
  // Hits among the working turns are mostly sent as recent turns, never recalled: as in each
  // ranking, they take none of the `recall` × 3 candidate places (`beyondWorking`).
  const isWorking = (c: RecallCandidate) =>
    c.kind === "message" && c.seq !== undefined && workingSeqs.has(c.seq);
  const fused = fuseRecall(
    query ?? "",
    fuseRankings(archivedHits(lexical), memories.lexical, { working: isWorking }),
    byMeaning,
    Number.POSITIVE_INFINITY,
    weight,
    isWorking,
  );
  const candidates = beyondWorking(fused, recall * 3, isWorking);
  const packed = packContext({
    pinned,
    summary: conversation.summary,
    summaryThrough: conversation.summarizedThrough,
    recalled: candidates,
    recallTurns: turns,
    recentNewestFirst: [...recent, ...archivedRecent],
    olderTurns: plan.olderTurns,
    maxTokens: request.maxTokens,
    recallTokens: request.recallTokens,
    recallLimit: recall,
    recallStrength: recallStrength(query, candidates, weight),
    explain: request.explain,
    dates: request.dates,
    query,
    weight,
    count,
  });
  return packed.ok ? ok(withMatches(packed.value, candidates)) : packed;
}

/** Best of both rankings first: lexical 1, semantic 1, lexical 2 … (duplicates once). */
function interleave(a: readonly RankedSeq[], b: readonly RankedSeq[]): RankedSeq[] {
  const seen = new Set<number>();
  const out: RankedSeq[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    for (const hit of [a[i], b[i]]) {
      if (hit && !seen.has(hit.seq)) {
        seen.add(hit.seq);
        out.push(hit);
      }
    }
  }
  return out;
}

/** Each recalled item says which ranking found it at what rank (API.md, Semantic search). */
function withMatches(
  packed: PackedContext,
  candidates: readonly RecallCandidate[],
): PackedContext & { recalled: MatchedItem[] } {
  const matches = new Map(candidates.map((c) => [`${c.kind}:${c.id}`, c.match]));
  return {
    ...packed,
    recalled: packed.recalled.map((item) => ({
      ...item,
      match: matches.get(`${item.kind}:${item.id}`) ?? { lexical: null, semantic: null },
    })),
  };
}

/** A working row or a stored message, as a turn the packer can place (OpenAI fields as sent). */
const toTurn = (m: WorkingMessage | StoredMessage): RecentTurn => ({
  seq: m.seq,
  role: m.role as Role,
  content: m.content,
  name: m.name,
  tokens: m.tokens,
  createdAt: "created_at" in m ? m.created_at : m.createdAt,
  ...("content_json" in m
    ? sentFields(m)
    : {
        ...(m.sentContent !== undefined ? { sentContent: m.sentContent } : {}),
        ...(m.tool_calls ? { tool_calls: m.tool_calls } : {}),
        ...(m.tool_call_id ? { tool_call_id: m.tool_call_id } : {}),
        ...(m.item ? { item: m.item } : {}),
      }),
});

/** Recall from the user's memory index; a failure there degrades recall, never the call. */
export function userMemorySearch(env: Env, tenant: string, userId: string): MemorySearch {
  return async (query, limit, vector, lexical) => {
    try {
      const index = memoryIndexStub(env, tenant, { kind: "user", id: userId });
      const found = await index.search({ query, limit: Math.min(100, limit), vector, lexical });
      const asCandidates = (hits: typeof found.lexical) =>
        hits.map((h) => ({ kind: "memory" as const, ...h }));
      return { lexical: asCandidates(found.lexical), semantic: asCandidates(found.semantic) };
    } catch (error) {
      console.error(JSON.stringify({ event: "memory_recall_failed", error: String(error) }));
      return { lexical: [], semantic: [] };
    }
  };
}
