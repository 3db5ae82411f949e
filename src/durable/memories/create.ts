import type { Env } from "../../env";
import { sha256Hex } from "../../memory/digest";
import {
  dedupeText,
  hasScopes,
  type Memory,
  type MemoryInput,
  scopesOf,
} from "../../memory/memories";
import { ok, type Result } from "../../memory/result";
import { memoryIndexStub, memoryRecordStub } from "./api";

/** Index hits examined for a memory of the same text. */
const SAME_TEXT_CANDIDATES = 20;

/**
 * Creates a memory posted without an id, unless a live memory with the same scopes has
 * the same text (`dedupeText`): that one is returned, and nothing is stored. The scope's
 * index finds such a memory whatever its id; the id of a new memory is derived from its
 * scopes and text, so two identical posts at once meet at one record object, which
 * stores one of them. A derived id held by a memory whose text has changed since
 * (PATCH) leaves the new memory a random id.
 */
export async function createUnlessStored(
  env: Env,
  tenant: string,
  input: Omit<MemoryInput, "id">,
): Promise<Result<{ memory: Memory; created: boolean }>> {
  const text = dedupeText(input.text);
  const same = (memory: Memory) => hasScopes(memory, input) && dedupeText(memory.text) === text;
  const [primary] = scopesOf(input);
  if (primary) {
    const hits = await memoryIndexStub(env, tenant, primary).find({
      query: input.text,
      scope: input,
      limit: SAME_TEXT_CANDIDATES,
    });
    for (const hit of hits.filter((h) => same(h.memory))) {
      // The index's copy may lag its record: the record decides.
      const current = await memoryRecordStub(env, tenant, hit.memory.id).read();
      if (current.ok && same(current.value)) return ok({ memory: current.value, created: false });
    }
  }
  const scopes = [input.userId ?? null, input.agentId ?? null, input.conversationId ?? null];
  const derived = `mem-${(await sha256Hex(JSON.stringify([...scopes, text]))).slice(0, 32)}`;
  const first = await create(env, tenant, derived, input);
  if (first.ok || first.error.code !== "conflict") return first;
  const held = await memoryRecordStub(env, tenant, derived).read();
  if (held.ok && same(held.value)) return ok({ memory: held.value, created: false });
  return create(env, tenant, crypto.randomUUID(), input);
}

async function create(
  env: Env,
  tenant: string,
  id: string,
  input: Omit<MemoryInput, "id">,
): Promise<Result<{ memory: Memory; created: boolean }>> {
  const created = await memoryRecordStub(env, tenant, id).create({ tenant, id }, { ...input, id });
  return created.ok ? ok({ memory: created.value, created: true }) : created;
}
