import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS } from "../../../src/durable/conversation/schema";
import { applyMigrations } from "../../../src/durable/sqlite/migrations";
import { messageDocuments, messageVectorModel } from "../../../src/memory/vectors/message-document";
import { sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import type { EmbedderMode } from "../../helpers/local-embedder";
import {
  embeddedTexts,
  indexSql,
  runConversationWork,
  runIndexWork,
  setEmbedder,
} from "../../helpers/semantic";

const lines = (tag: string) => [
  `Ravioli night at ${tag} was wonderful`,
  `The kettle at ${tag} whistles too loudly`,
  `We repainted the fence at ${tag} green`,
];

/** What the embedder is given for user messages of these texts, seqs from 1 (`messageDocuments`). */
const documents = (texts: string[]) =>
  texts.flatMap((content, i) => {
    const previous = texts[i - 1];
    return messageDocuments(
      { seq: i + 1, role: "user", content },
      previous === undefined ? undefined : { seq: i, role: "user", content: previous },
    ).map((d) => d.text);
  });

/**
 * Runs both objects' due work until `done` holds (at most 30 rounds). Their own alarms
 * fire too, at the times their backoff set: this only makes the work due sooner.
 */
async function workUntil(
  conversation: string,
  user: string,
  done: () => Promise<boolean>,
): Promise<void> {
  for (let round = 0; round < 30; round++) {
    if (await done()) return;
    await runConversationWork(conversation);
    await runIndexWork(user);
  }
  expect(await done()).toBe(true);
}

const attempts = async (rows: Promise<{ attempts: number }[]>) => (await rows)[0]?.attempts ?? 0;

/** Messages with a vector (a message's exchange has the negated id: `messageDocuments`). */
async function vectorCount(conversation: string): Promise<number> {
  const [row] = await sqlOf<{ n: number }>(
    conversation,
    "SELECT COUNT(DISTINCT ABS(id)) AS n FROM vectors",
  );
  return row?.n ?? 0;
}

/**
 * With the embedder failing in each way, writes succeed, search answers by words, and the
 * backlog waits in `due_work` with backoff; once the embedder is back, the next alarms
 * embed every message and memory exactly once.
 */
describe.each<EmbedderMode>(["down", "500", "hang", "wrong-dimension"])("embedder %s", (fault) => {
  it("writes succeed, search is lexical, and the backlog is caught up on recovery", async () => {
    const user = freshId("user");
    const conversation = freshId();
    const texts = lines(conversation);
    await setEmbedder(fault);
    const before = Date.now();

    const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: texts.map((content) => ({ role: "user", content })) },
    });
    expect(appended.status).toBe(201);
    await call("PUT", `/v1/conversations/${conversation}`, { body: { userId: user } });
    const memory = await call("POST", "/v1/memories", {
      body: { text: `The fence at ${conversation} is green`, userId: user },
    });
    expect(memory.status).toBe(201);

    // Each object's alarm tried, failed, and put the work off with backoff.
    await workUntil(conversation, user, async () => {
      const conversationTries = await attempts(
        sqlOf(conversation, "SELECT attempts FROM due_work WHERE kind = 'embed'"),
      );
      const indexTries = await attempts(
        indexSql(user, "SELECT attempts FROM due_work WHERE kind = 'embed'"),
      );
      return conversationTries >= 1 && indexTries >= 1;
    });
    expect(await vectorCount(conversation)).toBe(0);
    expect(await indexSql(user, "SELECT COUNT(*) AS n FROM vectors")).toEqual([{ n: 0 }]);
    const [work] = await sqlOf<{ due_at: number }>(
      conversation,
      "SELECT due_at FROM due_work WHERE kind = 'embed'",
    );
    expect(work?.due_at).toBeGreaterThan(before);

    const search = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "kettle" },
    });
    expect(search.status).toBe(200);
    expect(search.json.results.map((r: any) => r.message.content)).toEqual([texts[1]]);
    expect(search.json.results[0].match).toEqual({ lexical: 1, semantic: null });
    const memories = await call("POST", "/v1/memories/search", {
      body: { query: "fence", userId: user },
    });
    expect(memories.status).toBe(200);
    expect(memories.json.results).toHaveLength(1);
    const context = await call("POST", `/v1/conversations/${conversation}/context`, {
      body: { query: "fence" },
    });
    expect(context.status).toBe(200);

    await setEmbedder("ok");
    await workUntil(
      conversation,
      user,
      async () =>
        (await vectorCount(conversation)) === texts.length &&
        (await indexSql<{ n: number }>(user, "SELECT COUNT(*) AS n FROM vectors"))[0]?.n === 1,
    );
    const embedded = await embeddedTexts();
    for (const text of documents(texts)) expect(embedded[text]).toBe(1);
    expect(embedded[`The fence at ${conversation} is green`]).toBe(1);
    // Nothing is left to do, and running the alarm again embeds nothing twice.
    expect(await sqlOf(conversation, "SELECT kind FROM due_work WHERE kind = 'embed'")).toEqual([]);
    await runConversationWork(conversation);
    expect(Object.values(await embeddedTexts()).every((n) => n === 1)).toBe(true);

    const semantic = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "pasta dinner", mode: "semantic", limit: 1 },
    });
    expect(semantic.json.results[0].message.content).toBe(texts[0]);
    expect(semantic.json.results[0].match).toEqual({ lexical: null, semantic: 1 });
  });
});

