import { runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import { rowsOf } from "../../../src/durable/sqlite/rows";
import { conversations } from "../../helpers/conversation-object";

it("rowsOf gives what toArray gives: keys in column order, values of every type", async () => {
  const stub = conversations().get(conversations().idFromName("test/rows-of"));
  await runInDurableObject(stub, (_instance, state) => {
    const sql = state.storage.sql;
    sql.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, r REAL, s TEXT, b BLOB, z)");
    sql.exec("INSERT INTO t VALUES (1, 0.5, 'é\n', x'00ff', NULL), (2, -1e300, '', x'', 7)");
    for (const query of [
      "SELECT * FROM t ORDER BY n",
      "SELECT z, s AS text, n FROM t",
      "SELECT 1 AS x WHERE 0",
    ]) {
      const made = rowsOf(sql.exec(query));
      const runtime = sql.exec(query).toArray();
      expect(made).toEqual(runtime);
      expect(made.map((row) => Object.keys(row))).toEqual(runtime.map((row) => Object.keys(row)));
    }
  });
});
