import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { memoryIndexObjectName } from "../../src/durable/memories/api";
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

/** Makes the index's work due now, then runs its alarm (expiries and embeddings). */
export async function runIndexWork(userId: string): Promise<void> {
  const stub = userIndex(userId);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE due_work SET due_at = 0");
  });
  await runDurableObjectAlarm(stub);
}

export async function indexSql<T extends Record<string, SqlStorageValue>>(
  userId: string,
  query: string,
): Promise<T[]> {
  return runInDurableObject(userIndex(userId), (_instance, state) =>
    state.storage.sql.exec<T>(query).toArray(),
  );
}
