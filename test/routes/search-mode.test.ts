import { describe, expect, it } from "vitest";
import { call, freshId } from "../helpers/http";

/** Without an embedder (EMBEDDINGS unset here): words only, and `semantic` is refused. */
describe("search mode without an embedder", () => {
  const conversation = freshId();
  const user = freshId("user");

  it("mode semantic is a 400 naming mode, on every search", async () => {
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: [{ role: "user", content: "Marco is vegetarian" }] },
    });
    const requests = [
      call("POST", "/v1/memories/search", {
        body: { query: "food", userId: user, mode: "semantic" },
      }),
      call("POST", `/v1/conversations/${conversation}/search`, {
        body: { query: "food", mode: "semantic" },
      }),
      call("POST", `/v1/conversations/${conversation}/context`, {
        body: { query: "food", mode: "semantic" },
      }),
      call("GET", `/v1/conversations/${conversation}/context?query=food&mode=semantic`),
    ];
    for (const response of await Promise.all(requests)) {
      expect(response.status).toBe(400);
      expect(response.json.code).toBe("invalid_request");
      expect(response.json.errors).toEqual([
        { path: "mode", message: expect.stringContaining("embedder") },
      ]);
    }
  });

  it("an unknown mode is a 400 naming mode", async () => {
    const response = await call("POST", "/v1/memories/search", {
      body: { query: "food", userId: user, mode: "vibes" },
    });
    expect(response.status).toBe(400);
    expect(response.json.errors[0].path).toBe("mode");
  });

  it("lexical and hybrid rank by words, and every hit carries match", async () => {
    await call("POST", "/v1/memories", { body: { text: "Marco is vegetarian", userId: user } });
    for (const mode of [undefined, "lexical", "hybrid"]) {
      const memories = await call("POST", "/v1/memories/search", {
        body: { query: "vegetarian", userId: user, ...(mode ? { mode } : {}) },
      });
      expect(memories.status).toBe(200);
      expect(memories.json.results[0].match).toEqual({ lexical: 1, semantic: null });
      const messages = await call("POST", `/v1/conversations/${conversation}/search`, {
        body: { query: "vegetarian", ...(mode ? { mode } : {}) },
      });
      expect(messages.status).toBe(200);
      expect(messages.json.results[0].match).toEqual({ lexical: 1, semantic: null });
    }
  });
});
