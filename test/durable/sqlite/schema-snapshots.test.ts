import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  CONVERSATION_MIGRATIONS,
  CONVERSATION_SNAPSHOT,
} from "../../../src/durable/conversation/schema";
import {
  DIRECTORY_MIGRATIONS,
  DIRECTORY_SNAPSHOT,
} from "../../../src/durable/directory/tenant-directory";
import {
  applyMigrations,
  type Migration,
  type SchemaSnapshot,
} from "../../../src/durable/sqlite/migrations";
import { conversations } from "../../helpers/conversation-object";

// Any SQLite-backed object will do as a scratch database (a conversation that was never
// written has no schema).
const scratch = (name: string) =>
  conversations().get(conversations().idFromName(`test/snapshot/${name}`));

/** Whitespace is the one liberty a snapshot takes with the text SQLite keeps. */
const normalized = (text: string | null) =>
  text
    ?.replace(/\s+/g, " ")
    .replace(/\s*([(),;])\s*/g, "$1")
    .trim() ?? null;

/** Every schema object, and every row of every ordinary table (FTS5's shadow tables too). */
function dump(sql: SqlStorage) {
  const objects = sql
    .exec<{ type: string; name: string; tbl_name: string; sql: string | null }>(
      `SELECT type, name, tbl_name, sql FROM sqlite_master
       WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       ORDER BY type, name`,
    )
    .toArray()
    .map((o) => ({ ...o, sql: normalized(o.sql) }));
  const rows: Record<string, unknown[]> = {};
  for (const o of objects) {
    if (o.type !== "table" || o.sql?.startsWith("CREATE VIRTUAL")) continue;
    const columns = o.name === "_migrations" ? "id, description" : "*";
    rows[o.name] = sql.exec(`SELECT ${columns} FROM "${o.name}" ORDER BY 1`).toArray();
  }
  return { objects, rows };
}

async function built(name: string, migrations: readonly Migration[], snapshot?: SchemaSnapshot) {
  return runInDurableObject(scratch(name), (_instance, state) => {
    const sql = state.storage.sql;
    const applied = state.storage.transactionSync(() => applyMigrations(sql, migrations, snapshot));
    return { applied, ...dump(sql) };
  });
}

describe("schema snapshots for new objects", () => {
  for (const [object, migrations, snapshot] of [
    ["conversation", CONVERSATION_MIGRATIONS, CONVERSATION_SNAPSHOT],
    ["directory", DIRECTORY_MIGRATIONS, DIRECTORY_SNAPSHOT],
  ] as const) {
    it(`the ${object} snapshot builds what its migrations build`, async () => {
      const through = migrations.filter((m) => m.id <= snapshot.through);
      const replayed = await built(`${object}-replayed`, through);
      const fromSnapshot = await built(`${object}-snapshot`, migrations, snapshot);
      expect(fromSnapshot.applied).toBe(migrations.length);
      // On a mismatch after a new migration: write its effect into the snapshot (SQLite's
      // own text of each object is in `replayed.objects`) and raise `through`.
      expect(fromSnapshot.objects).toEqual(replayed.objects);
      expect(fromSnapshot.rows).toEqual(replayed.rows);
    });
  }

  it("later migrations apply on top; a database with migrations ignores the snapshot", async () => {
    const v1: Migration = { id: 1, description: "notes", sql: "CREATE TABLE notes (id INTEGER)" };
    const v2: Migration = { id: 2, description: "tag", sql: "ALTER TABLE notes ADD COLUMN tag" };
    const snapshot: SchemaSnapshot = { through: 1, sql: "CREATE TABLE notes (id INTEGER);" };
    const fresh = await built("toy-fresh", [v1, v2], snapshot);
    expect(fresh.applied).toBe(2);
    expect(fresh.objects.find((o) => o.name === "notes")?.sql).toBe(
      "CREATE TABLE notes(id INTEGER,tag)",
    );
    await runInDurableObject(scratch("toy-old"), (_instance, state) => {
      const sql = state.storage.sql;
      expect(applyMigrations(sql, [v1])).toBe(1);
      // A snapshot that would fail on this database (the table exists) is not run.
      expect(applyMigrations(sql, [v1, v2], snapshot)).toBe(1);
      expect(sql.exec("SELECT id FROM _migrations ORDER BY id").toArray()).toEqual([
        { id: 1 },
        { id: 2 },
      ]);
    });
  });
});
