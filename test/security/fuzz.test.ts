import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { call, ROOT } from "../helpers/http";
import {
  documentedRoutes,
  fill,
  freshTenant,
  isProblem,
  isRefusal,
  label,
  type RouteCase,
  storedState,
} from "./support";

/**
 * Property: for every JSON endpoint of the OpenAPI document, any body — random
 * JSON, schema-shaped values with hostile leaves, or not JSON at all — gets an
 * answer below 500; every 4xx is problem+json; and a rejected request leaves the
 * stored data exactly as it was.
 */
const RUNS = 30;

type Schema = Record<string, any>;
let doc: { components?: { schemas?: Record<string, Schema> }; paths: Record<string, any> };

const resolve = (schema: Schema | undefined): Schema => {
  let s = schema ?? {};
  for (let i = 0; i < 10 && s.$ref; i++)
    s = doc.components?.schemas?.[s.$ref.split("/").pop()] ?? {};
  return s;
};

const hostileString = fc.oneof(
  fc.constantFrom(
    "",
    "__proto__",
    "constructor",
    "../../etc/passwd",
    "a/b",
    "\u0000",
    "\ud800",
    "аlpha",
    "<script>alert(1)</script>",
    "'; DROP TABLE messages; --",
    "%00",
    ["$", "{jndi:ldap://x}"].join(""),
    "a".repeat(129),
    "💥".repeat(300),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, -0, 1e308, -1e308, 2 ** 53 + 1, 0.5, [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {}}}')),
);

/**
 * A memory's `ttlSeconds`, at least a day: one made with the 60-second minimum would expire
 * in the background while the test runs (it grows with the routes), and "a rejection
 * changes nothing" would see the expiry.
 */
const outlivesTheTest = (schema: Schema): Schema => ({ ...resolve(schema), minimum: 86_400 });

/**
 * Values shaped like the schema. With `hostility` 0 they are valid as far as the
 * schema can say; above 0 any node is replaced, now and then, by something hostile.
 */
function fromSchema(
  schema: Schema | undefined,
  hostility: number,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const alternatives = s.anyOf ?? s.oneOf;
  let shaped: fc.Arbitrary<unknown>;
  if (Array.isArray(s.type)) {
    // OpenAPI 3.1: `type: ["string", "null"]`.
    shaped = fc.oneof(...s.type.map((type: string) => fromSchema({ ...s, type }, 0, depth)));
  } else if (alternatives) {
    shaped = fc.oneof(...alternatives.map((a: Schema) => fromSchema(a, hostility, depth)));
  } else if (s.enum) {
    shaped = fc.constantFrom(...s.enum);
  } else if (s.type === "null") {
    shaped = fc.constant(null);
  } else if (s.type === "object" || s.properties) {
    const props = Object.fromEntries(
      Object.entries<Schema>(s.properties ?? {}).map(([k, v]) => [
        k,
        fromSchema(k === "ttlSeconds" ? outlivesTheTest(v) : v, hostility, depth + 1),
      ]),
    );
    shaped = fc.record(props, { requiredKeys: hostility > 0 ? [] : (s.required ?? []) });
  } else if (s.type === "array") {
    shaped = fc.array(fromSchema(s.items, hostility, depth + 1), {
      minLength: hostility > 0 ? 0 : (s.minItems ?? 0),
      maxLength: depth > 1 ? 2 : 4,
    });
  } else if (s.type === "string") {
    const min = s.minLength ?? 0;
    const max = Math.min(s.maxLength ?? 60, 60);
    shaped =
      s.format === "date-time"
        ? fc
            .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
            .map((d) => d.toISOString())
        : s.pattern
          ? fc
              .stringMatching(new RegExp(s.pattern))
              .filter((v) => v.length >= min && v.length <= max)
          : fc.string({ minLength: min, maxLength: max });
  } else if (s.type === "integer" || s.type === "number") {
    const min = s.minimum ?? -1_000_000;
    const max = s.maximum ?? 1_000_000;
    shaped = fc.integer({ min, max });
  } else if (s.type === "boolean") {
    shaped = fc.boolean();
  } else {
    shaped = fc.jsonValue({ maxDepth: 2 });
  }
  if (hostility === 0) return shaped;
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: hostility, arbitrary: hostileValue });
}

const asJson = (v: unknown) => JSON.stringify(v) ?? "null";

/** A request body: valid for the schema, schema-shaped with hostile leaves, random JSON, or not JSON. */
const bodyFor = (schema: Schema) =>
  fc.oneof(
    { weight: 4, arbitrary: fromSchema(schema, 0).map(asJson) },
    { weight: 4, arbitrary: fromSchema(schema, 1).map(asJson) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(asJson) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{",
        "[".repeat(5000),
        '{"a":1,"a":2}',
        "\ufeff{}",
        '{"messages": null}',
        "null",
        "",
      ),
    },
  );

