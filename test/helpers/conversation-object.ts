import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { conversationObjectName } from "../../src/durable/conversation/api";
import type { ConversationMemory } from "../../src/durable/conversation/conversation-memory";

/**
 * The conversation objects' namespace typed by their class, for looking inside them
 * (`src/` types its stubs by `api.ts` alone).
 */
export const conversations = () =>
  env.CONVERSATIONS as unknown as DurableObjectNamespace<ConversationMemory>;

/** The Durable Object behind tenant alpha's conversation `id`, for looking inside it. */
export const conversationObject = (id: string, tenant = "alpha") =>
  conversations().get(conversations().idFromName(conversationObjectName(tenant, id)));

/**
 * Makes all scheduled work due now (time travel), then runs the alarm. Due at 1, not 0:
 * work still scheduled after the run re-arms the alarm at its due time, and the runtime
 * refuses an alarm time <= 0.
 */
export async function runDueWork(id: string): Promise<void> {
  const stub = conversationObject(id);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE due_work SET due_at = 1");
  });
  await runDurableObjectAlarm(stub);
}

export async function sqlOf<T extends Record<string, SqlStorageValue>>(
  id: string,
  query: string,
  ...params: SqlStorageValue[]
): Promise<T[]> {
  return runInDurableObject(conversationObject(id), (_instance, state) =>
    state.storage.sql.exec<T>(query, ...params).toArray(),
  );
}

export async function withObject<R>(
  id: string,
  callback: (instance: ConversationMemory, state: DurableObjectState) => R | Promise<R>,
): Promise<R> {
  return runInDurableObject(conversationObject(id), callback);
}

/** Every KV key under a prefix (following list cursors). */
export async function kvKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.ARCHIVE.list({ prefix, cursor });
    keys.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}
