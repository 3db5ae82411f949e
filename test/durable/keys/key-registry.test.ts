import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { keyRecordName } from "../../../src/auth/minted-keys";
import { KEY_REGISTRY_NAME } from "../../../src/durable/keys/api";
import type { KeyRegistry } from "../../../src/durable/keys/key-registry";
import { freshId } from "../../helpers/http";
import { asInvocation, resetKvLimitReport } from "../../helpers/production-limits";

/**
 * The write order of the registry (issue #14, finding 10): a key never works while the
 * registry cannot list it, so it can always be revoked. A KV operation is made to fail by
 * the harness itself: the 1,001st of an invocation throws, as in production.
 */
const registry = () => {
  const ns = env.KEYS as unknown as DurableObjectNamespace<KeyRegistry>;
  return ns.get(ns.idFromName(KEY_REGISTRY_NAME));
};

/** Runs `work` inside the registry in an invocation whose KV budget is already spent. */
const withKvBudgetSpent = <T>(work: (registry: KeyRegistry) => Promise<T>) =>
  runInDurableObject(registry(), (instance: KeyRegistry) =>
    asInvocation("spent", async () => {
      for (let i = 0; i < 1_000; i++) await env.ARCHIVE.get(`probe/${i}`);
      return work(instance);
    }),
  );

const registration = () => {
  const id = `key_${freshId("k").replace(/[^a-z0-9]/g, "")}`;
  return {
    id,
    tenant: "order-test",
    name: null,
    digest: crypto.randomUUID().replaceAll("-", "").padEnd(64, "0"),
    createdAt: new Date().toISOString(),
  };
};

const listed = async (id: string) =>
  (await registry().list({ tenant: "order-test", limit: 100 })).keys.some((k) => k.id === id);

describe("KeyRegistry write order", () => {
  it("a failed KV write on register leaves no row: nothing listed, nothing working", async () => {
    const key = registration();
    await expect(withKvBudgetSpent((r) => r.register(key))).rejects.toThrow(/KV limit/);
    resetKvLimitReport(); // broken on purpose
    expect(await listed(key.id)).toBe(false);
    expect(await env.ARCHIVE.get(keyRecordName(key.digest))).toBeNull();
  });

  it("a failed KV delete on revoke keeps the row: a key that still works stays listed (and revocable)", async () => {
    const key = registration();
    await registry().register(key);
    expect(await env.ARCHIVE.get(keyRecordName(key.digest))).not.toBeNull();
    await expect(withKvBudgetSpent((r) => r.revoke(key.id))).rejects.toThrow(/KV limit/);
    resetKvLimitReport();
    expect(await env.ARCHIVE.get(keyRecordName(key.digest))).not.toBeNull();
    expect(await listed(key.id)).toBe(true);
    expect((await registry().revoke(key.id)).ok).toBe(true);
    expect(await listed(key.id)).toBe(false);
    expect(await env.ARCHIVE.get(keyRecordName(key.digest))).toBeNull();
  });
});
