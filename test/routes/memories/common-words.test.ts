import { describe, expect, it } from "vitest";
import { COMMON_DOCS } from "../../../src/durable/sqlite/term-counts";
import { call, freshId } from "../../helpers/http";

const importAll = async (memories: { id: string; text: string; userId: string }[]) => {
  for (let i = 0; i < memories.length; i += 100) {
    const res = await call("POST", "/v1/memories/batch", {
      body: { memories: memories.slice(i, i + 100) },
    });
    expect(res.status, res.text).toBe(201);
  }
};

describe("memory search cost stays bounded as a user's memories grow", () => {
  it("leaves out words in more than COMMON_DOCS memories, and notices counts move both ways", async () => {
    const userId = freshId("many");
    const idsFor = async (query: string) =>
      (
        await call("POST", "/v1/memories/search", { body: { userId, query, limit: 50 } })
      ).json.results
        .map((r: any) => r.memory.id)
        .sort();

    await importAll([
      { id: `${userId}-kiwi`, text: "A kiwi on the table.", userId },
      { id: `${userId}-zebra`, text: "A zebra at the gate.", userId },
    ]);
    expect(await idsFor("kiwi zebra")).toEqual([`${userId}-kiwi`, `${userId}-zebra`]);

    // "kiwi" grows past COMMON_DOCS after it was counted: the next search leaves it out.
    const crates = Array.from({ length: COMMON_DOCS + 50 }, (_, i) => ({
      id: `${userId}-crate-${i}`,
      text: `kiwi crate ${i}`,
      userId,
    }));
    await importAll(crates);
    expect(await idsFor("kiwi zebra")).toEqual([`${userId}-zebra`]);

    // Deleting crates brings it back under: ranked again (kiwi memories fill the results).
    for (const crate of crates.slice(0, 100)) {
      expect((await call("DELETE", `/v1/memories/${crate.id}`)).status).toBe(204);
    }
    const both = await idsFor("kiwi zebra");
    expect(both).toContain(`${userId}-zebra`);
    expect(both.length).toBe(50);
    expect(both.some((id: string) => id.includes("-crate-"))).toBe(true);
  }, 120_000);
});
