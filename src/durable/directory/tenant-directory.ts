import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../env";
import {
  afterPosition,
  keysetPage,
  type PagePosition,
  positionParams,
} from "../sqlite/keyset-page";
import { type Migration, migratedOnStart } from "../sqlite/migrations";
import type { DirectoryApi, DirectoryEntry, DirectoryPage } from "./api";

const DIRECTORY_MIGRATIONS: readonly Migration[] = [
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
];

/**
 * One per tenant: which conversations exist and who owns them. Written only when a
 * conversation is created, gets its owner, or is deleted, never on appends, so it
 * is no hot spot. The conversation objects stay the source of truth for content.
 */
export class TenantDirectory extends DurableObject<Env> implements DirectoryApi {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, DIRECTORY_MIGRATIONS);
  }

  async remember(entry: DirectoryEntry): Promise<{ userId: string | null }> {
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
      .exec<{ user_id: string | null }>("SELECT user_id FROM conversations WHERE id = ?", entry.id)
      .one();
    return { userId: held.user_id };
  }

  async forget(id: string): Promise<void> {
    this.sql.exec("DELETE FROM conversations WHERE id = ?", id);
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
