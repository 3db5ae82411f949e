// Crash safety: concurrent appends, the runtime's whole process group SIGKILLed mid-load, a
// restart on the same local state. Every append that got a 201 must be there exactly once at
// the seq it was given, seq must be 1..N in every conversation, batches all-or-nothing; then
// retrying the unacknowledged appends with their Idempotency-Keys must leave each one exactly once.
// Spills in flight: the small working budget keeps the outbox (messages on their way to KV)
// non-empty at the kills; after the restart, with no new write, the alarm must write them as
// KV segments that hold exactly the logged messages, contiguous from seq 1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../bench/lib/api.mjs";
import { sentence } from "../../bench/lib/text.mjs";
import {
  auditArchive,
  auditConversation,
  KEY,
  newAttempt,
  persistedArchive,
  prepare,
  send,
  sleep,
} from "./harness.mjs";

const CONVERSATIONS = 6;
const CLIENTS = 12;
const CRASHES = Number(process.env.RELIABILITY_CRASHES ?? 2);

/** Polls the persisted state until no conversation has outbox rows left (or the time is up). */
async function drainedArchive(stateDir, ids, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const archive = persistedArchive(stateDir, ids);
    const busy = ids.some((id) => !archive[id] || archive[id].tiers.outbox > 0);
    if (!busy || Date.now() > deadline) return archive;
    await sleep(250);
  }
}

let env;
beforeAll(async () => {
  env = await prepare("crash");
});
afterAll(() => env?.cleanup());

describe("crash safety", () => {
  it(`keeps every acknowledged append exactly once across ${CRASHES} SIGKILLs`, async () => {
    const run = Date.now().toString(36);
    const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => `crash-${run}-${i}`);
    const attempts = [];
    const outboxAtCrash = [];
    let worker = await env.start();
    // A small working budget, so appends also move messages to the archived tier while we crash.
    for (const id of conversations) {
      const put = await call(worker.url, "PUT", `/v1/conversations/${id}`, {
        key: KEY,
        body: { workingTokens: 256 },
      });
      expect(put.status).toBe(201);
    }

    for (let round = 0; round < CRASHES; round++) {
      if (round > 0) worker = await env.start();
      let stopped = false;
      const url = worker.url;
      const clients = Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; !stopped; i++) {
          const conversationId = conversations[(c + i) % CONVERSATIONS];
          const size = 1 + ((c + i) % 3);
          const tag = `r${round}-c${c}-${i}`;
          const messages = Array.from({ length: size }, (_, j) => ({
            role: j % 2 ? "assistant" : "user",
            content: sentence(c * 1000 + i * 10 + j),
            id: `m-${tag}-${j}`,
          }));
          const attempt = newAttempt(conversationId, `k-${tag}`, messages);
          attempts.push(attempt);
          const outcome = await send(url, attempt, { timeoutMs: 10_000 });
          if (outcome === "lost") await sleep(20);
        }
      });
      // Crash at a random moment once appends are flowing, with requests in flight.
      const ackedBefore = attempts.filter((a) => a.ack).length;
      const deadline = Date.now() + 60_000;
      while (attempts.filter((a) => a.ack).length < ackedBefore + 40) {
        if (Date.now() > deadline) throw new Error(`no appends acknowledged:\n${worker.logTail()}`);
        await sleep(10);
      }
      await sleep(100 + Math.floor(Math.random() * 500));
      await worker.crash();
      stopped = true;
      await Promise.all(clients);
      // What was on its way to KV when the process group died.
      const archive = persistedArchive(env.stateDir, conversations);
      outboxAtCrash.push(Object.values(archive).reduce((n, a) => n + a.tiers.outbox, 0));
    }

    // After the last crash: restart and check what was acknowledged before retrying anything.
    worker = await env.start();
    const rejected = attempts.filter((a) => a.failures.some((f) => /^4\d\d /.test(f)));
    expect(rejected.map((a) => `${a.key}: ${a.failures.join("; ")}`)).toEqual([]);
    const storedIds = new Set();
    for (const id of conversations) {
      const { problems, stored } = await auditConversation(worker.url, id, attempts);
      expect(problems, `after restart, before retries (${id})`).toEqual([]);
      for (const m of stored) storedIds.add(m.id);
    }
    // Spills in flight at the crash complete after the restart, with no write to trigger them.
    const drained = await drainedArchive(env.stateDir, conversations);
    for (const id of conversations) {
      const { stored } = await auditConversation(worker.url, id, attempts);
      expect(auditArchive(id, drained[id], stored), `archive after restart (${id})`).toEqual([]);
    }
    expect(
      outboxAtCrash.reduce((a, b) => a + b, 0),
      "the outbox should hold messages at some crash",
    ).toBeGreaterThan(0);

    // Appends the runtime committed but whose 201 never reached the client (lost in the crash).
    const committedUnacked = attempts.filter(
      (a) => !a.ack && storedIds.has(a.body.messages[0].id),
    ).length;

    // Retry every unacknowledged append with its own key, and replay some acknowledged ones.
    const unacked = attempts.filter((a) => !a.ack);
    for (const attempt of unacked) {
      expect(await send(worker.url, attempt), `${attempt.key}: ${attempt.failures}`).toBe("acked");
    }
    for (const attempt of attempts.filter((a) => a.ack).slice(0, 30)) {
      expect(await send(worker.url, attempt)).toBe("acked");
    }

    let total = 0;
    for (const id of conversations) {
      const { problems, stored } = await auditConversation(worker.url, id, attempts, {
        expectAll: true,
      });
      expect(problems, `after retries (${id})`).toEqual([]);
      total += stored.length;
    }
    const sent = attempts.reduce((n, a) => n + a.body.messages.length, 0);
    expect(total).toBe(sent);
    // The spills the retries caused reach KV too, and every segment matches the log.
    const final = await drainedArchive(env.stateDir, conversations);
    let segments = 0;
    for (const id of conversations) {
      const { stored } = await auditConversation(worker.url, id, attempts);
      expect(auditArchive(id, final[id], stored), `archive at the end (${id})`).toEqual([]);
      segments += final[id].segments.length;
    }
    console.log(
      `crash safety: ${CRASHES} crashes, ${attempts.length} appends (${sent} messages), ` +
        `${unacked.length} unacknowledged at a crash (${committedUnacked} of them committed) and ` +
        `retried with their keys: all exactly once, seq contiguous; outbox at the kills ` +
        `${outboxAtCrash.join(" and ")} messages, all written to KV after restart ` +
        `(${segments} segments, contiguous, contents match the log)`,
    );
    await worker.stop();
  });
});
