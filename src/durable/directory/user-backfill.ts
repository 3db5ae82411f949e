import type { Env } from "../../env";
import { MemoryBodies } from "../../storage/memory-bodies";
import { memoryIndexStub } from "../memories/api";

/** Pages of memory bodies one listing of users scans at most (each: 1 KV list, 1 bulk get). */
const PAGES_PER_CALL = 5;
/** Memory indexes asked at once for their count. */
const PARALLEL = 20;

/**
 * Users who had memories before the directory kept users: migration 3 filled the users
 * table from conversations only, and memory writes began telling the directory with it.
 * Their memories are found by listing the tenant's memory bodies in KV (the one place
 * that enumerates them), a few pages per `GET /v1/users` until the scan is done; each
 * owner found is counted once by its memory index, the authority on that count.
 *
 * `notedMeanwhile` holds users whose index reported a count while this ran: theirs is
 * newer than the one read here, so it is kept.
 */
export async function backfillUsers(
  env: Env,
  tenant: string,
  sql: SqlStorage,
  notedMeanwhile: ReadonlySet<string>,
): Promise<void> {
  const state = sql
    .exec<{ cursor: string | null; done: number }>("SELECT cursor, done FROM user_backfill")
    .toArray()[0];
  if (!state || state.done) return;
  const bodies = new MemoryBodies(env.ARCHIVE, tenant);
  let cursor = state.cursor;
  for (let page = 0; page < PAGES_PER_CALL; page++) {
    const { owners, cursor: next } = await bodies.ownersPage(cursor);
    const fresh = [...owners].filter(
      ([userId]) =>
        sql.exec("SELECT 1 FROM user_backfill_counted WHERE user_id = ?", userId).toArray()
          .length === 0,
    );
    for (let i = 0; i < fresh.length; i += PARALLEL) {
      const chunk = fresh.slice(i, i + PARALLEL);
      const counts = await Promise.all(
        chunk.map(([id]) => memoryIndexStub(env, tenant, { kind: "user", id }).count()),
      );
      chunk.forEach(([userId, activeAt], j) => {
        sql.exec("INSERT OR IGNORE INTO user_backfill_counted (user_id) VALUES (?)", userId);
        const memories = counts[j] ?? 0;
        if (memories === 0 || notedMeanwhile.has(userId)) return;
        sql.exec(
          `INSERT INTO users (id, memories, active_at) VALUES (?1, ?2, ?3)
           ON CONFLICT (id) DO UPDATE SET
             memories = excluded.memories, active_at = max(active_at, excluded.active_at)`,
          userId,
          memories,
          activeAt,
        );
      });
    }
    cursor = next;
    sql.exec("UPDATE user_backfill SET cursor = ?, done = ?", cursor, cursor === null ? 1 : 0);
    if (cursor === null) {
      sql.exec("DELETE FROM user_backfill_counted");
      return;
    }
  }
}
