import type { Env } from "../../env";
import type { StoredMessage, SummaryStrategy } from "../../memory/conversation";
import { sha256Hex } from "../../memory/digest";
import type { TokenizerName } from "../../memory/tokens";
import type { ArchiveStore } from "../../storage/archive";
import { tokenCounter } from "../../storage/tokenizer-tables";
import { memoryRecordStub } from "../memories/api";
import { readBySeqs } from "./archive";
import type { ConversationRow } from "./rows";
import { factExtractorFor, summarizerFor } from "./summarizers";
import { readConversation } from "./writes";

/** Messages folded into the summary per alarm run; the rest follow in later runs. */
const SUMMARY_BATCH = 200;

/**
 * Most archived messages a summary catches up on (`SUMMARY_MAX_BACKLOG` overrides). A
 * larger backlog — a bulk import of a long history — is folded from its newest part only:
 * 400 tokens cannot say much of 100,000 messages, folding them all would cost hundreds of
 * model calls and minutes of the object's time, and the older part stays searchable and
 * recallable from the archive.
 */
export const SUMMARY_MAX_BACKLOG = 2_000;

export function summaryMaxBacklog(env: Env): number {
  const n = Number(env.SUMMARY_MAX_BACKLOG);
  return Number.isSafeInteger(n) && n > 0 ? n : SUMMARY_MAX_BACKLOG;
}

/**
 * Ties background work to the conversation as it was when the work began: `current` turns
 * false once an erase begins (the conversation may be created again meanwhile), and an
 * erase waits for the writes to other objects that `track` holds.
 */
export interface BackgroundGuard {
  current(): boolean;
  track<T>(write: Promise<T>): Promise<T>;
}

/**
 * Folds the next batch of messages that left working memory into the running summary
 * (of a backlog longer than `summaryMaxBacklog`, only the newest part is folded).
 * `summarized_through` advances in the same transaction as the summary text, so an alarm
 * that dies or runs twice neither skips nor double-counts a message. Returns whether
 * more messages wait.
 */
export async function foldIntoSummary(
  env: Env,
  storage: DurableObjectStorage,
  archive: ArchiveStore,
  guard: BackgroundGuard,
): Promise<boolean> {
  const sql = storage.sql;
  const row = readConversation(sql);
  const summarizer = summarizerFor(env, row.summary_strategy as SummaryStrategy);
  if (!summarizer || row.summarized_through >= row.archived_through) return false;

  const newestBacklog = row.archived_through - summaryMaxBacklog(env) + 1;
  const from = Math.max(row.summarized_through + 1, newestBacklog);
  if (from > row.summarized_through + 1) {
    console.log(
      JSON.stringify({
        event: "summary_backlog_skipped",
        conversationId: row.id,
        skippedFrom: row.summarized_through + 1,
        skippedThrough: from - 1,
      }),
    );
  }
  const through = Math.min(row.archived_through, from + SUMMARY_BATCH - 1);
  const seqs = Array.from({ length: through - from + 1 }, (_, i) => from + i);
  const leaving = (await readBySeqs(sql, archive, seqs)).filter((m) => !m.pinned);
  if (row.user_id) await rememberFacts(env, row, leaving, guard);
  const count = await tokenCounter(env, row.tokenizer as TokenizerName);
  const summary = await summarizer.summarize({
    previousSummary: row.summary,
    leaving,
    maxTokens: row.summary_max_tokens,
    count,
  });

  return storage.transactionSync(() => {
    // Erased meanwhile, and perhaps created again: this summary is not the new one's.
    if (!guard.current()) return false;
    const now = readConversation(sql);
    // A client set the summary meanwhile: its text wins, and covers these messages.
    if (now.summarized_through !== row.summarized_through) {
      return now.summarized_through < now.archived_through;
    }
    sql.exec(
      `UPDATE conversation SET summary = ?, summary_tokens = ?, summary_updated_at = ?,
         summarized_through = ?`,
      summary || null,
      summary ? count(summary) : 0,
      new Date().toISOString(),
      through,
    );
    return through < now.archived_through;
  });
}

/**
 * With a fact extractor configured, facts the user stated in `leaving` become memories
 * of the conversation's user, with `metadata.source` naming the messages. Ids derive
 * from the conversation and the fact, so a repeated alarm run creates nothing twice.
 */
async function rememberFacts(
  env: Env,
  row: ConversationRow,
  leaving: StoredMessage[],
  guard: BackgroundGuard,
) {
  const extractor = factExtractorFor(env);
  if (!extractor || !row.user_id) return;
  const facts = await extractor.extract(leaving);
  for (const fact of facts) {
    const id = `fact-${(await sha256Hex(`${row.id}\n${fact.text.toLowerCase()}`)).slice(0, 32)}`;
    // The user (or the conversation) is being erased: no memory of them may appear after.
    if (!guard.current()) return;
    // A conflict means an earlier run stored this fact already: nothing to do.
    await guard.track(
      memoryRecordStub(env, row.tenant, id).create(
        { tenant: row.tenant, id },
        {
          id,
          text: fact.text,
          userId: row.user_id,
          metadata: { source: { conversationId: row.id, messageIds: fact.sourceIds } },
        },
      ),
    );
  }
}
