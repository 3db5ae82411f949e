import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { type Migration, migratedOnStart } from "./migrations";

export interface DirectoryEntry {
  id: string;
  userId: string | null;
  createdAt: string;
}

export interface DirectoryPage {
  ids: string[];
  /** Where the next page starts, or null on the last page. */
  next: { createdAt: string; id: string } | null;
}

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
];

/**
 * One per tenant: which conversations exist and who owns them. Written only when a
 * conversation is created, gets its owner, or is deleted, never on appends, so it
 * is no hot spot. The conversation objects stay the source of truth for content.
 */
export class TenantDirectory extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, DIRECTORY_MIGRATIONS);
  }

  async remember(entry: DirectoryEntry): Promise<void> {
    this.sql.exec(
      `INSERT INTO conversations (id, user_id, created_at) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id`,
      entry.id,
      entry.userId,
      entry.createdAt,
    );
  }

  async forget(id: string): Promise<void> {
    this.sql.exec("DELETE FROM conversations WHERE id = ?", id);
  }

  /** Most recent first; `after` is the previous page's `next`. */
  async list(query: {
    userId?: string;
    limit: number;
    after?: { createdAt: string; id: string };
  }): Promise<DirectoryPage> {
    const rows = this.sql
      .exec<{ id: string; created_at: string }>(
        `SELECT id, created_at FROM conversations
         WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR (created_at, id) < (?2, ?3))
         ORDER BY created_at DESC, id DESC LIMIT ?4`,
        query.userId ?? null,
        query.after?.createdAt ?? null,
        query.after?.id ?? null,
        query.limit + 1,
      )
      .toArray();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      ids: page.map((r) => r.id),
      next: rows.length > query.limit && last ? { createdAt: last.created_at, id: last.id } : null,
    };
  }
}
