import { beforeAll, describe, expect, it } from "vitest";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";
import { runIndexWork, setEmbedder } from "../helpers/semantic";

/**
 * Paraphrase recall with the real local model (Universal Sentence Encoder lite): a memory
 * and an archived message found by queries that share no word with them — which words
 * alone cannot do — through search and through /context.
 */
const user = freshId("user");
const conversation = freshId();
const MEMORY = "Marco is vegetarian";
const MEMORY_QUERY = "Any good restaurant ideas for dinner in Gion?";
const ARCHIVED = "I'm terrified of flying, so we always take the train";
const ARCHIVED_QUERY = "airplane anxiety";

const fillers = [
  "The quarterly report is due on Friday",
  "I bought a new bicycle last week",
  "My laptop battery died again",
  "Remind me to call the dentist",
  "Our cat knocked the vase off the shelf",
  "The printer on the third floor is jammed",
  "Let's meet at the office at nine",
  "My favourite band released an album",
];

beforeAll(async () => {
  await setEmbedder("ok");
  expect(
    (
      await call("PUT", `/v1/conversations/${conversation}`, {
        body: { userId: user, workingTokens: 256 },
      })
    ).status,
  ).toBe(201);
  for (const text of [MEMORY, ...fillers.slice(0, 3)]) {
    expect((await call("POST", "/v1/memories", { body: { text, userId: user } })).status).toBe(201);
  }
  const messages = [ARCHIVED, ...Array.from({ length: 6 }, () => fillers).flat()].map(
    (content, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: `${content}.`,
    }),
  );
  const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
    body: { messages },
  });
  expect(appended.status).toBe(201);
  await runDueWork(conversation);
  await runDueWork(conversation);
  await runIndexWork(user);
});

describe("paraphrase recall with the local model", () => {
  it("the first message has left working memory", async () => {
    const page = await call("GET", `/v1/conversations/${conversation}/messages?limit=1`);
    expect(page.json.messages[0].content).toBe(`${ARCHIVED}.`);
    expect(page.json.messages[0].tier).toBe("archived");
  });

  it("conversation search finds the archived message by meaning, not by words", async () => {
    const lexical = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: ARCHIVED_QUERY, mode: "lexical" },
    });
    expect(lexical.status).toBe(200);
    expect(lexical.json.results.map((r: any) => r.message.seq)).not.toContain(1);

    const hybrid = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: ARCHIVED_QUERY, limit: 3 },
    });
    expect(hybrid.status).toBe(200);
    expect(hybrid.json.results[0].message.seq).toBe(1);
    expect(hybrid.json.results[0].match).toEqual({ lexical: null, semantic: 1 });

    const semantic = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: ARCHIVED_QUERY, mode: "semantic", limit: 3 },
    });
    expect(semantic.json.results[0].message.seq).toBe(1);
    expect(semantic.json.results[0].score).toBeGreaterThan(0.3);
  });

  it("memory search finds the memory by meaning, not by words", async () => {
    const lexical = await call("POST", "/v1/memories/search", {
      body: { query: MEMORY_QUERY, userId: user, mode: "lexical" },
    });
    expect(lexical.status).toBe(200);
    expect(lexical.json.results.map((r: any) => r.memory.text)).not.toContain(MEMORY);

    const hybrid = await call("POST", "/v1/memories/search", {
      body: { query: MEMORY_QUERY, userId: user },
    });
    expect(hybrid.status).toBe(200);
    expect(hybrid.json.results[0].memory.text).toBe(MEMORY);
    expect(hybrid.json.results[0].match).toEqual({ lexical: null, semantic: 1 });
  });

  it("a hit found both ways says so, with both ranks", async () => {
    const found = await call("POST", "/v1/memories/search", {
      body: { query: "Is Marco vegetarian?", userId: user },
    });
    expect(found.json.results[0].memory.text).toBe(MEMORY);
    expect(found.json.results[0].match).toEqual({ lexical: 1, semantic: 1 });
  });

  it("/context recalls the memory and the archived message for queries sharing no word", async () => {
    const forMemory = await call("POST", `/v1/conversations/${conversation}/context`, {
      body: { query: MEMORY_QUERY, maxTokens: 400, recallTokens: 150, explain: true },
    });
    expect(forMemory.status).toBe(200);
    const memory = forMemory.json.recalled.find((r: any) => r.kind === "memory");
    expect(memory?.text).toBe(MEMORY);
    expect(memory?.match.semantic).toBe(1);
    const note = forMemory.json.messages.find((m: any) => m.role === "system");
    expect(note.content).toContain(MEMORY);

    const forMessage = await call("POST", `/v1/conversations/${conversation}/context`, {
      body: { query: ARCHIVED_QUERY, maxTokens: 400, recallTokens: 150, explain: true },
    });
    const message = forMessage.json.recalled.find((r: any) => r.kind === "message");
    expect(message?.seq).toBe(1);
    expect(message?.match).toEqual({ lexical: null, semantic: 1 });
    const candidate = forMessage.json.explain.candidates.find((c: any) => c.seq === 1);
    expect(candidate.match.semantic).toBe(1);
    expect(candidate.packed).toBe(true);
  });

  it("lexical /context recalls neither", async () => {
    const context = await call(
      "GET",
      `/v1/conversations/${conversation}/context?query=${encodeURIComponent(ARCHIVED_QUERY)}&mode=lexical`,
    );
    expect(context.status).toBe(200);
    expect(context.json.recalled.map((r: any) => r.seq)).not.toContain(1);
  });
});
