import { afterEach, describe, expect, it } from "vitest";
import { encodeCursor } from "../../../src/memory/cursor";
import { call, freshId } from "../../helpers/http";
import { expectProblem } from "../../helpers/problems";
import { eventualConsistency, kvLimitReport } from "../../helpers/production-limits";

/**
 * A memory patched every turn has thousands of versions; history answers them a page at a
 * time (it loaded every version at once: issue #14, finding 1), every version across pages.
 */
describe("GET /v1/memories/{id}/history pages", () => {
  it("answers at most a page of versions and a cursor that reaches every version, oldest first", {
    timeout: 60_000,
  }, async () => {
    const created = await call("POST", "/v1/memories", {
      body: { userId: freshId("u"), text: "version 1" },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const VERSIONS = 130;
    for (let v = 2; v <= VERSIONS; v++) {
      const patched = await call("PATCH", `/v1/memories/${id}`, { body: { text: `version ${v}` } });
      expect(patched.status, patched.text).toBe(200);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?cursor=${cursor}` : "";
      const page = await call("GET", `/v1/memories/${id}/history${query}`);
      expect(page.status, page.text).toBe(200);
      expect(page.json.versions.length).toBeLessThanOrEqual(100);
      for (const memory of page.json.versions) {
        expect(memory.text).toBe(`version ${memory.version}`);
        seen.push(memory.version);
      }
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
  });

  it("a short history is one page with a null cursor; a cursor it did not issue is 400", async () => {
    const created = await call("POST", "/v1/memories", {
      body: { userId: freshId("u"), text: "only" },
    });
    const id = created.json.id as string;
    const page = await call("GET", `/v1/memories/${id}/history`);
    expect(page.json).toEqual({ versions: [created.json], nextCursor: null });
    for (const forged of [{ v: 0 }, { v: 1 }, { v: -3 }, { v: 1.5 }, { c: "x" }, "v"]) {
      const res = await call("GET", `/v1/memories/${id}/history?cursor=${encodeCursor(forged)}`);
      expectProblem(res, 400, "invalid_request", ["cursor"]);
    }
  });
});

describe("history while KV lags", () => {
  afterEach(() => eventualConsistency(false));

  it("reads a page from the memory's record when KV does not show every version yet", async () => {
    eventualConsistency(true);
    const created = await call("POST", "/v1/memories", {
      body: { userId: freshId("u"), text: "version 1" },
    });
    const id = created.json.id as string;
    for (let v = 2; v <= 4; v++) {
      await call("PATCH", `/v1/memories/${id}`, { body: { text: `version ${v}` } });
    }
    const page = await call("GET", `/v1/memories/${id}/history`);
    expect(kvLimitReport().hiddenReads).toBeGreaterThan(0);
    expect(page.json.versions.map((m: { text: string }) => m.text)).toEqual([
      "version 1",
      "version 2",
      "version 3",
      "version 4",
    ]);
    expect(page.json.nextCursor).toBeNull();
  });
});
