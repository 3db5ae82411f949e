// Concurrency: many clients append to one conversation at once; each retries its request with
// the same Idempotency-Key (at once in parallel, and again after giving up on a slow answer)
// until it gets a 201. Every append must land exactly once and seq must stay 1..N.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sentence } from "../../bench/lib/text.mjs";
import { auditConversation, newAttempt, prepare, send } from "./harness.mjs";

const CLIENTS = 16;
const APPENDS_PER_CLIENT = 12;

let env;
let worker;
beforeAll(async () => {
  env = await prepare("concurrency");
  worker = await env.start();
});
afterAll(async () => {
  await worker?.stop();
  env?.cleanup();
});

describe("concurrent appends with retries", () => {
  it("appends each request exactly once, with contiguous seqs", async () => {
    const conversationId = `busy-${Date.now().toString(36)}`;
    const attempts = [];
    let clientTimeouts = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; i < APPENDS_PER_CLIENT; i++) {
          const size = 1 + ((c + i) % 3);
          const messages = Array.from({ length: size }, (_, j) => ({
            role: "user",
            content: sentence(c * 100 + i * 5 + j),
            id: `m-c${c}-${i}-${j}`,
          }));
          const attempt = newAttempt(conversationId, `k-c${c}-${i}`, messages);
          attempts.push(attempt);
          // A client that resends at once (double submit), racing its own first request.
          const racing = (c + i) % 4 === 0 ? [send(worker.url, attempt)] : [];
          // A client that gives up quickly on its first try, then retries with the same key.
          const impatient = (c + i) % 3 === 0;
          const first = await send(worker.url, attempt, { timeoutMs: impatient ? 5 : 15_000 });
          if (first !== "acked") clientTimeouts++;
          await Promise.all(racing);
          while (!attempt.ack) {
            const outcome = await send(worker.url, attempt);
            if (outcome === "rejected") throw new Error(`${attempt.key}: ${attempt.failures}`);
          }
          // One more retry after the ack must replay the same answer.
          if (i % 5 === 0) await send(worker.url, attempt);
        }
      }),
    );

    const { problems, stored } = await auditConversation(worker.url, conversationId, attempts, {
      expectAll: true,
    });
    expect(problems).toEqual([]);
    const sent = attempts.reduce((n, a) => n + a.body.messages.length, 0);
    expect(stored.length).toBe(sent);
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    const sends = attempts.reduce((n, a) => n + a.sends, 0);
    console.log(
      `concurrency: ${CLIENTS} clients, ${attempts.length} appends (${sent} messages) in ${sends} ` +
        `requests (${clientTimeouts} first tries abandoned by the client): all exactly once`,
    );
  });
});
