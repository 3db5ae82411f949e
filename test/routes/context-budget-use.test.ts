import { describe, expect, it } from "vitest";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

/** A new user's trip-planning chat: 26 short turns, about 880 tokens in all. */
const TRIP = [
  "Hi! I'm planning a week in Kyoto with my partner Marco in April.",
  "Lovely. Cherry blossom season is busy, so book early. What dates are you thinking?",
  "April 6 to 13. We land at Kansai at 7:40 in the morning.",
  "From Kansai, the Haruka express takes about 75 minutes to Kyoto Station.",
  "Should we get the JR pass?",
  "For Kyoto alone it rarely pays off; an ICOCA card covers local trains and buses.",
  "OK, ICOCA it is. Marco is vegetarian, is that hard in Kyoto?",
  "Not at all: shojin ryori, the Buddhist temple cuisine, is entirely plant-based.",
  "Great. Where should we stay, central but quiet?",
  "Look around Sanjo or Gion's back streets; a machiya townhouse is a nice treat.",
  "We booked a machiya near Sanjo for 6 nights, 180 euros a night.",
  "Good choice. Sanjo is walkable to Nishiki Market and the river.",
  "What are the must-sees for a first visit?",
  "Fushimi Inari early in the morning, Kiyomizu-dera, and the Arashiyama bamboo grove.",
  "Is a day trip to Nara worth it?",
  "Yes: 45 minutes by train, the deer park and Todai-ji fill a relaxed day.",
  "Let's do Nara on Thursday the 10th.",
  "Noted: Nara on April 10. Go early to avoid tour groups at Todai-ji.",
  "Any tea ceremony you'd recommend?",
  "Camellia near Kiyomizu runs small English-language ceremonies; book a week ahead.",
  "Booked Camellia for the 8th at 14:00.",
  "Perfect. That leaves the 9th for Arashiyama and the monkey park.",
  "What about the last evening?",
  "A kaiseki dinner in Pontocho; ask for the vegetarian course when booking.",
  "Great, I'll book Pontocho for the 12th. Thanks!",
  "Enjoy Kyoto, and have a lovely trip with Marco!",
];

describe("context spends the budget on what answers, and sends nothing twice", () => {
  it("a short chat that fits: all 26 turns verbatim, in order, no summary, not truncated", async () => {
    const id = freshId("trip");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 400 } });
    const messages = TRIP.map((content, i) => ({
      role: i % 2 ? "assistant" : "user",
      content,
    }));
    const appended = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages },
    });
    expect(appended.status).toBe(201);
    // Older turns spilled; the alarm writes them to KV and folds them into the summary.
    expect(appended.json.conversation.archivedMessages).toBeGreaterThan(0);
    await runDueWork(id);
    await runDueWork(id);
    const described = await call("GET", `/v1/conversations/${id}`);
    expect(described.json.summary.text).toBeTruthy();

    const context = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 1500 },
    });
    expect(context.status).toBe(200);
    expect(context.json.messages).toEqual(messages);
    expect(context.json.summary).toBeNull();
    expect(context.json.truncated).toBe(false);
    expect(context.json.usage.total).toBeLessThanOrEqual(1500);
    expect(context.json.usage.summary).toBe(0);
  });

  it("a longer chat: no message text appears twice, and truncated says a turn is missing", async () => {
    const id = freshId("trip-long");
    // The extractive summary quotes sentences of the messages it covers.
    await call("PUT", `/v1/conversations/${id}`, {
      body: { workingTokens: 300, summary: { strategy: "extractive" } },
    });
    // Each text once, and none inside another: "(3) …" is no part of "(13) …".
    const messages = [...TRIP, ...TRIP].map((text, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: `(${i}) ${text}`,
    }));
    await call("POST", `/v1/conversations/${id}/messages`, { body: { messages } });
    await runDueWork(id);
    await runDueWork(id);
    expect((await call("GET", `/v1/conversations/${id}`)).json.summary.text).toContain("(");
    const context = await call("POST", `/v1/conversations/${id}/context`, {
      body: { maxTokens: 900, query: "Where did we book the tea ceremony, and when?" },
    });
    expect(context.status).toBe(200);
    const sent = context.json.messages.map((m: { content: string }) => m.content).join("\n");
    for (const { content } of messages) {
      const times = sent.split(content).length - 1;
      expect(times, content).toBeLessThanOrEqual(1);
    }
    expect(sent).toContain("Booked Camellia for the 8th at 14:00.");
    expect(context.json.truncated).toBe(true);
  });
});
