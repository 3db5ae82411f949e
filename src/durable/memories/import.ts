import type { Env } from "../../env";
import { type Memory, type MemoryInput, type Scope, scopesOf } from "../../memory/memories";
import type { ImportedMemory } from "./api";
import { memoryIndexStub, memoryRecordStub } from "./api";
import { noteUserMemories } from "./user-listing";

/** Record objects written at once by one batch. */
const PARALLEL = 25;

export type ImportOutcome =
  | { ok: true; memories: { memory: Memory; duplicate: boolean }[] }
  | { ok: false; conflicts: { index: number; detail: string }[] };

/**
 * Creates a batch of memories, each by its own record object (the authority, as for a
 * single create), `PARALLEL` at a time. Then, instead of one index call per memory,
 * one call per scope writes every new memory of the batch to that scope's index, and
 * each record hears that its push is done.
 *
 * Not atomic: each memory is its own object. On a conflict (or a failure) the
 * memories this call created are erased again before it answers; a Worker that dies
 * midway leaves some created, each complete (record, KV, and indexes within the
 * record's hand-off delay). Replays of the same input are duplicates, not conflicts,
 * so the same batch can be sent again.
 */
export async function importMemories(
  env: Env,
  tenant: string,
  inputs: MemoryInput[],
): Promise<ImportOutcome> {
  const settled = await mapBounded(inputs, PARALLEL, (input) =>
    memoryRecordStub(env, tenant, input.id).importMemory({ tenant, id: input.id }, input),
  );
  const conflicts: { index: number; detail: string }[] = [];
  const imported: ImportedMemory[] = [];
  let thrown: unknown;
  settled.forEach((outcome, index) => {
    if (outcome.status === "rejected") thrown ??= outcome.reason;
    else if (!outcome.value.ok) conflicts.push({ index, detail: outcome.value.error.detail });
    else imported[index] = outcome.value.value;
  });
  const created = imported.filter((item) => !item.duplicate);
  if (thrown !== undefined || conflicts.length > 0) {
    await takeBack(env, tenant, created);
    if (thrown !== undefined) throw thrown;
    return { ok: false, conflicts };
  }
  const pending = created.filter((item) => item.indexPending).map((item) => item.memory);
  await indexBatch(env, tenant, pending);
  return { ok: true, memories: imported.map(({ memory, duplicate }) => ({ memory, duplicate })) };
}

/** One index call per scope for the whole batch, then each record confirms its push. */
async function indexBatch(env: Env, tenant: string, memories: Memory[]): Promise<void> {
  const byScope = groupByScope(memories);
  const failed = new Set<string>();
  const writes = await mapBounded([...byScope.values()], PARALLEL, async ({ scope, memories }) =>
    noteUserMemories(
      env,
      tenant,
      scope,
      await memoryIndexStub(env, tenant, scope).upsertMany(memories),
    ),
  );
  writes.forEach((write, i) => {
    if (write.status === "fulfilled") return;
    // Those records keep their push due; their alarms write the index instead.
    logFailure("memory_import_index_failed", write.reason);
    for (const memory of [...byScope.values()][i]?.memories ?? []) failed.add(memory.id);
  });
  const indexed = memories.filter((memory) => !failed.has(memory.id));
  const confirmations = await mapBounded(indexed, PARALLEL, (memory) =>
    memoryRecordStub(env, tenant, memory.id).confirmIndexed(memory.version, memory.createdAt),
  );
  // A memory erased while this batch ran must not stay in an index: take its entries back.
  const gone = indexed.filter((_, i) => {
    const confirmation = confirmations[i];
    return confirmation?.status === "fulfilled" && !confirmation.value.current;
  });
  for (const { scope, memories: stale } of groupByScope(gone).values()) {
    const held = await memoryIndexStub(env, tenant, scope).removeCreated(
      stale.map(({ id, createdAt }) => ({ id, createdAt })),
    );
    await noteUserMemories(env, tenant, scope, held);
  }
}

/** Erases the memories this batch created, so a rejected batch leaves nothing behind. */
async function takeBack(env: Env, tenant: string, created: ImportedMemory[]): Promise<void> {
  const erased = await mapBounded(created, PARALLEL, ({ memory }) =>
    memoryRecordStub(env, tenant, memory.id).erase(),
  );
  // A failed erase is finished by that record's alarm.
  for (const e of erased)
    if (e.status === "rejected") logFailure("memory_import_undo_failed", e.reason);
}

function groupByScope(memories: Memory[]): Map<string, { scope: Scope; memories: Memory[] }> {
  const groups = new Map<string, { scope: Scope; memories: Memory[] }>();
  for (const memory of memories) {
    for (const scope of scopesOf(memory)) {
      const key = `${scope.kind}/${scope.id}`;
      const group = groups.get(key) ?? { scope, memories: [] };
      group.memories.push(memory);
      groups.set(key, group);
    }
  }
  return groups;
}

/** `work` over every item, at most `limit` at a time; settles each, in input order. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { status: "fulfilled", value: await work(items[i] as T) };
      } catch (reason) {
        results[i] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

const logFailure = (event: string, error: unknown) =>
  console.error(JSON.stringify({ event, error: String(error) }));
