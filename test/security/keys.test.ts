import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ALPHA, call, freshId, ROOT } from "../helpers/http";
import { expectProblem } from "../helpers/problems";
import { mintKey } from "./support";

const sha256Hex = async (text: string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

describe("admin key lifecycle", () => {
  it("mints a key that works on tenant routes, lists it without secrets, and revokes it at once", async () => {
    const tenant = freshId("acme");
    const minted = await mintKey(tenant, "ci");
    expect(minted.key).toMatch(/^em_live_[A-Za-z0-9_-]{43}$/);
    expect(minted.id).toMatch(/^key_[0-9a-f]{24}$/);
    expect(minted).toMatchObject({ tenant, name: "ci", createdAt: expect.any(String) });

    const conv = freshId("conv");
    const put = await call("PUT", `/v1/conversations/${conv}`, { key: minted.key, body: {} });
    expect(put.status, put.text).toBe(201);
    // The minted key acts for its tenant, and only for it.
    expectProblem(await call("GET", `/v1/conversations/${conv}`, { key: ALPHA }), 404, "not_found");

    const list = await call("GET", `/v1/admin/keys?tenant=${tenant}`, { key: ROOT });
    expect(list.status, list.text).toBe(200);
    expect(list.json).toEqual({
      keys: [{ id: minted.id, tenant, name: "ci", createdAt: minted.createdAt }],
      nextCursor: null,
    });
    const digest = await sha256Hex(minted.key);
    expect(list.text).not.toContain(minted.key);
    expect(list.text).not.toContain(digest);

    // Stored only as a hash: the KV record is named by the digest and holds no secret.
    const record = await env.ARCHIVE.get(`auth/key/${digest}`);
    expect(record).not.toBeNull();
    expect(record).not.toContain(minted.key.slice(8));

    // Warm the isolate's key cache, then revoke: the very next request fails.
    expect((await call("GET", `/v1/conversations/${conv}`, { key: minted.key })).status).toBe(200);
    const revoke = await call("DELETE", `/v1/admin/keys/${minted.id}`, { key: ROOT });
    expect(revoke.status, revoke.text).toBe(204);
    expect(revoke.text).toBe("");
    expectProblem(
      await call("GET", `/v1/conversations/${conv}`, { key: minted.key }),
      401,
      "unauthorized",
    );
    expect(await env.ARCHIVE.get(`auth/key/${digest}`)).toBeNull();
    expect((await call("GET", `/v1/admin/keys?tenant=${tenant}`, { key: ROOT })).json.keys).toEqual(
      [],
    );
    expectProblem(
      await call("DELETE", `/v1/admin/keys/${minted.id}`, { key: ROOT }),
      404,
      "not_found",
    );
  });

  it("rejects tenant names outside the identifier syntax and unknown fields", async () => {
    for (const tenant of ["", "a/b", "..", "x".repeat(129), "аlpha", "a\u0000b", 42, null]) {
      const res = await call("POST", "/v1/admin/keys", { key: ROOT, body: { tenant } });
      expectProblem(res, 400, "invalid_request", ["tenant"]);
    }
    expectProblem(
      await call("POST", "/v1/admin/keys", { key: ROOT, body: {} }),
      400,
      "invalid_request",
      ["tenant"],
    );
    expectProblem(
      await call("POST", "/v1/admin/keys", { key: ROOT, body: { tenant: "ok", admin: true } }),
      400,
      "invalid_request",
    );
  });

  it("lists most recent first, pages with cursors, and filters by tenant", async () => {
    const tenant = freshId("paged");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await mintKey(tenant, `k${i}`)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/admin/keys?tenant=${tenant}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await call("GET", query, { key: ROOT });
      expect(page.status, page.text).toBe(200);
      expect(page.json.keys.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.keys.map((k: { id: string }) => k.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const other = await call("GET", `/v1/admin/keys?tenant=${freshId("none")}`, { key: ROOT });
    expect(other.json).toEqual({ keys: [], nextCursor: null });
    expectProblem(
      await call("GET", `/v1/admin/keys?tenant=${tenant}&cursor=garbage!`, { key: ROOT }),
      400,
      "invalid_request",
      ["cursor"],
    );
  });

  it("keeps static API_KEYS working beside minted keys", async () => {
    await mintKey(freshId("side"));
    const res = await call("GET", "/v1/conversations", { key: ALPHA });
    expect(res.status, res.text).toBe(200);
  });
});
