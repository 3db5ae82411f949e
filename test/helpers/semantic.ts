import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { memoryIndexObjectName } from "../../src/durable/memories/api";
import { conversationObject } from "./conversation-object";
import type { EmbedderMode } from "./local-embedder";

/** Switches the local embedder (vitest.semantic.config.ts) and clears its record. */
export async function setEmbedder(mode: EmbedderMode): Promise<void> {
  const response = await fetch(env.EMBEDDER_CONTROL_URL as string, {
    method: "POST",
    body: JSON.stringify({ mode }),
  });
  await response.arrayBuffer();
}

/** The texts the local embedder answered with vectors since the last switch, and how often. */
export async function embeddedTexts(): Promise<Record<string, number>> {
  const response = await fetch(env.EMBEDDER_CONTROL_URL as string);
  return ((await response.json()) as { embedded: Record<string, number> }).embedded;
}

/** Tenant alpha's memory index object of a user. */
export const userIndex = (userId: string) =>
  env.MEMORY_INDEX.get(
    env.MEMORY_INDEX.idFromName(memoryIndexObjectName("alpha", { kind: "user", id: userId })),
  );

/**
 * Makes an object's due work due now and runs its alarm. The alarm is set first:
 * `runDurableObjectAlarm` runs only a scheduled one, and removes it after the run even
 * when the handler set it again, which an object's own alarms would not do.
 * Due at 1, not 0: work still scheduled after the run re-arms the alarm at its due time,
 * and the runtime refuses an alarm time <= 0 (an uncaught TypeError in the test log).
 */
async function runWorkNow(stub: DurableObjectStub): Promise<void> {
  await runInDurableObject(stub, async (_instance, state) => {
    state.storage.sql.exec("UPDATE due_work SET due_at = 1");
    // An alarm far enough ahead that the runtime does not fire it too while this run holds
    // it: two runs at once would embed the same batch twice, which production never does
    // (a Durable Object runs one alarm at a time). The due rows say what is due.
    await state.storage.setAlarm(Date.now() + 60_000);
  });
  await runDurableObjectAlarm(stub);
}

/** Runs the index's due work now (expiries and embeddings). */
export const runIndexWork = (userId: string) => runWorkNow(userIndex(userId));

/** Runs a conversation's due work now (tenant alpha). */
export const runConversationWork = (conversationId: string) =>
  runWorkNow(conversationObject(conversationId) as unknown as DurableObjectStub);

export async function indexSql<T extends Record<string, SqlStorageValue>>(
  userId: string,
  query: string,
): Promise<T[]> {
  return runInDurableObject(userIndex(userId), (_instance, state) =>
    state.storage.sql.exec<T>(query).toArray(),
  );
}
