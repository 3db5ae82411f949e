import { beforeAll, describe, expect, it } from "vitest";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";
import { setEmbedder } from "../helpers/semantic";

/**
 * The vector side of `context-recall-slots.test.ts`, with the local model: twenty-eight
 * recent turns are nearer the query than an old paraphrase of it. They are sent as recent
 * turns, so they must neither take the twelve places of the vector ranking (`recall: 2`)
 * nor set the scale an older hit has to stand out on (without the second, the old hit
 * ranks but falls under the cutoff, its similarity below the recent ones' median).
 */
const conversation = freshId("slots-semantic");
const ARCHIVED = "I'm terrified of flying, so we always take the train.";
const QUERY = "airplane anxiety";
const RECENT = Array.from({ length: 28 }, (_, i) => `Airplane anxiety note ${i}: breathe slowly.`);

beforeAll(async () => {
  await setEmbedder("ok");
  const created = await call("PUT", `/v1/conversations/${conversation}`, {
    body: { workingTokens: 500 },
  });
  expect(created.status).toBe(201);
  const filler = Array.from({ length: 60 }, (_, i) => `Turn ${i}: the printer on the third floor.`);
  const messages = [ARCHIVED, ...filler, ...RECENT].map((content, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content,
  }));
  const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
    body: { messages },
  });
  expect(appended.status).toBe(201);
  await runDueWork(conversation);
  await runDueWork(conversation);
});

describe("recall by meaning next to recent hits", () => {
  it("recalls the old paraphrase although twenty-eight recent turns are nearer the query", async () => {
    const first = await call("GET", `/v1/conversations/${conversation}/messages?limit=1`);
    expect(first.json.messages[0]).toMatchObject({ content: ARCHIVED, tier: "archived" });

    const res = await call("POST", `/v1/conversations/${conversation}/context`, {
      body: { maxTokens: 800, recall: 2, query: QUERY, mode: "semantic", explain: true },
    });
    expect(res.status, res.text).toBe(200);
    const recentTexts = res.json.messages
      .filter((m: { role: string }) => m.role !== "system")
      .map((m: { content: string }) => m.content);
    for (const text of RECENT) expect(recentTexts).toContain(text);
    // The old turn is in the recall note: as the hit, or beside the hit that found it (the
    // next turn, whose exchange vector holds it).
    const note = res.json.messages.find((m: { role: string }) => m.role === "system");
    expect(note?.content ?? "").toContain(ARCHIVED);
    const hit = res.json.recalled.find(
      (r: { passage: { fromSeq: number } }) => r.passage.fromSeq <= 1,
    );
    // The premise: more recent turns than the ranking has places (twelve) rank above it; the
    // fusion keeps `recall` × 3 of them as candidates, beside as many older ones.
    expect(hit.match.semantic).toBeGreaterThan(12);
    const nearer = res.json.explain.candidates.filter(
      (c: { text: string; match: { semantic: number | null } }) =>
        RECENT.includes(c.text) &&
        c.match.semantic !== null &&
        c.match.semantic < hit.match.semantic,
    );
    expect(nearer).toHaveLength(6);
  });
});
