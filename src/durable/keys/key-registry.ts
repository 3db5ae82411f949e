import { DurableObject } from "cloudflare:workers";
import { type KeyRecord, keyRecordName } from "../../auth/minted-keys";
import type { Env } from "../../env";
import { fail, ok, type Result } from "../../memory/result";
import {
  afterPosition,
  keysetPage,
  type PagePosition,
  positionParams,
} from "../sqlite/keyset-page";
import { type Migration, migratedOnStart } from "../sqlite/migrations";
import type { KeyPage, KeyRegistration, KeyRegistryApi } from "./api";

const REGISTRY_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    description: "minted API keys, by SHA-256 digest (the secret itself is never stored)",
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        name TEXT,
        digest TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX api_keys_recent ON api_keys (created_at DESC, id DESC);
      CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created_at DESC, id DESC);
    `,
  },
];

interface KeyRow extends Record<string, SqlStorageValue> {
  id: string;
  tenant: string;
  name: string | null;
  digest: string;
  created_at: string;
}

const toRecord = (row: KeyRow): KeyRecord => ({
  id: row.id,
  tenant: row.tenant,
  name: row.name,
  createdAt: row.created_at,
});

/**
 * The one registry of minted keys (name `registry`): the source of truth for
 * listing and revoking. Requests are authenticated from the KV copy of each key,
 * so this object sees admin traffic only. The row is written before the KV record
 * (a key works only once it is listed) and the KV record is cleared before the row
 * goes (a key is listed while it still works), so no key can work while the registry
 * cannot list (and so revoke) it. A crash between the two leaves a listed key that
 * does not work yet: harmless, and revocable.
 */
export class KeyRegistry extends DurableObject<Env> implements KeyRegistryApi {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = migratedOnStart(ctx, REGISTRY_MIGRATIONS);
  }

  async register(key: KeyRegistration): Promise<KeyRecord> {
    const record: KeyRecord = {
      id: key.id,
      tenant: key.tenant,
      name: key.name,
      createdAt: key.createdAt,
    };
    this.sql.exec(
      "INSERT INTO api_keys (id, tenant, name, digest, created_at) VALUES (?, ?, ?, ?, ?)",
      key.id,
      key.tenant,
      key.name,
      key.digest,
      key.createdAt,
    );
    try {
      await this.env.ARCHIVE.put(keyRecordName(key.digest), JSON.stringify(record));
    } catch (error) {
      this.sql.exec("DELETE FROM api_keys WHERE id = ?", key.id);
      throw error;
    }
    return record;
  }

  async list(query: { tenant?: string; limit: number; after?: PagePosition }): Promise<KeyPage> {
    const rows = this.sql
      .exec<KeyRow>(
        `SELECT id, tenant, name, digest, created_at FROM api_keys
         WHERE (?1 IS NULL OR tenant = ?1) AND ${afterPosition(2)}
         ORDER BY created_at DESC, id DESC LIMIT ?4`,
        query.tenant ?? null,
        ...positionParams(query.after),
        query.limit + 1,
      )
      .toArray();
    const { page, next } = keysetPage(rows, query.limit, (r) => ({
      createdAt: r.created_at,
      id: r.id,
    }));
    return { keys: page.map(toRecord), next };
  }

  async revoke(id: string): Promise<Result<{ digest: string }>> {
    const row = this.sql
      .exec<KeyRow>("SELECT id, tenant, name, digest, created_at FROM api_keys WHERE id = ?", id)
      .toArray()[0];
    if (!row) return fail("not_found", "Key not found");
    await this.env.ARCHIVE.delete(keyRecordName(row.digest));
    this.sql.exec("DELETE FROM api_keys WHERE id = ?", id);
    return ok({ digest: row.digest });
  }
}
