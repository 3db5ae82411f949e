import { describe, expect, it } from "vitest";
import { SUMMARY_MAX_BACKLOG } from "../../../src/durable/conversation/summary";
import { runDueWork, sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

const base = (id: string) => `/v1/conversations/${id}`;

async function chat(id: string, lines: string[]) {
  const messages = lines.map((content, i) => ({ role: i % 2 ? "assistant" : "user", content }));
  for (let i = 0; i < messages.length; i += 100) {
    const res = await call("POST", `${base(id)}/messages`, {
      body: { messages: messages.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(201);
  }
}

const filler = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `Turn ${i}: we talked about the weather and some music today.`,
  );

async function progress(id: string) {
  const [row] = await sqlOf<{
    summarized_through: number;
    archived_through: number;
    summary: string | null;
  }>(id, "SELECT summarized_through, archived_through, summary FROM conversation");
  return row as { summarized_through: number; archived_through: number; summary: string | null };
}

describe("running summary", () => {
  it("uses the configured model for `auto` (an OpenAI-compatible server the suite starts)", async () => {
    const id = freshId("sum");
    await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256 } });
    await chat(id, filler(60));
    await runDueWork(id);
    const conv = (await call("GET", base(id))).json;
    expect(conv.summary.strategy).toBe("auto");
    expect(conv.summary.text).toMatch(/^Model summary of \d+ lines\.$/);
  });

  it("turns facts the user stated into memories of the user, once, with their source", async () => {
    const id = freshId("facts");
    const userId = freshId("fact-user");
    await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256, userId } });
    await call("POST", `${base(id)}/messages`, {
      body: {
        messages: [
          { role: "user", content: "Please remember: I am vegetarian.", id: "veg" },
          { role: "assistant", content: "Noted, no meat in recipes." },
        ],
      },
    });
    await chat(id, filler(60));
    await runDueWork(id);
    await sqlOf(
      id,
      "INSERT INTO due_work (kind, due_at) VALUES ('summarize', 0) ON CONFLICT DO NOTHING",
    );
    await sqlOf(id, "UPDATE conversation SET summarized_through = 0");
    await runDueWork(id); // the same messages again: no second memory
    const listed = await call("GET", `/v1/memories?userId=${userId}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.memories).toHaveLength(1);
    expect(listed.json.memories[0]).toMatchObject({
      text: "The user says: I am vegetarian.",
      userId,
      metadata: { source: { conversationId: id, messageIds: ["veg"] } },
    });
  });

  it("folds what leaves working memory into the summary, off the request path, within its size", async () => {
    const id = freshId("sum");
    await call("PUT", base(id), {
      body: {
        tokenizer: "approx",
        workingTokens: 256,
        summary: { strategy: "extractive", maxTokens: 60 },
      },
    });
    await chat(id, ["My daughter Lena starts school in Porto on 3 September.", ...filler(80)]);
    // The append answered before any summary existed: summarizing is the alarm's job.
    expect((await progress(id)).summary).toBeNull();
    await runDueWork(id);
    const after = await progress(id);
    expect(after.summarized_through).toBe(after.archived_through);
    expect(after.archived_through).toBeGreaterThan(0);
    const conv = (await call("GET", base(id))).json;
    expect(conv.summary.text).toContain("Lena");
    expect(conv.stats.summaryTokens).toBeGreaterThan(0);
    expect(conv.stats.summaryTokens).toBeLessThanOrEqual(60);

    const context = await call("GET", `${base(id)}/context?recall=0&maxTokens=400`);
    expect(context.json.summary).toBe(conv.summary.text);
    expect(context.json.messages[0].content).toContain(conv.summary.text);
    expect(context.json.usage.summary).toBeGreaterThan(0);
  });

  it("folds only the newest part of a backlog longer than SUMMARY_MAX_BACKLOG (a bulk import)", async () => {
    const id = freshId("import");
    await call("PUT", base(id), {
      body: { tokenizer: "approx", workingTokens: 256, summary: { strategy: "off" } },
    });
    await chat(id, filler(SUMMARY_MAX_BACKLOG + 600));
    const imported = await progress(id);
    expect(imported.summarized_through).toBe(0);
    expect(imported.archived_through).toBeGreaterThan(SUMMARY_MAX_BACKLOG + 400);

    await call("PUT", base(id), { body: { summary: { strategy: "extractive" } } });
    await sqlOf(
      id,
      "INSERT INTO due_work (kind, due_at) VALUES ('summarize', 0) ON CONFLICT DO NOTHING",
    );
    await runDueWork(id);
    // The first batch (200 messages) starts SUMMARY_MAX_BACKLOG before the newest archived one.
    const first = await progress(id);
    expect(first.summarized_through).toBe(imported.archived_through - SUMMARY_MAX_BACKLOG + 200);

    for (
      let run = 0;
      run < SUMMARY_MAX_BACKLOG / 200 &&
      (await progress(id)).summarized_through < imported.archived_through;
      run++
    ) {
      await runDueWork(id);
    }
    const done = await progress(id);
    expect(done.summarized_through).toBe(imported.archived_through);
    expect(done.summary).toContain("Turn");
  }, 60_000);

  it("an alarm that runs twice or fails midway neither skips nor repeats a message", async () => {
    const id = freshId("sum");
    await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256 } });
    await chat(id, filler(60));
    // Move everything archived out to KV first, with summarizing held back …
    await sqlOf(id, "DELETE FROM due_work WHERE kind = 'summarize'");
    await runDueWork(id);
    await sqlOf(id, "UPDATE segments SET written_at = 0");
    await runDueWork(id);
    // … then let the summary's read of KV fail: the summary must not advance.
    await withObject(id, (instance) => {
      const real = instance.archive;
      instance.archive = { ...real, getMany: async () => Promise.reject(new Error("injected")) };
      (globalThis as any).__realArchive = real;
    });
    await sqlOf(id, "INSERT INTO due_work (kind, due_at) VALUES ('summarize', 0)");
    await runDueWork(id);
    const stuck = await progress(id);
    expect(stuck.summarized_through).toBe(0);
    expect(stuck.summary).toBeNull();
    const [retry] = await sqlOf<{ attempts: number }>(
      id,
      "SELECT attempts FROM due_work WHERE kind = 'summarize'",
    );
    expect(retry?.attempts).toBe(1);
    await withObject(id, (instance) => {
      instance.archive = (globalThis as any).__realArchive;
    });
    await runDueWork(id);
    const done = await progress(id);
    expect(done.summarized_through).toBe(done.archived_through);
    await runDueWork(id);
    await runDueWork(id);
    expect(await progress(id)).toEqual(done);
  });

  it("takes a summary text from the client, and strategy off keeps it as set", async () => {
    const id = freshId("sum");
    await call("PUT", base(id), { body: { tokenizer: "approx", workingTokens: 256 } });
    await chat(id, filler(40));
    await runDueWork(id);
    const set = await call("PUT", base(id), {
      body: { summary: { strategy: "off", text: "Ana likes jazz and lives in Lisbon." } },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json.summary).toMatchObject({
      strategy: "off",
      text: "Ana likes jazz and lives in Lisbon.",
    });
    expect(set.json.stats.summaryTokens).toBe(
      Math.ceil("Ana likes jazz and lives in Lisbon.".length / 4),
    );
    await chat(id, filler(40));
    await runDueWork(id);
    expect((await call("GET", base(id))).json.summary.text).toBe(
      "Ana likes jazz and lives in Lisbon.",
    );

    const cleared = await call("PUT", base(id), { body: { summary: { text: null } } });
    expect(cleared.json.summary.text).toBeNull();
    expect(cleared.json.stats.summaryTokens).toBe(0);
  });

  it.each([
    [{ summary: { strategy: "llm" } }, "summary.strategy"],
    [{ summary: { maxTokens: 5 } }, "summary.maxTokens"],
    [{ summary: { other: 1 } }, "summary.other"],
    [{ summary: "text" }, "summary"],
  ])("rejects %j naming %s", async (body, field) => {
    const res = await call("PUT", base(freshId("sum")), { body });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: any) => e.path)).toContain(field);
  });
});
