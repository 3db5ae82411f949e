// Seeding through the public API, and a look at the persisted state of the conversation
// objects (their SQLite files, read-only) to tell whether archived messages are still rows
// in the Durable Object or are read from KV segments.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pool } from "./api.mjs";
import { sentence } from "./text.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Appends messages `from`…`to - 1` in batches of 100 (sequential: one conversation). */
export async function seedConversation(api, id, to, from = 0, text = sentence) {
  for (let done = from; done < to; done += 100) {
    const messages = [];
    for (let i = done; i < Math.min(done + 100, to); i++) {
      messages.push({ role: i % 2 ? "assistant" : "user", content: text(i), id: `${id}-s${i}` });
    }
    const response = await api("POST", `/v1/conversations/${id}/messages`, { messages });
    if (response.status !== 201) {
      throw new Error(`seeding ${id} failed: ${response.status} ${response.text.slice(0, 200)}`);
    }
  }
}

/**
 * Seeds a conversation until at least `archived` messages have left working memory; `text(i)`
 * gives message i's content (default: the load's deterministic sentences).
 */
export async function seedArchived(api, id, archived, text = sentence) {
  const started = performance.now();
  let sent = 0;
  let stats = {};
  while ((stats.archivedMessages ?? 0) < archived) {
    const next =
      sent + Math.max(100, Math.ceil((archived - (stats.archivedMessages ?? 0)) / 100) * 100);
    await seedConversation(api, id, next, sent, text);
    sent = next;
    stats = (await api("GET", `/v1/conversations/${id}`)).json?.stats ?? {};
  }
  return {
    id,
    messages: sent,
    archivedMessages: stats.archivedMessages,
    ms: performance.now() - started,
  };
}

/**
 * Creates `count` memories of one user through `POST /v1/memories/batch`, 100 a request,
 * `parallel` requests in flight; returns the time taken. Ids make a retry safe: a batch
 * that failed on the network is sent again and what it had stored comes back as duplicates.
 */
export async function seedMemories(api, userId, count, parallel, text = sentence) {
  const started = performance.now();
  const batches = [];
  for (let from = 0; from < count; from += 100) {
    const memories = [];
    for (let i = from; i < Math.min(from + 100, count); i++) {
      memories.push({ id: `${userId}-m${i}`, text: text(i), userId });
    }
    batches.push(memories);
  }
  await pool(
    batches.map((memories) => async () => {
      let r;
      for (let attempt = 0; attempt < 3 && !(r?.status === 201); attempt++) {
        r = await api("POST", "/v1/memories/batch", { memories }).catch((error) => ({
          status: 0,
          text: String(error),
        }));
      }
      if (r.status !== 201) {
        throw new Error(`seeding memories of ${userId}: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }),
    parallel,
  );
  return performance.now() - started;
}

/**
 * Where each conversation's messages are, from the object's SQLite file: rows per tier
 * (`working`, `outbox` = waiting for KV, `spilled` = in KV and still in SQLite for the grace
 * period), the KV segments recorded, and the archived messages the running summary has not
 * folded yet. Conversations are found by the id in their row.
 */
export function conversationTiers(persistDir, ids) {
  const dir = join(persistDir, "do");
  const found = {};
  if (!existsSync(dir)) return found;
  const classDir = readdirSync(dir).find((d) => d.endsWith("ConversationMemory"));
  if (!classDir) return found;
  for (const file of readdirSync(join(dir, classDir))) {
    if (!file.endsWith(".sqlite") || file === "metadata.sqlite") continue;
    let db;
    try {
      db = new DatabaseSync(join(dir, classDir, file), { readOnly: true });
      const row = db
        .prepare(
          `SELECT id, next_seq - 1 AS last_seq, CASE WHEN summary_strategy = 'off' THEN 0
             ELSE archived_through - summarized_through END AS unsummarized FROM conversation`,
        )
        .get();
      if (!row || !ids.includes(row.id)) continue;
      const tiers = { working: 0, outbox: 0, spilled: 0 };
      for (const t of db.prepare("SELECT tier, COUNT(*) AS n FROM messages GROUP BY tier").all()) {
        tiers[t.tier] = t.n;
      }
      const seg = db.prepare("SELECT COUNT(*) AS n, MAX(last_seq) AS last FROM segments").get();
      found[row.id] = {
        ...tiers,
        segments: seg.n,
        segmentsThroughSeq: seg.last,
        unsummarized: row.unsummarized,
        lastSeq: row.last_seq,
        embeddedThrough: embeddedThrough(db),
      };
    } catch {
      // a file being created, or not a conversation: skip
    } finally {
      db?.close();
    }
  }
  return found;
}

/** The last seq whose vectors the object holds (`vector_state.through`), or null without any. */
function embeddedThrough(db) {
  try {
    return db.prepare("SELECT through FROM vector_state").get()?.through ?? null;
  } catch {
    return null; // no vector tables (an object older than them)
  }
}

/**
 * Waits until every listed conversation holds the vectors of all its messages (its own
 * `vector_state`, not a count of texts embedded: a message has more than one vector, and a
 * batch that timed out is embedded again). Returns the conversations still behind.
 */
export async function waitForEmbeddings(persistDir, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tiers = conversationTiers(persistDir, ids);
    const behind = ids.filter((id) => !(tiers[id]?.embeddedThrough >= tiers[id]?.lastSeq));
    if (behind.length === 0 || Date.now() > deadline) return behind;
    await sleep(1000);
  }
}

/**
 * Waits until no listed conversation has outbox or spilled rows left (reads come from KV)
 * and its summary has caught up (no background work competes with the measurement).
 */
export async function waitForKvSteadyState(persistDir, ids, timeoutMs, log) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tiers = conversationTiers(persistDir, ids);
    const pending = ids.filter(
      (id) => !tiers[id] || tiers[id].outbox + tiers[id].spilled + tiers[id].unsummarized > 0,
    );
    if (pending.length === 0) return { tiers, steady: true };
    if (Date.now() > deadline) return { tiers, steady: false };
    log?.(
      `waiting for KV steady state: ${pending.map((id) => `${id} ${JSON.stringify(tiers[id])}`).join("; ")}`,
    );
    await sleep(5_000);
  }
}

/** Waits until the listed conversations have empty outboxes (every archived row is in KV). */
export async function waitForOutboxEmpty(persistDir, ids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tiers = conversationTiers(persistDir, ids);
    if (ids.every((id) => tiers[id] && tiers[id].outbox === 0)) return tiers;
    if (Date.now() > deadline) return tiers;
    await sleep(500);
  }
}
