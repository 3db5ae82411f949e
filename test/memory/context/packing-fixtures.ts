import { packContext } from "../../../src/memory/context/packing";
import type { RecallTurn } from "../../../src/memory/context/passages";
import type { RecallCandidate } from "../../../src/memory/context/recall";
import type {
  ContextMessage,
  PackInput,
  PinnedMessage,
  RecentTurn,
} from "../../../src/memory/context/types";

/** One token a word: easy to reason about in examples. */
export const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export const turn = (
  seq: number,
  content: string,
  extra: Partial<RecentTurn> = {},
): RecentTurn => ({
  seq,
  role: seq % 2 ? "user" : "assistant",
  content,
  tokens: words(content),
  ...extra,
});
export const pinned = (content: string, name?: string): PinnedMessage => ({
  role: "system",
  content,
  tokens: words(content),
  ...(name ? { name } : {}),
});
export const memory = (id: string, text: string): RecallCandidate => ({
  kind: "memory",
  id,
  text,
  score: 1,
});
export const archived = (seq: number, text: string): RecallCandidate => ({
  kind: "message",
  id: `m${seq}`,
  seq,
  text,
  score: 1,
  role: "user",
  createdAt: "2026-11-20T10:00:00Z",
});
/**
 * Archived turns as recall reads them (`recallTurns`), all said on 2026-03-14; odd seqs
 * are the user's, even ones the assistant's, unless a role is given.
 */
export const archivedTurns = (
  turns: readonly [seq: number, content: string, role?: RecallTurn["role"]][],
): Map<number, RecallTurn> =>
  new Map(
    turns.map(([seq, content, role]) => [
      seq,
      {
        seq,
        id: `m${seq}`,
        role: role ?? (seq % 2 ? "user" : "assistant"),
        content,
        createdAt: "2026-03-14T10:00:00Z",
      },
    ]),
  );
/** n turns of `size` words each, newest first. */
export const turns = (n: number, size = 5) =>
  Array.from({ length: n }, (_, i) =>
    turn(
      n - i,
      Array(size)
        .fill(`w${n - i}`)
        .join(" "),
    ),
  );

export function pack(input: Partial<PackInput>) {
  return packContext({
    pinned: [],
    summary: null,
    recalled: [],
    recentNewestFirst: [],
    maxTokens: 1000,
    count: words,
    ...input,
  });
}

export function packed(input: Partial<PackInput>) {
  const result = pack(input);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

export const recount = (messages: ContextMessage[], count: (t: string) => number) =>
  messages.reduce(
    (sum, m) => sum + count(typeof m.content === "string" ? m.content : "") + 3 + (m.name ? 1 : 0),
    0,
  );
