import { describe, expect, it, vi } from "vitest";
import { ALPHA, BETA, call, freshId, ROOT } from "../helpers/http";

const MH = "/compat/motorhead";
/** The stock LangChain client sends this header on every call, GET included, and no key. */
const STOCK = { "content-type": "application/json" };
const viaPath = (key: string) => `${MH}/key/${encodeURIComponent(key)}`;

/** What LangChain's MotorheadMemory.init() makes of a GET: it reverses, then tests role === "AI". */
function asLangChainHistory(json: any) {
  const data = json?.data || json;
  const { messages = [], context = "NONE" } = data;
  return {
    history: [...messages]
      .reverse()
      .map((m: any) => `${m.role === "AI" ? "ai" : "human"}:${m.content}`),
    context: context && context !== "NONE" ? context : undefined,
  };
}

describe("Motorhead: GET /sessions/{id}/memory", () => {
  it("answers an unknown session with 200, no messages and a null context", async () => {
    const res = await call("GET", `${MH}/sessions/${freshId("mh")}/memory`, { headers: STOCK });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ messages: [], context: null, tokens: 0 });
  });

  it("returns what saveContext posted, newest first, with Human/AI roles", async () => {
    const id = freshId("mh");
    for (const [input, output] of [
      ["Hi, I'm Ana", "Hello Ana"],
      ["I fly to Lisbon on Tuesday", "Noted"],
    ]) {
      const post = await call("POST", `${MH}/sessions/${id}/memory`, {
        body: {
          messages: [
            { role: "Human", content: input },
            { role: "AI", content: output },
          ],
        },
      });
      expect(post.status, post.text).toBe(200);
      expect(post.json).toEqual({ status: "Ok" });
    }
    const res = await call("GET", `${MH}/sessions/${id}/memory`, { headers: STOCK });
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([
      { role: "AI", content: "Noted" },
      { role: "Human", content: "I fly to Lisbon on Tuesday" },
      { role: "AI", content: "Hello Ana" },
      { role: "Human", content: "Hi, I'm Ana" },
    ]);
    expect(res.json.context).toBeNull();
    expect(res.json.tokens).toBeGreaterThan(0);
    expect(asLangChainHistory(res.json).history).toEqual([
      "human:Hi, I'm Ana",
      "ai:Hello Ana",
      "human:I fly to Lisbon on Tuesday",
      "ai:Noted",
    ]);
  });

  it("passes system and tool through; other roles come back as sent", async () => {
    const id = freshId("mh");
    await call("POST", `${MH}/sessions/${id}/memory`, {
      body: {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "tool", content: "{}" },
          { role: "narrator", content: "Meanwhile…" },
        ],
      },
    });
    const res = await call("GET", `${MH}/sessions/${id}/memory`);
    expect(res.json.messages.map((m: any) => m.role)).toEqual(["narrator", "tool", "system"]);
    const v1 = await call("GET", `/v1/conversations/${id}/messages`);
    expect(v1.json.messages.map((m: any) => m.role)).toEqual(["system", "tool", "user"]);
  });

  it("a speaker named like an object property is a name like any other (it was a 500)", async () => {
    const id = freshId("mh");
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const posted = await call("POST", `${MH}/sessions/${id}/memory`, {
      body: { messages: names.map((role) => ({ role, content: `I am ${role}` })) },
    });
    expect(posted.status, posted.text).toBe(200);
    const res = await call("GET", `${MH}/sessions/${id}/memory`);
    expect(res.json.messages.map((m: any) => m.role)).toEqual([...names].reverse());
    const v1 = await call("GET", `/v1/conversations/${id}/messages`);
    expect(v1.json.messages.map((m: any) => m.role)).toEqual(names.map(() => "user"));
  });
});

