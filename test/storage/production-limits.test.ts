import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import {
  appUnderLimits,
  asInvocation,
  eventualConsistency,
  kvLimitReport,
  resetKvLimitReport,
} from "../helpers/production-limits";
import { mintKey } from "../security/support";

/** The harness itself: each limit bites, and every kind of entry point is counted. */
describe("the production-fidelity KV harness", () => {
  it("throws on the 1,001st operation of one invocation, and records it", async () => {
    const prefix = freshId("ops");
    const tooMany = asInvocation("probe", async () => {
      for (let i = 0; i < 1_001; i++) await env.ARCHIVE.get(`${prefix}/${i}`);
    });
    await expect(tooMany).rejects.toThrow(/more than 1,000 KV operations/);
    expect(kvLimitReport().violations).toHaveLength(1);
    resetKvLimitReport(); // broken on purpose: the setup file fails any test that leaves one
    await asInvocation("probe", async () => {
      for (let i = 0; i < 1_000; i++) await env.ARCHIVE.get(`${prefix}/${i}`);
    });
    expect(kvLimitReport()).toMatchObject({ maxOperations: 1_000, violations: [] });
  });

  it("refuses keys over 512 bytes, bulk gets over 100 keys and TTLs under 60 s", async () => {
    await expect(
      asInvocation("probe", () => env.ARCHIVE.put("k".repeat(513), "x")),
    ).rejects.toThrow(/key of 513 bytes/);
    const keys = Array.from({ length: 101 }, (_, i) => `bulk/${i}`);
    await expect(asInvocation("probe", () => env.ARCHIVE.get(keys))).rejects.toThrow(/bulk get/);
    await expect(
      asInvocation("probe", () => env.ARCHIVE.put("ttl", "x", { expirationTtl: 59 })),
    ).rejects.toThrow(/expirationTtl 59/);
    expect(kvLimitReport().violations).toHaveLength(3);
    resetKvLimitReport();
  });

  it("hides another invocation's recent write in eventual-consistency mode, not the writer's own", async () => {
    const key = freshId("ec-probe");
    eventualConsistency(true);
    try {
      const ownRead = await asInvocation("writer", async () => {
        await env.ARCHIVE.put(key, "v");
        return env.ARCHIVE.get(key);
      });
      expect(ownRead).toBe("v");
      expect(await asInvocation("reader", () => env.ARCHIVE.get(key))).toBeNull();
      expect(kvLimitReport().hiddenReads).toBe(1);
    } finally {
      eventualConsistency(false);
    }
    expect(await asInvocation("reader", () => env.ARCHIVE.get(key))).toBe("v");
  });

  it("counts the Worker's requests and a test's own app as invocations", async () => {
    const minted = await mintKey(freshId("harness"));
    resetKvLimitReport();
    expect((await call("GET", "/v1/conversations", { key: minted.key })).status).toBe(200);
    expect(kvLimitReport().maxOperations).toBeGreaterThan(0);
    resetKvLimitReport();
    const ctx = createExecutionContext();
    const response = await appUnderLimits().fetch(
      new Request("https://edgemem.test/v1/conversations", {
        headers: { authorization: `Bearer em_live_${"B".repeat(43)}` },
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(401);
    expect(kvLimitReport()).toMatchObject({ maxOperations: 1, busiestEntry: "app fetch" });
  });
});
