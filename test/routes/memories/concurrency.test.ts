import { describe, expect, it } from "vitest";
import { call, freshId } from "../../helpers/http";

describe("memory writes under concurrency", () => {
  it("creates an id once when many create it at the same time", async () => {
    const id = freshId("mem");
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call("POST", "/v1/memories", { body: { id, userId: freshId("u"), text: `racer ${i}` } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
  });

  it("lets exactly one of many PATCHes with the same If-Match win", async () => {
    const id = freshId("mem");
    const userId = freshId("u");
    await call("POST", "/v1/memories", { body: { id, userId, text: "start" } });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call("PATCH", `/v1/memories/${id}`, {
          body: { text: `writer ${i}` },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(9);
    const history = await call("GET", `/v1/memories/${id}/history`);
    expect(history.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it("applies concurrent PATCHes without If-Match one after another, none lost", async () => {
    const id = freshId("mem");
    const userId = freshId("u");
    await call("POST", "/v1/memories", { body: { id, userId, text: "start" } });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call("PATCH", `/v1/memories/${id}`, { body: { text: `writer ${i}` } }),
      ),
    );
    const current = await call("GET", `/v1/memories/${id}`);
    expect(current.json.version).toBe(9);
    const history = await call("GET", `/v1/memories/${id}/history`);
    expect(history.json.versions).toHaveLength(9);
    const search = await call("POST", "/v1/memories/search", { body: { userId, query: "writer" } });
    expect(search.json.results).toHaveLength(1);
    expect(search.json.results[0].memory).toEqual(current.json);
  });
});
