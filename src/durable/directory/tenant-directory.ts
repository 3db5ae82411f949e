import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import {
  afterPosition,
  keysetPage,
  type PagePosition,
  positionParams,
} from "../sqlite/keyset-page";
import { type Migration, migratedOnStart, type SchemaSnapshot } from "../sqlite/migrations";
import type { DirectoryApi, DirectoryEntry, DirectoryPage, UserPage } from "./api";
import { backfillUsers } from "./user-backfill";

export const DIRECTORY_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "conversations of the tenant, for listing by owner",
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX conversations_recent ON conversations (created_at DESC, id DESC);
      CREATE INDEX conversations_by_user ON conversations (user_id, created_at DESC, id DESC);
    `,
  },
  {
    id: 2,
    description: "the version of each entry, so a late, older entry never undoes a newer one",
    sql: "ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
  },
  {
    id: 3,
    description: "users of the tenant (owners of conversations or memories), by last activity",
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        memories INTEGER NOT NULL DEFAULT 0,
        active_at TEXT NOT NULL
      );
      CREATE INDEX users_recent ON users (active_at DESC, id DESC);
      INSERT INTO users (id, active_at)
        SELECT user_id, MAX(created_at) FROM conversations
        WHERE user_id IS NOT NULL GROUP BY user_id;
    `,
  },
  {
    id: 4,
    description:
      "the scan that lists users who had memories before migration 3 (see user-backfill.ts)",
    sql: `
      CREATE TABLE user_backfill (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor TEXT,
        done INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO user_backfill (id) VALUES (1);
      CREATE TABLE user_backfill_counted (user_id TEXT PRIMARY KEY);
    `,
  },
];

/** What migrations 1–4 leave, for a new tenant's directory (`SchemaSnapshot`). */
export const DIRECTORY_SNAPSHOT: SchemaSnapshot = {
  through: 4,
  sql: `
    CREATE TABLE conversations (
      id TEXT PRIMARY KEY,
      user_id TEXT,
      created_at TEXT NOT NULL,
      version INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX conversations_recent ON conversations (created_at DESC, id DESC);
    CREATE INDEX conversations_by_user ON conversations (user_id, created_at DESC, id DESC);
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      memories INTEGER NOT NULL DEFAULT 0,
      active_at TEXT NOT NULL
    );
    CREATE INDEX users_recent ON users (active_at DESC, id DESC);
    CREATE TABLE user_backfill (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      cursor TEXT,
      done INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO user_backfill (id) VALUES (1);
    CREATE TABLE user_backfill_counted (user_id TEXT PRIMARY KEY);
  `,
};

/**
 * One per tenant: which conversations exist and who owns them, and the tenant's users.
 * Written only when a conversation is created, gets its owner, or is deleted, and when a
 * user's memories are written or erased, never on appends, so it is no hot spot: a user's
 * "last active" is the last of those events. The conversation objects and memory indexes
 * stay the source of truth for content.
 */
export class TenantDirectory extends DurableObject<Env> implements DirectoryApi {
  private readonly sql: SqlStorage;
  /** The backfill of users under way (one at a time), and whose counts came in meanwhile. */
  private backfilling: Promise<void> | null = null;
  private readonly notedMeanwhile = new Set<string>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, DIRECTORY_MIGRATIONS, DIRECTORY_SNAPSHOT);
  }

  async remember(entry: DirectoryEntry): Promise<{ userId: string | null }> {
    return this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        `INSERT INTO conversations (id, user_id, created_at, version) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           user_id = excluded.user_id, created_at = excluded.created_at, version = excluded.version
         WHERE (excluded.created_at, excluded.version) >= (created_at, version)`,
        entry.id,
        entry.userId,
        entry.createdAt,
        entry.version,
      );
      const held = this.sql
        .exec<{ user_id: string | null }>(
          "SELECT user_id FROM conversations WHERE id = ?",
          entry.id,
        )
        .one();
      if (held.user_id) this.touchUser(held.user_id);
      return { userId: held.user_id };
    });
  }

  async forget(id: string): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      const owner = this.sql
        .exec<{ user_id: string | null }>("SELECT user_id FROM conversations WHERE id = ?", id)
        .toArray()[0]?.user_id;
      this.sql.exec("DELETE FROM conversations WHERE id = ?", id);
      if (owner) this.dropUserIfEmpty(owner);
    });
  }

  async noteUserMemories(note: { userId: string; memories: number }): Promise<void> {
    if (this.backfilling) this.notedMeanwhile.add(note.userId);
    this.ctx.storage.transactionSync(() => {
      this.touchUser(note.userId);
      this.sql.exec("UPDATE users SET memories = ? WHERE id = ?", note.memories, note.userId);
      this.dropUserIfEmpty(note.userId);
    });
  }

  async listUsers(query: {
    tenant: string;
    limit: number;
    after?: PagePosition;
  }): Promise<UserPage> {
    await this.backfill(query.tenant);
    const rows = this.sql
      .exec<{ id: string; memories: number; active_at: string; conversations: number }>(
        `SELECT id, memories, active_at,
           (SELECT COUNT(*) FROM conversations WHERE user_id = users.id) AS conversations
         FROM users WHERE ${afterPosition(1, "active_at, id")}
         ORDER BY active_at DESC, id DESC LIMIT ?3`,
        ...positionParams(query.after),
        query.limit + 1,
      )
      .toArray();
    const { page, next } = keysetPage(rows, query.limit, (r) => ({
      createdAt: r.active_at,
      id: r.id,
    }));
    return {
      users: page.map((r) => ({
        id: r.id,
        conversations: r.conversations,
        memories: r.memories,
        lastActiveAt: r.active_at,
      })),
      next,
    };
  }

  /** Best effort: a failed step is logged, the listing answers, the next one goes on. */
  private backfill(tenant: string): Promise<void> {
    this.backfilling ??= backfillUsers(this.env, tenant, this.sql, this.notedMeanwhile)
      .catch((error) => {
        console.error(JSON.stringify({ event: "user_backfill_failed", error: String(error) }));
      })
      .finally(() => {
        this.backfilling = null;
        this.notedMeanwhile.clear();
      });
    return this.backfilling;
  }

  private touchUser(userId: string): void {
    this.sql.exec(
      `INSERT INTO users (id, active_at) VALUES (?1, ?2)
       ON CONFLICT (id) DO UPDATE SET active_at = max(active_at, excluded.active_at)`,
      userId,
      new Date().toISOString(),
    );
  }

  /** A user is listed while they own a conversation or a memory. */
  private dropUserIfEmpty(userId: string): void {
    this.sql.exec(
      `DELETE FROM users WHERE id = ?1 AND memories = 0
         AND NOT EXISTS (SELECT 1 FROM conversations WHERE user_id = ?1)`,
      userId,
    );
  }

  async list(query: {
    userId?: string;
    limit: number;
    after?: PagePosition;
  }): Promise<DirectoryPage> {
    const rows = this.sql
      .exec<{ id: string; created_at: string }>(
        `SELECT id, created_at FROM conversations
         WHERE (?1 IS NULL OR user_id = ?1) AND ${afterPosition(2)}
         ORDER BY created_at DESC, id DESC LIMIT ?4`,
        query.userId ?? null,
        ...positionParams(query.after),
        query.limit + 1,
      )
      .toArray();
    const { page, next } = keysetPage(rows, query.limit, (r) => ({
      createdAt: r.created_at,
      id: r.id,
    }));
    return { ids: page.map((r) => r.id), next };
  }
}