describe("embedding lifecycle", () => {
  it("a model change re-embeds everything with the new model", async () => {
    await setEmbedder("ok");
    const conversation = freshId();
    const texts = lines(conversation);
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: texts.map((content) => ({ role: "user", content })) },
    });
    await runConversationWork(conversation);
    expect(await vectorCount(conversation)).toBe(3);
    // The vectors as an earlier model left them.
    await withObject(conversation, (_i, state) => {
      state.storage.sql.exec("UPDATE vector_state SET model = 'openai:an-older-model'");
    });
    await setEmbedder("ok");
    // A search (as after a deploy) notices the backlog; its vectors of another model are
    // never compared with the query's.
    const search = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "pasta dinner", mode: "semantic" },
    });
    expect(search.status).toBe(200);
    expect(search.json.results.every((r: any) => r.match.semantic === null)).toBe(true);
    await runConversationWork(conversation);
    const [state] = await sqlOf<{ model: string; through: number }>(
      conversation,
      "SELECT model, through FROM vector_state",
    );
    expect(state).toEqual({
      model: messageVectorModel("openai:universal-sentence-encoder-lite"),
      through: 3,
    });
    expect(await vectorCount(conversation)).toBe(3);
    const embedded = await embeddedTexts();
    for (const text of documents(texts)) expect(embedded[text]).toBe(1);
  });

  it("a conversation from before embeddings (migration 9 on its old schema) is backfilled", async () => {
    await setEmbedder("ok");
    const conversation = freshId();
    const texts = lines(conversation);
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: texts.map((content) => ({ role: "user", content })) },
    });
    // Back to the schema of before (migrations 1–8, no embed work), then upgraded as a
    // restarted object would be (whose memory of scheduled work starts empty).
    await withObject(conversation, (instance, state) => {
      (instance as unknown as { work: { embedScheduled: boolean } }).work.embedScheduled = false;
      const sql = state.storage.sql;
      sql.exec("DROP TABLE vectors; DROP TABLE vector_state; DELETE FROM _migrations WHERE id = 9");
      sql.exec("DELETE FROM due_work WHERE kind = 'embed'");
      expect(applyMigrations(sql, CONVERSATION_MIGRATIONS)).toBe(1);
    });
    await setEmbedder("ok");
    const before = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "kettle" },
    });
    expect(before.json.results[0].match).toEqual({ lexical: 1, semantic: null });
    await runConversationWork(conversation);
    expect(await vectorCount(conversation)).toBe(3);
    const embedded = await embeddedTexts();
    for (const text of documents(texts)) expect(embedded[text]).toBe(1);
    const after = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "noisy teapot", mode: "semantic", limit: 1 },
    });
    expect(after.json.results[0].message.content).toBe(texts[1]);
  });

  it("a rewind removes the vectors of the messages it removes", async () => {
    await setEmbedder("ok");
    const conversation = freshId();
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: lines(conversation).map((content) => ({ role: "user", content })) },
    });
    await runConversationWork(conversation);
    expect(await vectorCount(conversation)).toBe(3);
    expect(
      (await call("POST", `/v1/conversations/${conversation}/rewind`, { body: { afterSeq: 1 } }))
        .status,
    ).toBe(200);
    // Message 1's vector; message 2's and 3's turns and exchanges are gone.
    expect(await sqlOf(conversation, "SELECT id FROM vectors")).toEqual([{ id: 1 }]);
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: [{ role: "user", content: "Sushi with friends on the pier" }] },
    });
    await runConversationWork(conversation);
    expect(await sqlOf(conversation, "SELECT id FROM vectors ORDER BY id")).toEqual([
      { id: -2 },
      { id: 1 },
      { id: 2 },
    ]);
  });

  it("erasing a memory, a conversation or a user leaves no vector", async () => {
    await setEmbedder("ok");
    const user = freshId("user");
    const conversation = freshId();
    await call("PUT", `/v1/conversations/${conversation}`, { body: { userId: user } });
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: lines(conversation).map((content) => ({ role: "user", content })) },
    });
    const kept = await call("POST", "/v1/memories", {
      body: { text: "Marco is vegetarian", userId: user },
    });
    const gone = await call("POST", "/v1/memories", {
      body: { text: "Ana plays the cello", userId: user },
    });
    await runConversationWork(conversation);
    await runIndexWork(user);
    expect(await vectorCount(conversation)).toBe(3);
    expect(await indexSql(user, "SELECT COUNT(*) AS n FROM vectors")).toEqual([{ n: 2 }]);

    expect((await call("DELETE", `/v1/memories/${gone.json.id}`)).status).toBe(204);
    const held = await indexSql<{ id: string }>(
      user,
      "SELECT m.id AS id FROM vectors v JOIN memories m ON m.seq = v.id",
    );
    expect(held).toEqual([{ id: kept.json.id }]);
    expect(await indexSql(user, "SELECT COUNT(*) AS n FROM vectors")).toEqual([{ n: 1 }]);

    expect((await call("DELETE", `/v1/users/${user}`)).status).toBe(200);
    expect(await indexSql(user, "SELECT COUNT(*) AS n FROM vectors")).toEqual([{ n: 0 }]);
    const tables = await sqlOf(
      conversation,
      "SELECT name FROM sqlite_master WHERE name = 'vectors'",
    );
    expect(tables).toEqual([]);
  });
});
