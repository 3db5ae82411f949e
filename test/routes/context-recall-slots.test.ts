import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

/**
 * A query that the newest turns match best: those hits are sent as recent turns, never
 * recalled, so they must take neither the places of the word ranking (`recall` × 2 + 8)
 * nor the fused candidate slots (`recall` × 3) that an older match needs. With
 * `recall: 2` those are twelve and six, and sixteen recent turns outrank the old one.
 */
describe("recall candidates next to recent hits", () => {
  const OLD = "Zebra sightings from the old safari trip are in the blue notebook.";

  async function conversation(userId?: string) {
    const id = freshId("slots");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 256, userId } });
    const filler = Array.from({ length: 40 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Turn ${i}: the weather and the train timetable again.`,
    }));
    const recent = Array.from({ length: 16 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `Zebra quartz batch ${i} is logged.`,
    }));
    const messages = [{ role: "user", content: OLD }, ...filler, ...recent];
    const appended = await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
    expect(appended.status, appended.text).toBe(201);
    return id;
  }

  it("recalls the old match although sixteen recent turns rank above it", async () => {
    const id = await conversation();
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 400, recall: 2, query: "zebra quartz", explain: true },
    });
    expect(res.status, res.text).toBe(200);
    const recentTexts = res.json.messages
      .filter((m: { role: string }) => m.role !== "system")
      .map((m: { content: string }) => m.content);
    // The sixteen matching turns are all recent turns (the premise), and the old match is not.
    for (let i = 0; i < 16; i++)
      expect(recentTexts).toContain(`Zebra quartz batch ${i} is logged.`);
    expect(recentTexts).not.toContain(OLD);
    expect(res.json.recalled.map((r: { text: string }) => r.text)).toContain(OLD);
    const candidates = res.json.explain.candidates;
    const byRecent = candidates.filter((c: { reason: string | null }) => c.reason === "recent");
    // Of the recent hits the fusion keeps as many as the older ones: `recall` × 3.
    expect(byRecent).toHaveLength(6);
    const old = candidates.find((c: { text: string }) => c.text === OLD);
    expect(old).toMatchObject({ packed: true, reason: null });
    expect(old.match.lexical).toBeGreaterThan(12);
  });

  it("scores the old match by its rank among older hits, level with the user's memories", async () => {
    const userId = freshId("slots-user");
    for (const text of ["Quartz watch needs a battery.", "Zebra crossing near the office."]) {
      const made = await call("POST", "/v1/memories", { body: { text, userId } });
      expect(made.status, made.text).toBe(201);
    }
    const id = await conversation(userId);
    const res = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 400, recall: 2, query: "zebra quartz", explain: true },
    });
    expect(res.status, res.text).toBe(200);
    const candidates: { kind: string; text: string; score: number; match: { lexical: number } }[] =
      res.json.explain.candidates;
    const at = (text: string) => candidates.findIndex((c) => c.text === text);
    // More than a dozen recent hits rank above the old match in the word ranking (its place
    // in `match`); scored there, both memories (first and second in theirs) outranked it.
    expect(candidates[at(OLD)]?.match.lexical).toBeGreaterThan(12);
    expect(candidates[at(OLD)]?.score).toBeCloseTo(1 / 61, 6);
    expect(at(OLD)).toBeLessThan(at("Quartz watch needs a battery."));
    expect(at(OLD)).toBeLessThan(at("Zebra crossing near the office."));
  });
});
