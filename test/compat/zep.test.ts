import { describe, expect, it } from "vitest";
import { BETA, call, freshId, ROOT } from "../helpers/http";

const ZEP = "/api/v1/sessions";

/** The body zep-js 0.x `Memory.toDict()` sends for LangChain's ZepMemory.saveContext. */
const zepMemory = (input: string, output: string) => ({
  messages: [
    { role: "Human", content: input },
    { role: "AI", content: output },
  ],
  metadata: {},
});

describe("Zep: GET /healthz", () => {
  it("carries X-Zep-Version 0.27.2", async () => {
    const res = await call("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-zep-version")).toBe("0.27.2");
  });
});

describe("Zep: memory", () => {
  it("an unknown session is 404 on GET and DELETE", async () => {
    const id = freshId("zep");
    expect((await call("GET", `${ZEP}/${id}/memory`)).status).toBe(404);
    expect((await call("DELETE", `${ZEP}/${id}/memory`)).status).toBe(404);
  });

  it("POST creates the session (200 OK) and GET returns messages oldest first", async () => {
    const id = freshId("zep");
    const post = await call("POST", `${ZEP}/${id}/memory`, {
      body: zepMemory("Hi, I'm Jim", "Hello Jim"),
    });
    expect(post.status, post.text).toBe(200);
    expect(post.text).toBe("OK");
    await call("POST", `${ZEP}/${id}/memory`, { body: zepMemory("What's my name?", "Jim") });
    const res = await call("GET", `${ZEP}/${id}/memory`);
    expect(res.status).toBe(200);
    expect(res.json.summary).toBeNull();
    expect(res.json.messages.map((m: any) => [m.role, m.content])).toEqual([
      ["Human", "Hi, I'm Jim"],
      ["AI", "Hello Jim"],
      ["Human", "What's my name?"],
      ["AI", "Jim"],
    ]);
    for (const m of res.json.messages) {
      expect(m).toEqual({
        uuid: expect.any(String),
        created_at: expect.any(String),
        role: expect.any(String),
        role_type: expect.stringMatching(/^(user|assistant)$/),
        content: expect.any(String),
        metadata: {},
        token_count: expect.any(Number),
      });
      expect(m.token_count).toBeGreaterThan(0);
    }
  });

  it("lastn keeps the newest n, oldest first", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: ["one", "two", "three", "four"].map((content) => ({ role: "Human", content })),
      },
    });
    const res = await call("GET", `${ZEP}/${id}/memory?lastn=2`);
    expect(res.json.messages.map((m: any) => m.content)).toEqual(["three", "four"]);
    expect((await call("GET", `${ZEP}/${id}/memory?lastn=abc`)).status).toBe(400);
    expect((await call("GET", `${ZEP}/${id}/memory?lastn=-1`)).status).toBe(400);
  });

  it("keeps any other role as sent (stored as user), with metadata and extra fields", async () => {
    const id = freshId("zep");
    const res = await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: [
          {
            role: "Jim",
            role_type: "user",
            content: "hello",
            metadata: { mood: "glad" },
            token_count: 0,
          },
          { role: "narrator", content: "time passes" },
          { role: "assistant", role_type: "assistant", content: "hi there" },
          { role: "system", content: "be kind" },
        ],
        metadata: {},
        uuid: null,
        something_new: true,
      },
    });
    expect(res.status, res.text).toBe(200);
    const got = await call("GET", `${ZEP}/${id}/memory`);
    expect(got.json.messages.map((m: any) => m.role)).toEqual([
      "Jim",
      "narrator",
      "assistant",
      "system",
    ]);
    expect(got.json.messages[0].metadata).toEqual({ mood: "glad" });
    const v1 = await call("GET", `/v1/conversations/${id}/messages`);
    expect(v1.json.messages.map((m: any) => m.role)).toEqual([
      "user",
      "user",
      "assistant",
      "system",
    ]);
  });

  it("a role or role_type named like an object property is a name like any other", async () => {
    const id = freshId("zep");
    const res = await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: [
          { role: "__proto__", content: "one" },
          { role: "constructor", role_type: "__proto__", content: "two" },
          { role: "valueOf", role_type: "assistant", content: "three" },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    const got = await call("GET", `${ZEP}/${id}/memory`);
    expect(got.json.messages.map((m: any) => m.role)).toEqual([
      "__proto__",
      "constructor",
      "valueOf",
    ]);
    const v1 = await call("GET", `/v1/conversations/${id}/messages`);
    expect(v1.json.messages.map((m: any) => m.role)).toEqual(["user", "user", "assistant"]);
  });

  it("a summary sets the conversation's summary; memory metadata merges into the session", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        ...zepMemory("hi", "hello"),
        summary: { content: "Jim said hi.", uuid: "x", token_count: 3 },
        metadata: { channel: "web" },
      },
    });
    const got = await call("GET", `${ZEP}/${id}/memory`);
    expect(got.json.summary).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      created_at: expect.any(String),
      content: "Jim said hi.",
      token_count: expect.any(Number),
    });
    const session = await call("GET", `${ZEP}/${id}`);
    expect(session.json).toMatchObject({ session_id: id, metadata: { channel: "web" } });
  });

  it("merges concurrent memory metadata without losing a key, and refuses a merge over the limit", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, {
      body: { ...zepMemory("hi", "hello"), metadata: { channel: "web" } },
    });
    const posts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call("POST", `${ZEP}/${id}/memory`, {
          body: { ...zepMemory(`q${i}`, `a${i}`), metadata: { [`k${i}`]: i } },
        }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 200));
    const session = await call("GET", `${ZEP}/${id}`);
    expect(session.json.metadata).toEqual({
      channel: "web",
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])),
    });

    // Each part fits the limit; merged, they would not: 400 on `metadata`, nothing changed.
    const half = "x".repeat(2500);
    expect(
      (await call("POST", `${ZEP}/${id}/memory`, { body: { metadata: { a: half } } })).status,
    ).toBe(200);
    const over = await call("POST", `${ZEP}/${id}/memory`, {
      body: { ...zepMemory("more", "text"), metadata: { b: half } },
    });
    expect(over.status).toBe(400);
    expect(over.text).toMatch(/metadata/);
    const after = await call("GET", `${ZEP}/${id}`);
    expect(after.json.metadata.b).toBeUndefined();
    const messages = await call("GET", `${ZEP}/${id}/memory`);
    expect(JSON.stringify(messages.json.messages)).not.toContain("more");
  });

  it("DELETE removes the session: GET is 404 afterwards", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, { body: zepMemory("a", "b") });
    const del = await call("DELETE", `${ZEP}/${id}/memory`);
    expect(del.status).toBe(200);
    expect((await call("GET", `${ZEP}/${id}/memory`)).status).toBe(404);
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
  });

  it("a client uuid makes a message idempotent", async () => {
    const id = freshId("zep");
    const body = {
      messages: [{ uuid: "6f1c2f8e-0b7a-4c1e-9d2a-1b2c3d4e5f60", role: "Human", content: "once" }],
    };
    await call("POST", `${ZEP}/${id}/memory`, { body });
    await call("POST", `${ZEP}/${id}/memory`, { body });
    const got = await call("GET", `${ZEP}/${id}/memory`);
    expect(got.json.messages).toHaveLength(1);
    expect(got.json.messages[0].uuid).toBe("6f1c2f8e-0b7a-4c1e-9d2a-1b2c3d4e5f60");
  });

  it("a refused write changes nothing: no summary, no metadata, no message", async () => {
    const id = freshId("zep");
    const uuid = "0d6c2f8e-0b7a-4c1e-9d2a-1b2c3d4e5f61";
    await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: [{ uuid, role: "Human", content: "first" }],
        summary: { content: "Kept summary." },
        metadata: { channel: "web" },
      },
    });
    const before = await call("GET", `${ZEP}/${id}/memory`);
    const refused = await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: [
          { role: "AI", content: "new" },
          { uuid, role: "Human", content: "other content, same uuid" },
        ],
        summary: { content: "" },
        metadata: { channel: "sms" },
      },
    });
    expect(refused.status, refused.text).toBe(409);
    const after = await call("GET", `${ZEP}/${id}/memory`);
    expect(after.json).toEqual(before.json);
    expect(after.json.summary.content).toBe("Kept summary.");
    expect((await call("GET", `${ZEP}/${id}`)).json.metadata).toEqual({ channel: "web" });
  });

  it("a refused first write leaves no session behind", async () => {
    const id = freshId("zep");
    const refused = await call("POST", `${ZEP}/${id}/memory`, {
      body: {
        messages: [
          { uuid: "same", role: "Human", content: "one" },
          { uuid: "same", role: "Human", content: "two" },
        ],
        summary: { content: "Should not stay." },
      },
    });
    expect(refused.status, refused.text).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await call("GET", `${ZEP}/${id}/memory`)).status).toBe(404);
  });

  it("search answers messages with a similarity", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, {
      body: zepMemory("My flight to Lisbon leaves Tuesday", "Have a good trip"),
    });
    const res = await call("POST", `${ZEP}/${id}/search?limit=5`, { body: { text: "Lisbon" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json[0].message.content).toContain("Lisbon");
    expect(res.json[0].dist).toBeGreaterThan(0);
    expect(
      (await call("POST", `${ZEP}/${freshId("zep")}/search`, { body: { text: "x" } })).status,
    ).toBe(404);
  });

  it("a bad search limit is 400 naming limit (it named lastn)", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, { body: zepMemory("Lisbon", "ok") });
    for (const limit of ["abc", "101", "-1", "1.5"]) {
      const res = await call("POST", `${ZEP}/${id}/search?limit=${limit}`, { body: { text: "x" } });
      expect(res.status, limit).toBe(400);
      expect(res.text.split("\n"), limit).toContain("limit: must be an integer from 1 to 100");
    }
    expect(
      (await call("POST", `${ZEP}/${id}/search?limit=100`, { body: { text: "Lisbon" } })).status,
    ).toBe(200);
  });

  it("sessions can be added and read", async () => {
    const id = freshId("zep");
    const add = await call("POST", ZEP, {
      body: { session_id: id, metadata: { a: 1 }, user_id: "jim" },
    });
    expect(add.status, add.text).toBe(201);
    const got = await call("GET", `${ZEP}/${id}`);
    expect(got.json).toMatchObject({ session_id: id, metadata: { a: 1 }, user_id: "jim" });
    expect((await call("GET", `${ZEP}/${freshId("zep")}`)).status).toBe(404);
  });

  it("answers bad input with 4xx, never 500", async () => {
    const id = freshId("zep");
    for (const body of [
      "{oops",
      { messages: [{ content: "no role" }] },
      { messages: [{ role: "Human", content: 1 }] },
      { messages: "x" },
      { messages: [{ role: "Human", content: "x", metadata: "not an object" }] },
      { summary: { content: 5 } },
      { messages: Array.from({ length: 101 }, () => ({ role: "Human", content: "x" })) },
    ]) {
      const res = await call("POST", `${ZEP}/${id}/memory`, { body });
      expect(res.status, `${JSON.stringify(body).slice(0, 60)} → ${res.text}`).toBe(400);
    }
    expect((await call("GET", `/v1/conversations/${id}`)).status).toBe(404);
    expect((await call("GET", `${ZEP}/${encodeURIComponent("bad id")}/memory`)).status).toBe(400);
  });
});

describe("Zep auth", () => {
  it("a bad or missing key is exactly 401; the root key 403", async () => {
    const path = `${ZEP}/${freshId("zep")}/memory`;
    expect((await call("GET", path, { key: null })).status).toBe(401);
    expect((await call("GET", path, { key: "wrong" })).status).toBe(401);
    expect((await call("POST", path, { key: "wrong", body: zepMemory("a", "b") })).status).toBe(
      401,
    );
    expect((await call("GET", path, { key: ROOT })).status).toBe(403);
  });

  it("keeps tenants apart", async () => {
    const id = freshId("zep");
    await call("POST", `${ZEP}/${id}/memory`, { body: zepMemory("alpha", "only") });
    expect((await call("GET", `${ZEP}/${id}/memory`, { key: BETA })).status).toBe(404);
  });
});
