import type { Env } from "../env";
import type { Scope } from "../memory/memories";
import type { ConversationMemory } from "./conversation-memory";
import type { MemoryIndex } from "./memory-index";
import type { MemoryRecord } from "./memory-record";
import type { TenantDirectory } from "./tenant-directory";

/**
 * The RPC surface of each object, typed by the methods' own signatures. Every method
 * is async and returns structured-clonable data, so a stub call returns exactly that;
 * this spares the compiler workers-types' deep mapped RPC types.
 */
export type ConversationApi = Pick<
  ConversationMemory,
  "describe" | "configure" | "append" | "readMessages" | "search" | "context" | "erase"
>;
export type DirectoryApi = Pick<TenantDirectory, "remember" | "forget" | "list">;

/**
 * Durable Object names. The tenant (from the API key, never from the request)
 * prefixes every name, and "/" — which no identifier may contain — separates the
 * parts, so no pair of tenant and id can spell another tenant's name.
 */
export const conversationObjectName = (tenant: string, conversationId: string) =>
  `t/${tenant}/conv/${conversationId}`;

export const directoryObjectName = (tenant: string) => `t/${tenant}/directory`;

export const conversationStub = (env: Env, tenant: string, conversationId: string) =>
  env.CONVERSATIONS.get(
    env.CONVERSATIONS.idFromName(conversationObjectName(tenant, conversationId)),
  ) as unknown as ConversationApi;

export const directoryStub = (env: Env, tenant: string) =>
  env.DIRECTORY.get(
    env.DIRECTORY.idFromName(directoryObjectName(tenant)),
  ) as unknown as DirectoryApi;

export type MemoryRecordApi = Pick<
  MemoryRecord,
  "create" | "importMemory" | "confirmIndexed" | "read" | "history" | "update" | "erase"
>;
export type MemoryIndexApi = Pick<
  MemoryIndex,
  "upsert" | "upsertMany" | "remove" | "removeCreated" | "ids" | "list" | "find" | "search"
>;

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
