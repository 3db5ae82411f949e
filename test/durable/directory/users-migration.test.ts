import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DIRECTORY_MIGRATIONS } from "../../../src/durable/directory/tenant-directory";
import { applyMigrations } from "../../../src/durable/sqlite/migrations";
import { conversations } from "../../helpers/conversation-object";

// Any SQLite-backed object will do as a scratch database for the directory's schema.
const scratch = (name: string) => conversations().get(conversations().idFromName(`test/${name}`));

describe("tenant directory migrations 3 and 4 (users, and the scan for owners of memories)", () => {
  it("upgrades a directory of schema 1: owners of conversations become users, data kept", async () => {
    await runInDurableObject(scratch("directory-v1"), (_instance, state) => {
      const sql = state.storage.sql;
      expect(applyMigrations(sql, DIRECTORY_MIGRATIONS.slice(0, 1))).toBe(1);
      const insert = "INSERT INTO conversations (id, user_id, created_at) VALUES (?, ?, ?)";
      sql.exec(insert, "c1", "ana", "2026-11-01T10:00:00.000Z");
      sql.exec(insert, "c2", "ana", "2026-11-03T10:00:00.000Z");
      sql.exec(insert, "c3", "ben", "2026-11-02T10:00:00.000Z");
      sql.exec(insert, "c4", null, "2026-11-04T10:00:00.000Z");
      expect(applyMigrations(sql, DIRECTORY_MIGRATIONS)).toBe(DIRECTORY_MIGRATIONS.length - 1);
      expect(
        sql.exec("SELECT id, memories, active_at FROM users ORDER BY active_at DESC").toArray(),
      ).toEqual([
        { id: "ana", memories: 0, active_at: "2026-11-03T10:00:00.000Z" },
        { id: "ben", memories: 0, active_at: "2026-11-02T10:00:00.000Z" },
      ]);
      expect(sql.exec("SELECT COUNT(*) AS n FROM conversations").one().n).toBe(4);
      // Migration 4: the scan for users who had only memories is due (GET /v1/users runs it).
      expect(sql.exec("SELECT cursor, done FROM user_backfill").toArray()).toEqual([
        { cursor: null, done: 0 },
      ]);
      expect(applyMigrations(sql, DIRECTORY_MIGRATIONS)).toBe(0);
    });
  });
});
