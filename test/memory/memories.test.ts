import { describe, expect, it } from "vitest";
import {
  newMemory,
  parseIfMatch,
  patchMemory,
  sameCreation,
  scopesOf,
} from "../../src/memory/memories";
import { indexTerms, MAX_QUERY_TERMS, matchExpression } from "../../src/memory/search-query";

describe("matchExpression", () => {
  it("ORs quoted words, so no input is FTS5 syntax", () => {
    expect(matchExpression("Window seat")).toBe('"window" OR "seat"');
    expect(matchExpression('x"y NEAR(z) w*')).toBe('"x" OR "y" OR "near" OR "z" OR "w"');
    expect(matchExpression("?! ... --")).toBeNull();
  });

  it("drops stopwords unless nothing else is left", () => {
    expect(matchExpression("what is my seat")).toBe('"seat"');
    expect(matchExpression("what is it")).toBe('"what" OR "is" OR "it"');
  });

  it("splits Chinese and Japanese into overlapping character pairs", () => {
    expect(matchExpression("東京タワー")).toBe('"東 京" OR "京 タ" OR "タ ワ" OR "ワ ー"');
    expect(matchExpression("猫")).toBe('"猫"');
    expect(matchExpression("hello東京")).toBe('"hello" OR "東 京"');
    expect(indexTerms("住東京")).toBe(" 住  東  京 ");
  });

  it("caps the number of terms", () => {
    const many = Array.from({ length: 100 }, (_, i) => `word${i}`).join(" ");
    expect(matchExpression(many)?.split(" OR ")).toHaveLength(MAX_QUERY_TERMS);
  });
});

describe("memories", () => {
  it('parses If-Match as 3, "3" or W/"3"', () => {
    expect(parseIfMatch("3")).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('"3')).toBeNull();
    expect(parseIfMatch("*")).toBeNull();
  });

  it("orders scopes user, agent, conversation", () => {
    expect(scopesOf({ conversationId: "c", userId: "u" })).toEqual([
      { kind: "user", id: "u" },
      { kind: "conversation", id: "c" },
    ]);
    expect(scopesOf({})).toEqual([]);
  });

  it("patches text, metadata and TTL; keeps scopes and createdAt", () => {
    const now = Date.UTC(2026, 10, 28);
    const m = newMemory({ id: "m", text: "a", userId: "u", ttlSeconds: 60 }, now);
    expect(m.expiresAt).toBe(new Date(now + 60_000).toISOString());
    const p = patchMemory(m, { metadata: { k: 1 } }, now + 1000);
    expect(p).toMatchObject({ text: "a", metadata: { k: 1 }, version: 2, userId: "u" });
    expect(p.expiresAt).toBe(m.expiresAt);
    expect(p.createdAt).toBe(m.createdAt);
    expect(patchMemory(p, { ttlSeconds: null }, now).expiresAt).toBeNull();
  });

  it("tells a replayed creation (same text, scopes, metadata, TTL) from other content", () => {
    const now = Date.UTC(2026, 10, 28);
    const input = {
      id: "m",
      text: "a",
      userId: "u",
      metadata: { k: 1, nested: { x: [1, { y: 2 }] } },
      ttlSeconds: 90,
    };
    const first = newMemory(input, now);
    expect(sameCreation(first, input)).toBe(true);
    expect(
      sameCreation(first, { ...input, metadata: { nested: { x: [1, { y: 2 }] }, k: 1 } }),
    ).toBe(true);
    for (const other of [
      { text: "b" },
      { userId: "v" },
      { agentId: "a" },
      { conversationId: "c" },
      { metadata: { k: 1 } },
      { metadata: { k: 1, nested: { x: [{ y: 2 }, 1] } } },
      { ttlSeconds: 91 },
      { ttlSeconds: null },
    ]) {
      expect(sameCreation(first, { ...input, ...other }), JSON.stringify(other)).toBe(false);
    }
    const plain = newMemory({ id: "p", text: "t", agentId: "a" }, now);
    expect(sameCreation(plain, { text: "t", agentId: "a", metadata: {} })).toBe(true);
    expect(sameCreation(plain, { text: "t", agentId: "a", ttlSeconds: null })).toBe(true);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}');
    const withHostile = newMemory({ id: "h", text: "t", userId: "u", metadata: hostile }, now);
    expect(sameCreation(withHostile, { text: "t", userId: "u", metadata: hostile })).toBe(true);
    expect(sameCreation(withHostile, { text: "t", userId: "u", metadata: {} })).toBe(false);
  });
});
