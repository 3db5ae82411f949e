import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/memory/cursor";
import { call, ROOT } from "../helpers/http";
import {
  documentedRoutes,
  fill,
  freshTenant,
  isRefusal,
  label,
  namesField,
  type RouteCase,
  storedState,
} from "./support";

/**
 * The limits of issue #14 under fuzzing: every documented query parameter (numbers,
 * cursors, the compat APIs' page/size/lastn/limit) and every `ttlSeconds`. Property:
 * never a 5xx (a RangeError was a 500, a forged cursor an endless 503), a 400 names
 * the field, in the route's own error format, and a rejected request changes nothing.
 */
const RUNS = 25;
const YEAR = 31_536_000;
const TARGET = "limits-target";
const MEMORY = "limits-memory";
const USER = "limits-user";

let tenant: { tenant: string; key: string };

const stateNow = () =>
  storedState(tenant, {
    conversation: TARGET,
    memory: MEMORY,
    user: USER,
    kvPrefix: `t/${tenant.tenant}/`,
  });

/** Numbers as a query string carries them: edges, beyond every bound, not integers, not numbers. */
const numberText = fc.oneof(
  fc.constantFrom(
    "0",
    "-1",
    "1",
    "100",
    "101",
    "500",
    "501",
    "10000",
    "10001",
    "1e13",
    "9007199254740993",
    "1.5",
    "NaN",
    "Infinity",
    "0x10",
    " 5",
    "",
    "1,000",
  ),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(String),
);

/** Cursors: forged JSON of every shape (the seq cursor, the listing cursor), or not base64 at all. */
const cursorText = fc.oneof(
  fc
    .oneof(
      fc.record({
        s: fc.oneof(fc.integer(), fc.double(), fc.constant(-5)),
        o: fc.constantFrom("asc", "desc", "x"),
      }),
      fc.record({ c: fc.string({ maxLength: 30 }), i: fc.string({ maxLength: 30 }) }),
      fc.jsonValue({ maxDepth: 2 }),
    )
    .map(encodeCursor),
  fc.constantFrom("", "null", "%%%", "a".repeat(600), "eyJzIjotNX0"),
  fc.string({ maxLength: 40 }),
);

const queryValue = (name: string) =>
  name === "cursor" ? cursorText : fc.oneof(numberText, fc.string({ maxLength: 20 }));

const routes: Array<{ route: RouteCase; params: string[] }> = [];

beforeAll(async () => {
  tenant = await freshTenant("limits");
  const as = { key: tenant.key };
  const put = await call("PUT", `/v1/conversations/${TARGET}`, { ...as, body: { userId: USER } });
  expect(put.status, put.text).toBe(201);
  const append = await call("POST", `/v1/conversations/${TARGET}/messages`, {
    ...as,
    body: {
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
      ],
    },
  });
  expect(append.status, append.text).toBe(201);
  const memory = await call("POST", "/v1/memories", {
    ...as,
    body: { id: MEMORY, text: "seed", userId: USER },
  });
  expect(memory.status, memory.text).toBe(201);
  const doc = (await call("GET", "/openapi.json", { key: null })).json;
  for (const route of await documentedRoutes()) {
    const op = doc.paths[route.template][route.method.toLowerCase()];
    const params = (op.parameters ?? [])
      .filter((p: { in: string }) => p.in === "query")
      .map((p: { name: string }) => p.name);
    if (params.length > 0 && route.authenticated) routes.push({ route, params });
  }
});

describe("fuzzing the limits", () => {
  it("covers every query parameter with a bound, compat ones included", () => {
    const covered = routes.flatMap(({ route, params }) =>
      params.map((p) => `${label(route)} ${p}`),
    );
    expect(covered).toEqual(
      expect.arrayContaining([
        "GET /v1/conversations/{conversationId}/messages cursor",
        "GET /v1/conversations/{conversationId}/messages limit",
        "GET /v1/conversations/{conversationId}/context maxTokens",
        "GET /v1/users cursor",
        "GET /compat/motorhead/sessions page",
        "GET /compat/motorhead/sessions size",
        "GET /api/v1/sessions/{sessionId}/memory lastn",
        "POST /api/v1/sessions/{sessionId}/search limit",
      ]),
    );
  });

  it("query parameters: never a 5xx; a 400 names a parameter (sent, or one it lacks); nothing changes", {
    timeout: 120_000,
  }, async () => {
    const before = await stateNow();
    for (const { route, params } of routes) {
      const key = route.admin ? ROOT : tenant.key;
      const path = fill(route.template, (param) =>
        param === "apiKey" ? tenant.key : param === "id" ? MEMORY : TARGET,
      );
      const query = fc.record(Object.fromEntries(params.map((p) => [p, queryValue(p)])), {
        requiredKeys: [],
      });
      await fc.assert(
        fc.asyncProperty(query, async (values) => {
          const search = new URLSearchParams(values as Record<string, string>).toString();
          const body = route.method === "POST" ? { text: "one" } : undefined;
          const res = await call(route.method, `${path}?${search}`, { key, body });
          const where = `${label(route)} ?${search.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) expect(isRefusal(res, route), where).toBe(true);
          if (res.status === 400) {
            // A parameter it was sent, or one it lacks (`GET /v1/memories` without a scope
            // names userId, agentId and conversationId, none of them sent).
            const named = params.some((p) => namesField(res, route, p));
            expect(named, where).toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
    }
    // Only reads and searches take query parameters: whatever they answered, nothing changed.
    expect(await stateNow()).toBe(before);
  });

  it("ttlSeconds: an integer from 60 to a year is stored; anything else is 400 naming it, and changes nothing", {
    timeout: 60_000,
  }, async () => {
    const ttl = fc.oneof(
      fc.integer({ min: 60, max: YEAR }),
      fc.integer({ min: YEAR + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: -1_000, max: 59 }),
      fc.constantFrom(1e13, 2 ** 53 + 1, 1e308, -1e308, 60.5, 0.1, YEAR + 0.5),
    );
    const valid = (n: number) => Number.isInteger(n) && n >= 60 && n <= YEAR;
    const writes = [
      {
        method: "PUT",
        path: `/v1/conversations/${TARGET}`,
        body: (t: number) => ({ ttlSeconds: t }),
      },
      { method: "PATCH", path: `/v1/memories/${MEMORY}`, body: (t: number) => ({ ttlSeconds: t }) },
      {
        method: "POST",
        path: "/v1/memories",
        body: (t: number) => ({ text: `ttl ${t}`, userId: USER, ttlSeconds: t }),
      },
    ];
    for (const write of writes) {
      let before = await stateNow();
      await fc.assert(
        fc.asyncProperty(ttl, async (t) => {
          const res = await call(write.method, write.path, {
            key: tenant.key,
            body: write.body(t),
          });
          const where = `${write.method} ${write.path} ttlSeconds=${t} → ${res.status} ${res.text.slice(0, 200)}`;
          const after = await stateNow();
          if (valid(t)) {
            expect([200, 201], where).toContain(res.status);
            expect(res.json.ttlSeconds ?? t, where).toBe(t);
          } else {
            expect(res.status, where).toBe(400);
            expect(
              res.json.errors.map((e: { path: string }) => e.path),
              where,
            ).toContain("ttlSeconds");
            expect(after, where).toBe(before);
          }
          before = after;
        }),
        { numRuns: RUNS },
      );
    }
  });
});
