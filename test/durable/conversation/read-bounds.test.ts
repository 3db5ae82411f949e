import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ArchiveSegment, ArchiveStore } from "../../../src/storage/archive";
import { kvArchive, segmentKey } from "../../../src/storage/archive";
import { withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";

const MiB = 1024 * 1024;

/**
 * A conversation whose archive holds `count` segments of one ~480 KB message each, every
 * one matching "zebra": written straight into the object and KV.
 */
async function archiveOfBigSegments(count: number) {
  const id = freshId("bounds");
  await call("POST", `/v1/conversations/${id}/messages`, {
    body: { messages: [{ role: "user", content: "hello" }] },
  });
  const content = `zebra ${"stripes ".repeat(60_000)}`;
  const segments: ArchiveSegment[] = Array.from({ length: count }, (_, i) => ({
    v: 1,
    firstSeq: i + 2,
    lastSeq: i + 2,
    messages: [
      {
        id: `big-${i}`,
        seq: i + 2,
        role: "user",
        content,
        name: null,
        metadata: null,
        pinned: false,
        tokens: 60_000,
        createdAt: new Date().toISOString(),
        tier: "archived",
      } as unknown as ArchiveSegment["messages"][number],
    ],
  }));
  const keys = segments.map((_, i) => segmentKey("alpha", id, "big", i + 1));
  for (let i = 0; i < count; i++) {
    await env.ARCHIVE.put(keys[i] as string, JSON.stringify(segments[i]));
  }
  await withObject(id, (_instance, state) => {
    const sql = state.storage.sql;
    state.storage.transactionSync(() => {
      segments.forEach((segment, i) => {
        const seq = segment.firstSeq;
        sql.exec(
          `INSERT INTO segments (n, first_seq, last_seq, kv_key, message_count, tokens, bytes, written_at)
           VALUES (?, ?, ?, ?, 1, 60000, ?, 0)`,
          i + 1,
          seq,
          seq,
          keys[i],
          content.length * 3 + 200,
        );
        sql.exec("INSERT INTO message_words (rowid, content) VALUES (?, ?)", seq, content);
        sql.exec(
          "INSERT INTO message_ids (id, seq, tokens, created_at) VALUES (?, ?, 60000, '2026-01-01')",
          `big-${i}`,
          seq,
        );
      });
      sql.exec("UPDATE conversation SET next_seq = ?, next_segment = ?", count + 2, count + 1);
    });
  });
  // Count the bytes of segments the object reads from KV.
  const read = { bytes: 0 };
  await withObject(id, (instance) => {
    const inner: ArchiveStore = kvArchive(env.ARCHIVE);
    instance.archive = {
      ...inner,
      async getMany(requested) {
        const found = await inner.getMany(requested);
        for (const segment of found.values()) read.bytes += JSON.stringify(segment).length;
        return found;
      },
    };
  });
  return { id, read };
}

describe("per-request memory is bounded by bytes", () => {
  it("search reads at most ~8 MiB of segments, however many hits there are", async () => {
    const { id, read } = await archiveOfBigSegments(30);
    const res = await call("POST", `/v1/conversations/${id}/search`, {
      body: { query: "zebra", limit: 100 },
    });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.json.results.length).toBeGreaterThan(0);
    expect(read.bytes).toBeLessThanOrEqual(8 * MiB);
  });

  it("a page of messages reads at most ~8 MiB of segments; its cursor goes on from there", async () => {
    const { id, read } = await archiveOfBigSegments(30);
    const res = await call("GET", `/v1/conversations/${id}/messages?limit=500`);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(read.bytes).toBeLessThanOrEqual(8 * MiB);
    expect(res.json.nextCursor).not.toBeNull();
    const last = res.json.messages.at(-1).seq;
    const next = await call(
      "GET",
      `/v1/conversations/${id}/messages?limit=500&cursor=${res.json.nextCursor}`,
    );
    expect(next.json.messages[0].seq).toBe(last + 1);
  });

  it("pinned messages of a conversation hold at most 256 KiB (they are read on every context call)", async () => {
    const id = freshId("pinned");
    const pinned = (i: number) => ({
      role: "system",
      content: "p".repeat(60_000),
      pinned: true,
      id: `p-${i}`,
    });
    const first = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [pinned(1), pinned(2), pinned(3), pinned(4)] },
    });
    expect(first.status, first.text.slice(0, 300)).toBe(201);
    const over = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [{ role: "user", content: "hi" }, pinned(5)] },
    });
    expectProblem(over, 400, "invalid_request", ["messages.1.pinned"]);
    // A retried pinned message (a duplicate) costs nothing more.
    const replay = await call("POST", `/v1/conversations/${id}/messages`, {
      body: { messages: [pinned(4)] },
    });
    expect(replay.status).toBe(201);
    expect(replay.json.messages[0].duplicate).toBe(true);
  });
});
