import type { Env } from "../../env";
import type { Match, SearchMode } from "../../memory/match";
import type {
  Memory,
  MemoryInput,
  MemoryPatch,
  MetadataFilter,
  Scope,
  ScopeFields,
} from "../../memory/memories";
import type { Result } from "../../memory/result";
import type { PagePosition } from "../sqlite/keyset-page";
import type { QueryVector } from "../vectors/embedder";

/** What callers may ask of a memory's record object (MemoryRecord implements it). */
export interface MemoryRecordApi {
  create(ref: MemoryRef, input: MemoryInput): Promise<Result<Memory>>;
  importMemory(ref: MemoryRef, input: MemoryInput): Promise<Result<ImportedMemory>>;
  confirmIndexed(version: number, createdAt: string): Promise<{ current: boolean }>;
  read(): Promise<Result<Memory>>;
  /** Up to `limit` versions from `from` on, oldest first (a page of the history). */
  history(from: number, limit: number): Promise<Result<Memory[]>>;
  update(patch: MemoryPatch, ifMatch?: number): Promise<Result<Memory>>;
  /** One bounded step of the erase; `eraseMemory` repeats it until done. */
  erase(): Promise<{ erased: boolean; done: boolean }>;
}

/** What callers may ask of a scope's index object (MemoryIndex implements it). */
export interface MemoryIndexApi {
  /** Each write answers how many memories the index holds after it. */
  upsert(memory: Memory): Promise<number>;
  upsertMany(memories: Memory[]): Promise<number>;
  removeCreated(memories: { id: string; createdAt: string }[]): Promise<number>;
  remove(ids: string[]): Promise<number>;
  ids(limit: number): Promise<string[]>;
  /** How many memories the index holds. */
  count(): Promise<number>;
  list(query: { scope: ScopeFields; limit: number; after?: PagePosition }): Promise<MemoryPage>;
  find(query: {
    query: string;
    scope: ScopeFields;
    metadata?: MetadataFilter;
    limit: number;
    mode?: SearchMode;
  }): Promise<MemoryHit[]>;
  /** Context recall: the best memories by words and, given the query's vector, by meaning. */
  search(request: {
    query: string;
    limit: number;
    vector?: QueryVector | null;
    lexical?: boolean;
  }): Promise<MemoryRecall>;
}

export interface MemoryRef {
  tenant: string;
  id: string;
}

export interface ImportedMemory {
  memory: Memory;
  /** A replay: the memory existed, created from the same input. */
  duplicate: boolean;
  /** The caller is to write it to its indexes and then call `confirmIndexed`. */
  indexPending: boolean;
}

export interface MemoryPage {
  memories: Memory[];
  /** Where the next page starts, or null on the last page. */
  next: PagePosition | null;
}

export interface MemoryHit {
  score: number;
  memory: Memory;
  match: Match;
}

/** Context recall's two rankings of a scope's memories, fused by the caller. */
export interface MemoryRecall {
  /** By words; `score` is BM25. */
  lexical: RecalledMemory[];
  /** By meaning; `score` is the cosine similarity. */
  semantic: RecalledMemory[];
}

/** What context recall needs of a memory. */
export interface RecalledMemory {
  id: string;
  text: string;
  score: number;
  createdAt: string;
}

/** A memory's record object, the authority on its existence and versions. */
export const memoryRecordObjectName = (tenant: string, memoryId: string) =>
  `t/${tenant}/mem/${memoryId}`;

/** The index of one scope: `t/{tenant}/memidx/user/{userId}` (or agent, conversation). */
export const memoryIndexObjectName = (tenant: string, scope: Scope) =>
  `t/${tenant}/memidx/${scope.kind}/${scope.id}`;

export const memoryRecordStub = (env: Env, tenant: string, memoryId: string) =>
  env.MEMORIES.get(
    env.MEMORIES.idFromName(memoryRecordObjectName(tenant, memoryId)),
  ) as unknown as MemoryRecordApi;

export const memoryIndexStub = (env: Env, tenant: string, scope: Scope) =>
  env.MEMORY_INDEX.get(
    env.MEMORY_INDEX.idFromName(memoryIndexObjectName(tenant, scope)),
  ) as unknown as MemoryIndexApi;

/** Erase steps one caller makes at most; past them the record's alarm finishes the job. */
const ERASE_CALLS = 20;

/** Erases a memory, step after step; `erased` is true when a live memory went. */
export async function eraseMemory(
  env: Env,
  tenant: string,
  id: string,
): Promise<{ erased: boolean; done: boolean }> {
  const stub = memoryRecordStub(env, tenant, id);
  let erased = false;
  for (let call = 0; call < ERASE_CALLS; call++) {
    const step = await stub.erase();
    erased ||= step.erased;
    if (step.done) return { erased, done: true };
  }
  return { erased, done: false };
}
