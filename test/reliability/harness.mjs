// Shared pieces of the reliability suites: a Worker with persistent state in a temp dir,
// append attempts that remember exactly what was sent and acknowledged, and a reader that
// checks a conversation's log.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { call } from "../../bench/lib/api.mjs";
import { buildBundle, killAll, ROOT, startWorker } from "../../bench/lib/worker-process.mjs";

export const KEY = "reliability-key-local-only";
const VARS = { API_KEYS: JSON.stringify({ [KEY]: "reliability" }), RATE_LIMIT: "off" };

/** A temp dir with the built bundle and a state dir that survives restarts of the runtime. */
export async function prepare(name) {
  const dir = mkdtempSync(join(os.tmpdir(), `edgemem-${name}-`));
  const bundle = await buildBundle(join(ROOT, "wrangler.toml"), join(dir, "dist"));
  let starts = 0;
  return {
    dir,
    /** Starts the Worker on the same persisted state (a new port each time). */
    start: () =>
      startWorker({
        bundle,
        persistTo: join(dir, "state"),
        readyPath: "/healthz",
        vars: VARS,
        logFile: join(dir, `worker-${starts++}.log`),
      }),
    cleanup() {
      killAll("SIGKILL");
      if (!process.env.RELIABILITY_KEEP_STATE) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One logical append: a fixed body and Idempotency-Key, sent one or more times.
 * `ack` is the first 201 body; every later 201 must be identical to it.
 */
export function newAttempt(conversationId, key, messages) {
  return {
    conversationId,
    key,
    body: { messages },
    ack: null,
    sends: 0,
    failures: [],
    mismatches: [],
  };
}

/** Sends an attempt once; resolves to "acked", "lost" (no answer) or "rejected" (an error status). */
export async function send(baseUrl, attempt, { timeoutMs = 15_000 } = {}) {
  attempt.sends++;
  let response;
  try {
    response = await call(baseUrl, "POST", `/v1/conversations/${attempt.conversationId}/messages`, {
      key: KEY,
      body: attempt.body,
      headers: { "idempotency-key": attempt.key },
      timeoutMs,
    });
  } catch (error) {
    attempt.failures.push(String(error?.cause?.code ?? error?.name ?? error));
    return "lost";
  }
  if (response.status !== 201) {
    attempt.failures.push(`${response.status} ${response.text.slice(0, 200)}`);
    return response.status >= 500 ? "lost" : "rejected";
  }
  if (!attempt.ack) attempt.ack = response.json;
  else if (JSON.stringify(attempt.ack.messages) !== JSON.stringify(response.json.messages)) {
    attempt.mismatches.push(response.json);
  }
  return "acked";
}

/** Every stored message of a conversation, oldest first, read page by page. */
export async function readAll(baseUrl, conversationId) {
  const messages = [];
  let cursor = null;
  for (;;) {
    const query = `order=asc&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await call(
      baseUrl,
      "GET",
      `/v1/conversations/${conversationId}/messages?${query}`,
      {
        key: KEY,
      },
    );
    if (page.status !== 200)
      throw new Error(`reading ${conversationId}: ${page.status} ${page.text}`);
    messages.push(...page.json.messages);
    cursor = page.json.nextCursor;
    if (!cursor) return messages;
  }
}

/**
 * Checks one conversation against what the clients know: seq is 1..N with no gap, every
 * message id is stored once, every acknowledged message sits at the seq its 201 gave, and
 * the counters agree with the log. Returns a list of problems (empty when all is well).
 */
export async function auditConversation(
  baseUrl,
  conversationId,
  attempts,
  { expectAll = false } = {},
) {
  const problems = [];
  const stored = await readAll(baseUrl, conversationId);
  stored.forEach((m, i) => {
    if (m.seq !== i + 1) problems.push(`${conversationId}: position ${i} has seq ${m.seq}`);
  });
  const byId = new Map();
  for (const m of stored) {
    if (byId.has(m.id)) problems.push(`${conversationId}: message ${m.id} stored twice`);
    byId.set(m.id, m);
  }
  const mine = attempts.filter((a) => a.conversationId === conversationId);
  const sentIds = new Set(mine.flatMap((a) => a.body.messages.map((m) => m.id)));
  for (const m of stored) {
    if (!sentIds.has(m.id)) problems.push(`${conversationId}: unexpected message ${m.id}`);
  }
  for (const attempt of mine) {
    const present = attempt.body.messages.filter((m) => byId.has(m.id)).length;
    if (present !== 0 && present !== attempt.body.messages.length) {
      problems.push(
        `${attempt.key}: batch half applied (${present}/${attempt.body.messages.length})`,
      );
    }
    if (attempt.mismatches.length)
      problems.push(`${attempt.key}: a replay differed from the first 201`);
    if (!attempt.ack && expectAll) problems.push(`${attempt.key}: never acknowledged`);
    for (const [i, sentMessage] of attempt.body.messages.entries()) {
      const m = byId.get(sentMessage.id);
      if (attempt.ack || expectAll) {
        if (!m) {
          problems.push(`${attempt.key}: acknowledged message ${sentMessage.id} is missing`);
          continue;
        }
        if (m.content !== sentMessage.content) problems.push(`${sentMessage.id}: content changed`);
      }
      const ackSeq = attempt.ack?.messages?.[i]?.seq;
      if (m && ackSeq !== undefined && m.seq !== ackSeq) {
        problems.push(`${sentMessage.id}: acknowledged at seq ${ackSeq}, stored at ${m.seq}`);
      }
    }
  }
  const conversation = await call(baseUrl, "GET", `/v1/conversations/${conversationId}`, {
    key: KEY,
  });
  const stats = conversation.json?.stats;
  if (stats && stored.length > 0) {
    const archived = stored.filter((m) => m.tier === "archived").length;
    if (stats.totalMessages !== undefined && stats.totalMessages !== stored.length) {
      problems.push(
        `${conversationId}: totalMessages ${stats.totalMessages} but ${stored.length} stored`,
      );
    }
    if (stats.workingMessages + stats.archivedMessages !== stored.length) {
      problems.push(`${conversationId}: working + archived ≠ ${stored.length}`);
    }
    if (stats.archivedMessages !== archived) {
      problems.push(
        `${conversationId}: archivedMessages ${stats.archivedMessages}, ${archived} archived rows`,
      );
    }
  }
  return { problems, stored };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