describe("Motorhead: POST /sessions/{id}/memory", () => {
  it("creates the session, and `context` replaces the summary", async () => {
    const id = freshId("mh");
    const first = await call("POST", `${MH}/sessions/${id}/memory`, {
      body: { messages: [], context: "Ana likes window seats." },
    });
    expect(first.status, first.text).toBe(200);
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(200);
    let got = await call("GET", `${MH}/sessions/${id}/memory`);
    expect(got.json.context).toBe("Ana likes window seats.");
    expect(asLangChainHistory(got.json).context).toBe("Ana likes window seats.");

    await call("POST", `${MH}/sessions/${id}/memory`, {
      body: { messages: [{ role: "Human", content: "hi" }], context: "Ana prefers aisles now." },
    });
    got = await call("GET", `${MH}/sessions/${id}/memory`);
    expect(got.json.context).toBe("Ana prefers aisles now.");
    expect(got.json.messages).toEqual([{ role: "Human", content: "hi" }]);
    const v1 = await call("GET", `/v1/conversations/${id}`);
    expect(v1.json.summary.text).toBe("Ana prefers aisles now.");
  });

  it("answers bad input with a 4xx JSON error, never a 500", async () => {
    const id = freshId("mh");
    for (const body of [
      "{not json",
      { messages: "nope" },
      { messages: [{ role: "Human" }] },
      { messages: [{ role: "", content: "x" }] },
      { messages: [{ role: "Human", content: 5 }] },
      { messages: [], context: 7 },
      { messages: Array.from({ length: 101 }, () => ({ role: "Human", content: "x" })) },
      { messages: [{ role: "Human", content: "x".repeat(70_000) }] },
    ]) {
      const res = await call("POST", `${MH}/sessions/${id}/memory`, { body });
      expect(res.status, `${JSON.stringify(body).slice(0, 80)} → ${res.text}`).toBe(400);
      expect(typeof res.json.error).toBe("string");
    }
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
    const badId = await call("GET", `${MH}/sessions/${encodeURIComponent("a b")}/memory`);
    expect(badId.status).toBe(400);
  });
});

describe("Motorhead: DELETE, retrieval, sessions", () => {
  it("DELETE removes messages and summary; an unknown session is fine", async () => {
    const id = freshId("mh");
    await call("POST", `${MH}/sessions/${id}/memory`, {
      body: { messages: [{ role: "Human", content: "hello" }], context: "ctx" },
    });
    const del = await call("DELETE", `${MH}/sessions/${id}/memory`);
    expect(del.status).toBe(200);
    expect(del.json).toEqual({ status: "Ok" });
    expect((await call("GET", `${MH}/sessions/${id}/memory`)).json).toEqual({
      messages: [],
      context: null,
      tokens: 0,
    });
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
    const again = await call("DELETE", `${MH}/sessions/${id}/memory`);
    expect(again.status).toBe(200);
  });

  it("retrieval answers matches best first with a distance (lower is closer)", async () => {
    const id = freshId("mh");
    await call("POST", `${MH}/sessions/${id}/memory`, {
      body: {
        messages: [
          { role: "Human", content: "My flight to Lisbon leaves Tuesday at 9" },
          { role: "AI", content: "Enjoy the trip" },
          { role: "Human", content: "Also book a hotel in Lisbon near the flight terminal" },
        ],
      },
    });
    const res = await call("POST", `${MH}/sessions/${id}/retrieval`, {
      body: { text: "Lisbon flight" },
    });
    expect(res.status, res.text).toBe(200);
    expect(Array.isArray(res.json)).toBe(true);
    expect(res.json.length).toBeGreaterThanOrEqual(2);
    for (const hit of res.json) {
      expect(Object.keys(hit).sort()).toEqual(["content", "dist", "role"]);
      expect(hit.role).toBe("Human");
    }
    const dists = res.json.map((h: any) => h.dist);
    expect(dists).toEqual([...dists].sort((a, b) => a - b));
    const unknown = await call("POST", `${MH}/sessions/${freshId("mh")}/retrieval`, {
      body: { text: "x" },
    });
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual([]);
    expect((await call("POST", `${MH}/sessions/${id}/retrieval`, { body: {} })).status).toBe(400);
  });

  it("GET /sessions pages through session ids", async () => {
    const ids = [freshId("mhlist"), freshId("mhlist"), freshId("mhlist")];
    for (const id of ids) {
      await call("POST", `${MH}/sessions/${id}/memory`, {
        key: BETA,
        body: { messages: [{ role: "Human", content: "x" }] },
      });
    }
    const all = await call("GET", `${MH}/sessions?page=1&size=100`, { key: BETA });
    expect(all.status).toBe(200);
    expect(all.json).toEqual(expect.arrayContaining(ids));
    const first = await call("GET", `${MH}/sessions?page=1&size=2`, { key: BETA });
    const second = await call("GET", `${MH}/sessions?page=2&size=2`, { key: BETA });
    expect(first.json).toHaveLength(2);
    expect([...first.json, ...second.json]).toEqual(
      all.json.slice(0, first.json.length + second.json.length),
    );
    expect((await call("GET", `${MH}/sessions?page=0`, { key: BETA })).status).toBe(400);
    expect((await call("GET", `${MH}/sessions?size=abc`, { key: BETA })).status).toBe(400);
  });

  it("answers its health check without a key", async () => {
    for (const url of [MH, `${MH}/`, viaPath("any")]) {
      const res = await call("GET", url, { key: null });
      expect(res.status, url).toBe(200);
      expect(typeof res.json.now).toBe("number");
    }
    const res = await call("GET", `${viaPath("any")}/`, { key: null });
    expect(res.status).toBe(200);
    expect(typeof res.json.now).toBe("number");
  });
});

