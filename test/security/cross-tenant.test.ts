import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";
import { documentedRoutes, fill, freshTenant, label, type RouteCase } from "./support";

/**
 * Tenant A stores data; tenant B, with its own key, names A's identifiers on every
 * tenant route of the OpenAPI document. B must see 404 (or its own, empty world),
 * never A's data, and A's data must be unchanged afterwards.
 */
const MARKER = `alpha-secret-${crypto.randomUUID()}`;

let owner: { tenant: string; key: string };
let intruder: { tenant: string; key: string };
let ids: Record<string, string>;
let routes: RouteCase[];
let hasMemories = false;

async function snapshot() {
  const as = { key: owner.key };
  const parts = await Promise.all([
    call("GET", `/v1/conversations/${ids.conversationId}`, as),
    call("GET", `/v1/conversations/${ids.conversationId}/messages?limit=500`, as),
    call("GET", `/v1/conversations?userId=${ids.userId}`, as),
    call("GET", "/v1/conversations", as),
    ...(hasMemories
      ? [
          call("GET", `/v1/memories/${ids.memoryId}`, as),
          call("GET", `/v1/memories/${ids.memoryId}/history`, as),
          call("GET", `/v1/memories?userId=${ids.userId}`, as),
        ]
      : []),
  ]);
  for (const part of parts) expect(part.status, part.text).toBe(200);
  return parts.map((p) => p.json);
}

beforeAll(async () => {
  routes = (await documentedRoutes()).filter((r) => r.authenticated && !r.admin);
  owner = await freshTenant("owner");
  intruder = await freshTenant("intruder");
  ids = {
    conversationId: freshId("conv"),
    userId: freshId("user"),
    agentId: freshId("agent"),
    id: freshId("msg"),
    memoryId: freshId("mem"),
  };
  const put = await call("PUT", `/v1/conversations/${ids.conversationId}`, {
    key: owner.key,
    body: { userId: ids.userId, agentId: ids.agentId, metadata: { marker: MARKER } },
  });
  expect(put.status, put.text).toBe(201);
  const append = await call("POST", `/v1/conversations/${ids.conversationId}/messages`, {
    key: owner.key,
    body: {
      messages: [
        { role: "system", content: `pinned ${MARKER}`, pinned: true },
        { role: "user", content: `hello ${MARKER}`, id: ids.id },
      ],
    },
  });
  expect(append.status, append.text).toBe(201);
  hasMemories = routes.some((r) => r.method === "POST" && r.template === "/v1/memories");
  if (hasMemories) {
    const memory = await call("POST", "/v1/memories", {
      key: owner.key,
      body: { id: ids.memoryId, text: `remember ${MARKER}`, userId: ids.userId },
    });
    expect(memory.status, memory.text).toBe(201);
  }
});

/** The owner's identifier for each path parameter (`id` is a memory id on memory routes). */
const ownerValue = (route: RouteCase) => (param: string) =>
  param === "id" && route.template.startsWith("/v1/memories")
    ? (ids.memoryId ?? "x")
    : (ids[param] ?? "x");

/** Routes that name one resource of the tenant: a stranger's id must be 404. */
const namesOneResource = (route: RouteCase) =>
  route.params.some((p) => p === "conversationId" || p === "id");

describe("cross-tenant access", () => {
  it("gives 404 on every read and delete of another tenant's conversation", async () => {
    const as = { key: intruder.key };
    const c = ids.conversationId;
    expectProblem(await call("GET", `/v1/conversations/${c}`, as), 404, "not_found");
    expectProblem(await call("GET", `/v1/conversations/${c}/messages`, as), 404, "not_found");
    expectProblem(await call("DELETE", `/v1/conversations/${c}`, as), 404, "not_found");
    const list = await call("GET", `/v1/conversations?userId=${ids.userId}`, as);
    expect(list.json).toEqual({ conversations: [], nextCursor: null });
    expect((await call("GET", "/v1/conversations", as)).json.conversations).toEqual([]);
  });

  it("never reveals or changes another tenant's data, on any tenant route", async () => {
    const before = await snapshot();
    // Reads and deletes first: the writes after them create the intruder's own conversation.
    const writes = (r: RouteCase) => (r.method === "GET" || r.method === "DELETE" ? 0 : 1);
    for (const route of [...routes].sort((a, b) => writes(a) - writes(b))) {
      const path = fill(route.template, ownerValue(route));
      for (const body of route.jsonBody
        ? [{}, { messages: [{ role: "user", content: "b" }] }]
        : [undefined]) {
        const res = await call(route.method, path, { key: intruder.key, body });
        const where = `${label(route)}: ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        expect(res.text, where).not.toContain(MARKER);
        if (namesOneResource(route) && (route.method === "GET" || route.method === "DELETE")) {
          expect(res.status, where).toBe(404);
        }
      }
    }
    // Query parameters naming the owner's user or agent find nothing of theirs either.
    for (const route of routes.filter((r) => r.method === "GET" && r.params.length === 0)) {
      const res = await call(route.method, `${route.template}?userId=${ids.userId}`, {
        key: intruder.key,
      });
      expect(res.text, label(route)).not.toContain(MARKER);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("leaks no existence: creating with another tenant's ids is a fresh create, not a conflict", async () => {
    const before = await snapshot();
    const put = await call("PUT", `/v1/conversations/${ids.conversationId}`, {
      key: intruder.key,
      body: { userId: freshId("other-user") },
    });
    expect([200, 201], put.text).toContain(put.status);
    expect(put.text).not.toContain(MARKER);
    if (hasMemories) {
      const memory = await call("POST", "/v1/memories", {
        key: intruder.key,
        body: { id: ids.memoryId, text: "intruder's own", userId: ids.userId },
      });
      expect(memory.status, memory.text).toBe(201);
      expect(memory.json.text).toBe("intruder's own");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("keeps the tenant in every storage name, so the intruder's writes land in its own space", async () => {
    // The intruder's append above created its own conversation of the same id.
    const own = await call("GET", `/v1/conversations/${ids.conversationId}/messages`, {
      key: intruder.key,
    });
    expect(own.status, own.text).toBe(200);
    expect(own.json.messages.map((m: { content: string }) => m.content)).toContain("b");
    expect(own.text).not.toContain(MARKER);
    const keys = (await env.ARCHIVE.list()).keys.map((k) => k.name);
    for (const name of keys.filter((k) => k.includes(intruder.tenant))) {
      expect(name).not.toContain(owner.tenant);
    }
  });
});
