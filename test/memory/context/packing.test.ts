import { describe, expect, it } from "vitest";
import { RECALL_SHARE } from "../../../src/memory/context/packing";
import type { RecentTurn } from "../../../src/memory/context/types";
import { loadTokenCounter } from "../../../src/memory/tokens";
import { tokenTables } from "../../helpers/token-tables";
import {
  archived,
  archivedTurns,
  memory,
  pack,
  packed,
  pinned,
  recount,
  turn,
  turns,
  words,
} from "./packing-fixtures";

describe("packContext: rules by example", () => {
  it("fails on maxTokens when the pinned messages alone do not fit", () => {
    const result = pack({ pinned: [pinned("one two three four five")], maxTokens: 7 });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: "invalid_request", path: "maxTokens" });
    // Exactly enough: 5 words + 3 overhead.
    expect(pack({ pinned: [pinned("one two three four five")], maxTokens: 8 }).ok).toBe(true);
  });

  it("counts +1 for a name", () => {
    const result = pack({ pinned: [pinned("a b", "Ana")], maxTokens: 5 });
    expect(result.ok).toBe(false);
    expect(packed({ pinned: [pinned("a b", "Ana")], maxTokens: 6 }).usage.pinned).toBe(6);
  });

  it("omits the system message when there is neither summary nor recall", () => {
    const context = packed({ pinned: [pinned("be nice")], recentNewestFirst: turns(2) });
    expect(context.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    expect(context.messages[0]?.content).toBe("be nice");
    expect(context.usage).toMatchObject({ summary: 0, recalled: 0, pinned: 5, recent: 16 });
    expect(context.summary).toBeNull();
  });

  it("puts pinned first, then one note with summary and recall, then recent turns in order", () => {
    const context = packed({
      pinned: [pinned("be nice")],
      summary: "user likes tea",
      recalled: [archived(1, "I was born in Porto"), memory("k1", "likes green tea")],
      recentNewestFirst: [turn(9, "newest"), turn(8, "older")],
      olderTurns: true,
    });
    expect(context.messages.map((m) => m.content)).toEqual([
      "be nice",
      [
        "Summary of the conversation so far:",
        "user likes tea",
        "",
        "Earlier messages that may be relevant:",
        "[2026-11-20]",
        "user: I was born in Porto",
        "",
        "Memories that may be relevant:",
        "- likes green tea",
      ].join("\n"),
      "older",
      "newest",
    ]);
    expect(context.recalled).toEqual([
      {
        kind: "message",
        id: "m1",
        seq: 1,
        text: "I was born in Porto",
        score: 1,
        passage: { fromSeq: 1, toSeq: 1 },
      },
      { kind: "memory", id: "k1", text: "likes green tea", score: 1 },
    ]);
    // Summary part: the note with the summary alone (heading 6 + 3 words) + 3 overhead.
    expect(context.usage.summary).toBe(12);
    expect(context.usage.total).toBe(recount(context.messages, words));
  });

  it("charges the whole note to recall when there is no summary", () => {
    const context = packed({ recalled: [memory("k1", "likes tea")] });
    // "Memories that may be relevant:" (5) + "- likes tea" (3) + 3 overhead.
    expect(context.usage).toMatchObject({ summary: 0, recalled: 5 + 3 + 3, total: 11 });
  });

  it("honours recallTokens, overhead included", () => {
    const recalled = Array.from({ length: 10 }, (_, i) => memory(`k${i}`, `fact number ${i}`));
    // Note: heading (5) + n lines of 4 words ("- fact number 3") + 3 overhead.
    expect(packed({ recalled, recallTokens: 15 }).recalled).toHaveLength(1);
    expect(packed({ recalled, recallTokens: 16 }).recalled).toHaveLength(2);
    expect(packed({ recalled, recallTokens: 11 }).recalled).toHaveLength(0);
    expect(packed({ recalled, recallTokens: 0 }).recalled).toHaveLength(0);
    const capped = packed({ recalled, recallTokens: 16, recentNewestFirst: turns(500) });
    expect(capped.usage.recalled).toBe(16);
    expect(capped.usage.total).toBeLessThanOrEqual(1000);
  });

  it("honours the recall limit", () => {
    const recalled = Array.from({ length: 10 }, (_, i) => memory(`k${i}`, `fact ${i}`));
    expect(packed({ recalled, recallLimit: 3 }).recalled.map((r) => r.id)).toEqual([
      "k0",
      "k1",
      "k2",
    ]);
  });

  it("gives recall a quarter by default and up to a half for strong matches", () => {
    const recalled = Array.from({ length: 100 }, (_, i) => memory(`k${i}`, `a b c ${i}`));
    const base = { recalled, recentNewestFirst: turns(400), maxTokens: 1000 };
    const weak = packed(base);
    const strong = packed({ ...base, recallStrength: 1 });
    expect(weak.usage.recalled).toBeLessThanOrEqual(1000 * RECALL_SHARE.base);
    expect(weak.usage.recalled).toBeGreaterThan(1000 * RECALL_SHARE.base - 10);
    expect(strong.usage.recalled).toBeLessThanOrEqual(1000 * RECALL_SHARE.max);
    expect(strong.usage.recalled).toBeGreaterThan(1000 * RECALL_SHARE.max - 10);
    expect(strong.usage.recent).toBeLessThan(weak.usage.recent);
  });

  it("lets unused recall budget flow to recent turns, and the reverse", () => {
    const noRecall = packed({ recentNewestFirst: turns(400), maxTokens: 1000 });
    expect(noRecall.usage.recent).toBe(1000); // 125 turns of 8
    expect(noRecall.truncated).toBe(true);
    const recalled = Array.from({ length: 300 }, (_, i) => memory(`k${i}`, `a b c ${i}`));
    const fewTurns = packed({ recalled, recentNewestFirst: turns(3), maxTokens: 1000 });
    expect(fewTurns.usage.recent).toBe(24);
    expect(fewTurns.usage.recalled).toBeGreaterThan(900);
    expect(fewTurns.truncated).toBe(false);
  });

  it("never recalls a message that is a recent turn, nor a pinned one", () => {
    const context = packed({
      pinned: [{ ...pinned("rules"), seq: 1 }],
      recalled: [archived(1, "rules"), archived(9, "w9"), archived(3, "old fact")],
      recentNewestFirst: turns(10, 1),
      recallTokens: 20,
      maxTokens: 40,
    });
    expect(context.recalled.map((r) => r.seq)).toEqual([3]);
  });

  it("stops recent turns at a recalled one so they stay contiguous", () => {
    // Recall is chosen before the recent turns reach seq 5; recent turns stop there.
    const context = packed({
      recalled: [archived(5, "w5")],
      recentNewestFirst: turns(10, 1),
      recallTokens: 30,
      maxTokens: 50,
    });
    expect(context.recalled.map((r) => r.seq)).toEqual([5]);
    expect(context.messages.slice(1).map((m) => m.content)).toEqual([
      "w6",
      "w7",
      "w8",
      "w9",
      "w10",
    ]);
    // Part of the message is left out.
    expect(context.truncated).toBe(true);
  });

  it("keeps the newest turn ahead of the summary and recall", () => {
    const context = packed({
      summary: "a long summary of many many words that will not fit",
      recalled: [memory("k", "fact")],
      recentNewestFirst: [turn(2, "what is my name")],
      maxTokens: 12,
    });
    expect(context.summary).toBeNull();
    expect(context.messages).toEqual([{ role: "assistant", content: "what is my name" }]);
    expect(context.truncated).toBe(false);
  });

  it("sets truncated only when older turns were left out", () => {
    expect(packed({ recentNewestFirst: turns(3), maxTokens: 24 }).truncated).toBe(false);
    expect(packed({ recentNewestFirst: turns(3), maxTokens: 23 }).truncated).toBe(true);
    expect(packed({ recentNewestFirst: turns(3), maxTokens: 1 }).messages).toEqual([]);
  });

  it("reads recent turns lazily and closes the stream", () => {
    let read = 0;
    let closed = false;
    function* stream() {
      try {
        for (let seq = 1_000_000; seq > 0; seq--) {
          read++;
          yield turn(seq, "x y z");
        }
      } finally {
        closed = true;
      }
    }
    const context = packed({ recentNewestFirst: stream(), maxTokens: 600 });
    expect(context.usage.recent).toBe(600);
    expect(read).toBeLessThan(110);
    expect(closed).toBe(true);
  });

  it("accounts exactly with a real tokenizer", async () => {
    const count = await loadTokenCounter("o200k_base", tokenTables);
    const real = (seq: number, content: string, name?: string): RecentTurn => ({
      seq,
      role: seq % 2 ? "user" : "assistant",
      content,
      tokens: count(content),
      ...(name ? { name } : {}),
    });
    const recent = Array.from({ length: 60 }, (_, i) =>
      real(200 - i, `Turn ${200 - i}: Привет! The café costs €4.50 — 今日は. <|endoftext|>`, "Ana"),
    );
    const context = packed({
      pinned: [{ role: "system", content: "You are helpful.", tokens: count("You are helpful.") }],
      summary: "The user, Ana, lives in Lisbon and has a dog called Miso.",
      recalled: [archived(12, "My flight is on 2026-12-03 at 07:15."), memory("k", "Ana is vegan")],
      recentNewestFirst: recent,
      maxTokens: 700,
      count,
    });
    const { usage } = context;
    expect(usage.total).toBe(recount(context.messages, count));
    expect(usage.pinned + usage.summary + usage.recalled + usage.recent).toBe(usage.total);
    expect(usage.total).toBeLessThanOrEqual(700);
    expect(context.recalled).toHaveLength(2);
    // Part of the message is left out.
    expect(context.truncated).toBe(true);
  });

  it("leaves the summary out when every message it covers is in the context verbatim", () => {
    const recent = turns(6); // seqs 6..1, 8 tokens each
    const context = packed({
      summary: "user: w1 w1 w1 w1 w1.",
      summaryThrough: 2,
      recentNewestFirst: recent,
    });
    expect(context.summary).toBeNull();
    expect(context.messages).toHaveLength(6);
    expect(context.truncated).toBe(false);
    // The same summary is kept when it covers a message the context does not hold.
    const partial = packed({
      summary: "user: something said long ago.",
      summaryThrough: 2,
      recentNewestFirst: turns(6).slice(0, 4),
      olderTurns: true,
    });
    expect(partial.summary).toBe("user: something said long ago.");
    expect(partial.truncated).toBe(true);
  });

  it("passes over a tool exchange too large for any pass: the turns before it come, and the summary stays", () => {
    const call = { id: "t1", type: "function", function: { name: "forecast", arguments: "{}" } };
    const context = packed({
      maxTokens: 200,
      summary: "user: The table had four hundred rows.",
      summaryThrough: 5,
      recentNewestFirst: [
        turn(7, "where do I live", { role: "user" }),
        turn(6, "it stays sunny", { role: "assistant" }),
        turn(5, Array(400).fill("row").join(" "), { role: "tool", tool_call_id: "t1" }),
        turn(4, "", { role: "assistant", tool_calls: [call] as RecentTurn["tool_calls"] }),
        turn(3, "the forecast please", { role: "user" }),
        turn(2, "noted", { role: "assistant" }),
        turn(1, "I live in Porto", { role: "user" }),
      ],
    });
    expect(context.messages.map((m) => m.content)).toEqual([
      expect.stringContaining("The table had four hundred rows."),
      "I live in Porto",
      "noted",
      "the forecast please",
      "it stays sunny",
      "where do I live",
    ]);
    expect(context.truncated).toBe(true);
  });

  it("never passes over the newest tool exchange, which no answer follows yet (an agent mid-task)", () => {
    const call = { id: "t1", type: "function", function: { name: "forecast", arguments: "{}" } };
    const context = packed({
      maxTokens: 200,
      recentNewestFirst: [
        turn(4, Array(400).fill("row").join(" "), { role: "tool", tool_call_id: "t1" }),
        turn(3, "", { role: "assistant", tool_calls: [call] as RecentTurn["tool_calls"] }),
        turn(2, "the forecast please", { role: "user" }),
        turn(1, "hello", { role: "assistant" }),
      ],
    });
    // Without the tool's answer the model would only call the tool again.
    expect(context.messages).toEqual([]);
    expect(context.truncated).toBe(true);
  });

  it("drops from the summary the sentences the context quotes", () => {
    const context = packed({
      summary: "user: We fly on Friday. The hotel is booked.\nassistant: Pack light.",
      summaryThrough: 9,
      recentNewestFirst: [turn(12, "Pack light."), turn(11, "The hotel is booked.")],
      olderTurns: true,
    });
    expect(context.summary).toBe("user: We fly on Friday.");
    const text = context.messages.map((m) => m.content).join("\n");
    expect(text.match(/Pack light\./g)).toHaveLength(1);
    expect(text.match(/hotel is booked/g)).toHaveLength(1);
  });

  it("recalls passages: a hit with the turns around it, grouped by day, speakers named", () => {
    const said = (seq: number, content: string, day: string, name?: string) => ({
      seq,
      id: `m${seq}`,
      role: (name ? "user" : "assistant") as "user" | "assistant",
      name: name ?? null,
      content,
      createdAt: `${day}T10:00:00Z`,
    });
    const recallTurns = new Map(
      [
        said(3, "What did you name the puppy?", "2026-03-14", "Ana"),
        said(4, "Biscuit, after the colour of his ears.", "2026-03-14"),
        said(5, "Cute. Walk him twice a day.", "2026-03-14", "Ana"),
        said(20, "The vet visit is on Monday.", "2026-04-02", "Ana"),
        said(21, "I will remind you on Sunday.", "2026-04-02"),
      ].map((t) => [t.seq, t]),
    );
    const hit = (seq: number) => ({ ...archived(seq, recallTurns.get(seq)?.content ?? "") });
    const context = packed({
      recalled: [hit(3), hit(20)],
      recallTurns,
      recentNewestFirst: [turn(40, "so what is his name again")],
      olderTurns: true,
    });
    expect(context.messages[0]?.content).toBe(
      [
        "Earlier messages that may be relevant:",
        "[2026-03-14]",
        "Ana: What did you name the puppy?",
        "assistant: Biscuit, after the colour of his ears.",
        "[2026-04-02]",
        "Ana: The vet visit is on Monday.",
        "assistant: I will remind you on Sunday.",
      ].join("\n"),
    );
    expect(context.recalled.map((r) => [r.seq, r.passage])).toEqual([
      [3, { fromSeq: 3, toSeq: 4 }],
      [20, { fromSeq: 20, toSeq: 21 }],
    ]);
  });

  it("quotes the part of a hit too long for recall's room, flagged, and calls it truncated", () => {
    const filler = Array.from({ length: 60 }, (_, i) => `Line ${i} is about cables.`).join(" ");
    const long = `${filler} The router password is tangerine-42. ${filler}`;
    const recallTurns = archivedTurns([[7, long, "assistant"]]);
    const input = {
      recalled: [archived(7, long)],
      recallTurns,
      // The long turn is the one before the question: too long to be a recent turn here.
      recentNewestFirst: [turn(8, "what was the router password"), turn(7, long)],
      maxTokens: 200,
    };
    // Without the query's words the excerpt would start at the message's start.
    const context = packed({ ...input, query: "router password" });
    const note = context.messages[0]?.content ?? "";
    expect(note).toContain("The router password is tangerine-42.");
    expect(note).toContain("…");
    expect(note).not.toContain(long);
    expect(context.recalled).toMatchObject([{ seq: 7, excerpt: true }]);
    expect(context.recalled[0]?.text).toContain("tangerine-42");
    // Part of the message is left out.
    expect(context.truncated).toBe(true);
    expect(context.usage.total).toBeLessThanOrEqual(200);
    // A hit that fits whole is quoted whole, unflagged.
    const roomy = packed({
      ...input,
      query: "router password",
      maxTokens: 2000,
      recallTokens: 1500,
    });
    expect(roomy.recalled).toMatchObject([{ seq: 7, text: long }]);
    expect(roomy.recalled[0]).not.toHaveProperty("excerpt");
  });

  it("brings a long turn next to a hit as its edge, so the hit still comes with it cheaply", () => {
    const advice = Array.from({ length: 20 }, (_, i) => `Tip ${i}: keep the receipts.`).join(" ");
    const recallTurns = archivedTurns([
      [4, `Happy to help with that. ${advice}`],
      [5, "My gym locker code is 6435."],
      [6, `Good idea to write it down. ${advice}`],
    ]);
    const context = packed({
      recalled: [archived(5, "My gym locker code is 6435.")],
      recallTurns,
      recentNewestFirst: [turn(40, "what is my gym locker code")],
      olderTurns: true,
      maxTokens: 600,
      recallTokens: 300,
    });
    const note = context.messages[0]?.content ?? "";
    expect(note).toContain("My gym locker code is 6435.");
    // Before the hit, the end of the turn it follows; after it, the start of the reply.
    expect(note).toMatch(/assistant: … [^\n]*Tip 19: keep the receipts\.\nuser: My gym locker/);
    expect(note).toMatch(/6435\.\nassistant: Good idea to write it down\. [^\n]* …\n?/);
    expect(note).not.toContain(advice);
    expect(context.recalled).toMatchObject([{ seq: 5, passage: { fromSeq: 4, toSeq: 6 } }]);
    expect(context.recalled[0]).not.toHaveProperty("excerpt");
  });
});