describe("Motorhead auth", () => {
  const path = (id: string) => `/sessions/${id}/memory`;

  it("takes the key as Bearer, as x-metal-api-key, or as a path segment", async () => {
    const id = freshId("mhauth");
    await call("POST", `${MH}${path(id)}`, {
      body: { messages: [{ role: "Human", content: "secret plans" }] },
    });
    const viaHeader = await call("GET", `${MH}${path(id)}`, {
      key: null,
      headers: { "x-metal-api-key": ALPHA, "x-metal-client-id": "anything" },
    });
    expect(viaHeader.json.messages).toHaveLength(1);
    const viaSegment = await call("GET", `${viaPath(ALPHA)}${path(id)}`, {
      key: null,
      headers: STOCK,
    });
    expect(viaSegment.status).toBe(200);
    expect(viaSegment.json.messages).toHaveLength(1);
    const post = await call("POST", `${viaPath(ALPHA)}${path(id)}`, {
      key: null,
      body: { messages: [{ role: "AI", content: "ok" }] },
    });
    expect(post.status).toBe(200);
    expect((await call("GET", `${MH}${path(id)}`)).json.messages[0]).toEqual({
      role: "AI",
      content: "ok",
    });
  });

  it("keeps tenants apart: another tenant's key sees an empty session", async () => {
    const id = freshId("mhauth");
    await call("POST", `${MH}${path(id)}`, {
      body: { messages: [{ role: "Human", content: "alpha only" }] },
    });
    const beta = await call("GET", `${viaPath(BETA)}${path(id)}`, { key: null });
    expect(beta.json.messages).toEqual([]);
  });

  it("refuses a missing or unknown key with 401 and the root key with 403, as JSON", async () => {
    for (const [url, headers] of [
      [`${MH}${path("x")}`, {}],
      [`${MH}${path("x")}`, { "x-metal-api-key": "wrong" }],
      [`${MH}${path("x")}`, { authorization: "Bearer wrong" }],
      [`${viaPath("wrong")}${path("x")}`, {}],
    ] as const) {
      const res = await call("GET", url, { key: null, headers });
      expect(res.status, url).toBe(401);
      expect(typeof res.json.error).toBe("string");
    }
    const root = await call("GET", `${viaPath(ROOT)}${path("x")}`, { key: null });
    expect(root.status).toBe(403);
  });

  it("never logs the key of a key-in-path URL", async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    vi.spyOn(console, "log").mockImplementation(capture);
    vi.spyOn(console, "error").mockImplementation(capture);
    vi.spyOn(console, "warn").mockImplementation(capture);
    try {
      await call("GET", `${viaPath(ALPHA)}${path(freshId("mhlog"))}`, { key: null });
      await call("GET", `${viaPath(ALPHA)}/nowhere`, { key: null });
      await call("GET", `${viaPath("wrong-key-123")}${path("x")}`, { key: null });
    } finally {
      vi.restoreAllMocks();
    }
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toContain(ALPHA);
      expect(line).not.toContain("wrong-key-123");
    }
    expect(lines.join("\n")).toContain("/compat/motorhead/key/:apiKey/sessions/:sessionId/memory");
  });
});
