import type { Env } from "../env";
import type { ConversationMemory } from "./conversation-memory";
import type { TenantDirectory } from "./tenant-directory";

/**
 * The RPC surface of each object, typed by the methods' own signatures. Every method
 * is async and returns structured-clonable data, so a stub call returns exactly that;
 * this spares the compiler workers-types' deep mapped RPC types.
 */
export type ConversationApi = Pick<
  ConversationMemory,
  "describe" | "configure" | "append" | "readMessages" | "search" | "erase"
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
