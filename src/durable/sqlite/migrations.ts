export interface Migration {
  id: number;
  description: string;
  sql: string;
}

/**
 * Applies, in id order, every migration not yet recorded in `_migrations`.
 * Released migrations are never edited: a change of schema is a new entry.
 */
export function applyMigrations(sql: SqlStorage, migrations: readonly Migration[]): number {
  sql.exec(
    "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const applied = new Set(
    sql
      .exec<{ id: number }>("SELECT id FROM _migrations")
      .toArray()
      .map((row) => row.id),
  );
  let count = 0;
  for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
    if (applied.has(migration.id)) continue;
    sql.exec(migration.sql);
    sql.exec(
      "INSERT INTO _migrations (id, description, applied_at) VALUES (?, ?, ?)",
      migration.id,
      migration.description,
      new Date().toISOString(),
    );
    count++;
  }
  return count;
}

export const hasTable = (sql: SqlStorage, name: string): boolean =>
  sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name).toArray().length >
  0;

/**
 * The SQL storage of an object whose schema is migrated when it starts, before any
 * request reaches it (for objects that always have a schema).
 */
export function migratedOnStart(
  ctx: DurableObjectState,
  migrations: readonly Migration[],
): SqlStorage {
  const sql = ctx.storage.sql;
  ctx.blockConcurrencyWhile(async () => {
    applyMigrations(sql, migrations);
  });
  return sql;
}