const contentType = fc.constantFrom("application/json", "application/json", "text/plain");

let tenant: { tenant: string; key: string };
const TARGET = "fuzz-target";
const SEED_MEMORY = "fuzz-memory";
const SEED_USER = "fuzz-user";
let hasMemories = false;

/** Everything a request could have changed: the tenant's data and the key registry. */
const stateNow = () =>
  storedState(tenant, {
    conversation: TARGET,
    keys: true,
    ...(hasMemories ? { memory: SEED_MEMORY, user: SEED_USER } : {}),
  });

let jsonRoutes: RouteCase[] = [];

beforeAll(async () => {
  doc = (await call("GET", "/openapi.json", { key: null })).json;
  jsonRoutes = (await documentedRoutes()).filter((r) => r.jsonBody);
  tenant = await freshTenant("fuzz");
  const put = await call("PUT", `/v1/conversations/${TARGET}`, { key: tenant.key, body: {} });
  expect(put.status, put.text).toBe(201);
  // Routes on an existing memory need one to exist, or every request would be a 404.
  hasMemories = jsonRoutes.some((r) => r.method === "POST" && r.template === "/v1/memories");
  if (hasMemories) {
    const memory = await call("POST", "/v1/memories", {
      key: tenant.key,
      body: { id: SEED_MEMORY, text: "seed", userId: SEED_USER },
    });
    expect(memory.status, memory.text).toBe(201);
  }
});

describe("fuzzing every JSON endpoint, the Motorhead and Zep ones included", () => {
  it("covers the JSON endpoints the document declares", () => {
    expect(jsonRoutes.map(label)).toEqual(
      expect.arrayContaining([
        "PUT /v1/conversations/{conversationId}",
        "POST /v1/conversations/{conversationId}/messages",
        "POST /v1/admin/keys",
        "POST /compat/motorhead/sessions/{sessionId}/memory",
        "POST /compat/motorhead/sessions/{sessionId}/retrieval",
        "POST /compat/motorhead/key/{apiKey}/sessions/{sessionId}/memory",
        "POST /api/v1/sessions/{sessionId}/memory",
        "POST /api/v1/sessions/{sessionId}/search",
        "POST /api/v1/sessions",
      ]),
    );
  });

  // Runs every documented JSON route in turn, so it grows with the API: its own timeout.
  it("never answers 5xx, answers every 4xx in the route's error format (problem+json on /v1), and changes nothing when it rejects", {
    timeout: 120_000,
  }, async () => {
    for (const route of jsonRoutes) {
      const op = doc.paths[route.template][route.method.toLowerCase()];
      const schema = op.requestBody.content["application/json"].schema;
      const path = fill(route.template, (param) =>
        param === "conversationId" || param === "sessionId"
          ? TARGET
          : param === "id"
            ? SEED_MEMORY
            : param === "apiKey"
              ? tenant.key
              : "fuzz-id",
      );
      const key = route.admin ? ROOT : tenant.key;
      let before = await stateNow();
      const statuses = new Set<number>();
      await fc.assert(
        // Now and then as text/plain: /v1 refuses it (415); the compat APIs read any type as JSON.
        fc.asyncProperty(bodyFor(schema), contentType, async (body, type) => {
          const res = await call(route.method, path, {
            key,
            body,
            headers: { "content-type": type },
          });
          const where = `${label(route)} ${type} ${body.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          statuses.add(res.status);
          const after = await stateNow();
          if (res.status >= 400) {
            // problem+json on /v1; the compat APIs' own formats on theirs.
            expect(isRefusal(res, route), where).toBe(true);
            expect(res.text, where).not.toMatch(/\bat .*\.(ts|js):\d+/);
            expect(after, where).toBe(before);
          }
          before = after;
        }),
        { numRuns: RUNS },
      );
      // The generator is worth something only if it also gets past validation.
      const pastValidation = [...statuses].filter((status) => ![400, 413, 415].includes(status));
      expect(pastValidation.length, label(route)).toBeGreaterThan(0);
      expect(
        [...statuses].some((status) => status >= 400),
        label(route),
      ).toBe(true);
    }
  });

  it("treats hostile headers the same way", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        async (value) => {
          const res = await call("POST", `/v1/conversations/${TARGET}/messages`, {
            key: tenant.key,
            body: { messages: [{ role: "user", content: "h" }] },
            headers: {
              "idempotency-key": value,
              "content-type": `application/json; charset=${value.slice(0, 20)}`,
            },
          });
          expect(res.status, res.text).toBeLessThan(500);
          if (res.status >= 400) expect(isProblem(res)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
