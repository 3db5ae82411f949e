import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

describe("exactly-once under concurrency", () => {
  it("200 concurrent appends over mixed conversations, with retries, give seq 1..N per conversation", async () => {
    const conversations = Array.from({ length: 5 }, () => freshId("busy"));
    const requests = Array.from({ length: 200 }, (_, i) => {
      const conversation = conversations[i % conversations.length] as string;
      const body = {
        messages: [
          { role: "user", content: `question ${i}`, id: `q-${i}` },
          { role: "assistant", content: `answer ${i}`, id: `a-${i}` },
        ],
      };
      return { conversation, body, key: `req-${i}` };
    });
    // Every request is sent, and a third of them again at the same time: the retries reuse
    // the Idempotency-Key (and so the message ids); some retries drop the key and rely on ids.
    const sends = requests.flatMap((r, i) => {
      const send = (headers: Record<string, string>) =>
        call("POST", `/v1/conversations/${r.conversation}/messages`, { body: r.body, headers });
      const first = send({ "idempotency-key": r.key });
      if (i % 3 !== 0) return [first];
      return [first, send(i % 2 ? { "idempotency-key": r.key } : {})];
    });
    const responses = await Promise.all(sends);
    for (const res of responses) expect(res.status, res.text).toBe(201);

    for (const conversation of conversations) {
      const res = await call("GET", `/v1/conversations/${conversation}/messages?limit=500`);
      const seqs = res.json.messages.map((m: { seq: number }) => m.seq);
      const ids = res.json.messages.map((m: { id: string }) => m.id);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(new Set(ids).size).toBe(ids.length);
      expect(seqs.length).toBe(80); // 40 requests of 2 messages each
      // Each request's pair stays adjacent and in order.
      for (let i = 0; i < ids.length; i += 2) {
        expect(ids[i].replace("q-", "a-")).toBe(ids[i + 1]);
      }
    }
  });
});
