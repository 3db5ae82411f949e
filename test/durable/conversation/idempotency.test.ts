import { describe, expect, it } from "vitest";
import { sqlOf } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";

describe("Idempotency-Key retention", () => {
  it("replays keys for at least 24 h and forgets them after 48 h", async () => {
    const id = freshId("idem");
    const append = (key: string, content: string) =>
      call("POST", `/v1/conversations/${id}/messages`, {
        body: { messages: [{ role: "user", content }] },
        headers: { "idempotency-key": key },
      });
    await append("day-old", "first");
    await append("three-days-old", "second");
    const hour = 3600 * 1000;
    await sqlOf(
      id,
      "UPDATE idempotency SET created_at = ? WHERE key = 'day-old'",
      Date.now() - 25 * hour,
    );
    await sqlOf(
      id,
      "UPDATE idempotency SET created_at = ? WHERE key = 'three-days-old'",
      Date.now() - 72 * hour,
    );
    // The sweep runs once per hundred messages.
    const filler = Array.from({ length: 100 }, (_, i) => ({ role: "user", content: `m${i}` }));
    await call("POST", `/v1/conversations/${id}/messages`, { body: { messages: filler } });

    const keys = await sqlOf<{ key: string }>(id, "SELECT key FROM idempotency ORDER BY key");
    expect(keys.map((k) => k.key)).toEqual(["day-old"]);
    const replay = await append("day-old", "first");
    expect(replay.json.messages[0].seq).toBe(1);
  });
});
