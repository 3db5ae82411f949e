// Shared pieces of the reliability suites: a Worker with persistent state in a temp dir,
// append attempts that remember exactly what was sent and acknowledged, and a reader that
// checks a conversation's log.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
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
    stateDir: join(dir, "state"),
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

/**
 * The archive as persisted on disk, read-only: for each conversation (found by the id in its
 * Durable Object's SQLite file), its rows per tier and recorded segments, and the KV entries
 * of those segments (Miniflare keeps KV in SQLite plus one blob file per value).
 */
export function persistedArchive(stateDir, conversationIds) {
  const out = {};
  const doRoot = join(stateDir, "do");
  const classDir = existsSync(doRoot)
    ? readdirSync(doRoot).find((d) => d.endsWith("ConversationMemory"))
    : undefined;
  if (!classDir) return out;
  const kv = kvReader(stateDir);
  try {
    for (const file of readdirSync(join(doRoot, classDir))) {
      if (!file.endsWith(".sqlite") || file === "metadata.sqlite") continue;
      const db = new DatabaseSync(join(doRoot, classDir, file), { readOnly: true });
      try {
        const row = db.prepare("SELECT id, archived_through FROM conversation").get();
        if (!row || !conversationIds.includes(row.id)) continue;
        const tiers = { working: 0, outbox: 0, spilled: 0 };
        for (const t of db
          .prepare("SELECT tier, COUNT(*) AS n FROM messages GROUP BY tier")
          .all()) {
          tiers[t.tier] = t.n;
        }
        const segments = db
          .prepare("SELECT n, first_seq, last_seq, kv_key FROM segments ORDER BY n")
          .all()
          .map((s) => ({ ...s, value: kv?.get(s.kv_key) ?? null }));
        out[row.id] = { tiers, archivedThrough: row.archived_through, segments };
      } catch {
        // not a conversation object (or one being created)
      } finally {
        db.close();
      }
    }
  } finally {
    kv?.close();
  }
  return out;
}

function kvReader(stateDir) {
  const meta = join(stateDir, "kv", "miniflare-KVNamespaceObject");
  if (!existsSync(meta)) return null;
  const file = readdirSync(meta).find((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  const blobs = readdirSync(join(stateDir, "kv"))
    .filter((d) => d !== "miniflare-KVNamespaceObject")
    .map((d) => join(stateDir, "kv", d, "blobs"));
  if (!file) return null;
  const db = new DatabaseSync(join(meta, file), { readOnly: true });
  const lookup = db.prepare("SELECT blob_id FROM _mf_entries WHERE key = ?");
  return {
    get(key) {
      const entry = lookup.get(key);
      if (!entry) return null;
      for (const dir of blobs) {
        const path = join(dir, entry.blob_id);
        if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8"));
      }
      return null;
    },
    close: () => db.close(),
  };
}

/**
 * Checks a conversation's archive against its stored log: no outbox rows left, segments
 * contiguous from seq 1 to archived_through, each segment's KV value present and holding
 * exactly its seq range with the contents the log has. Returns a list of problems.
 */
export function auditArchive(id, archive, stored) {
  const problems = [];
  if (!archive) return [`${id}: no persisted conversation found`];
  if (archive.tiers.outbox > 0)
    problems.push(`${id}: ${archive.tiers.outbox} rows still in the outbox`);
  const bySeq = new Map(stored.map((m) => [m.seq, m]));
  let expected = 1;
  for (const s of archive.segments) {
    if (s.first_seq !== expected)
      problems.push(`${id}: segment ${s.n} starts at ${s.first_seq}, expected ${expected}`);
    expected = s.last_seq + 1;
    if (!s.value) {
      problems.push(`${id}: segment ${s.n} (${s.kv_key}) is not in KV`);
      continue;
    }
    const seqs = s.value.messages.map((m) => m.seq);
    const range = Array.from({ length: s.last_seq - s.first_seq + 1 }, (_, i) => s.first_seq + i);
    if (JSON.stringify(seqs) !== JSON.stringify(range)) {
      problems.push(
        `${id}: segment ${s.n} holds seqs ${seqs[0]}…${seqs.at(-1)} (${seqs.length}), recorded ${s.first_seq}…${s.last_seq}`,
      );
    }
    for (const m of s.value.messages) {
      const logged = bySeq.get(m.seq);
      if (!logged || logged.id !== m.id || logged.content !== m.content) {
        problems.push(`${id}: segment ${s.n} seq ${m.seq} differs from the log`);
      }
    }
  }
  if (expected - 1 !== archive.archivedThrough) {
    problems.push(
      `${id}: segments end at ${expected - 1}, archived_through is ${archive.archivedThrough}`,
    );
  }
  return problems;
}
