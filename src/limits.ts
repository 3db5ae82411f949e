import type { Env } from "./env";

/** Request limits, defaults from API.md, each overridable by a var of the same meaning. */
export interface Limits {
  bodyBytes: number;
  contentBytes: number;
  memoryTextBytes: number;
  messagesPerAppend: number;
  metadataBytes: number;
  metadataDepth: number;
}

export const DEFAULT_LIMITS: Limits = {
  bodyBytes: 1024 * 1024,
  contentBytes: 64 * 1024,
  memoryTextBytes: 16 * 1024,
  messagesPerAppend: 100,
  metadataBytes: 4 * 1024,
  metadataDepth: 8,
};

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

export function limitsFrom(env: Env): Limits {
  return {
    bodyBytes: positiveInt(env.MAX_BODY_BYTES, DEFAULT_LIMITS.bodyBytes),
    contentBytes: positiveInt(env.MAX_CONTENT_BYTES, DEFAULT_LIMITS.contentBytes),
    memoryTextBytes: positiveInt(env.MAX_MEMORY_TEXT_BYTES, DEFAULT_LIMITS.memoryTextBytes),
    messagesPerAppend: positiveInt(env.MAX_MESSAGES_PER_APPEND, DEFAULT_LIMITS.messagesPerAppend),
    metadataBytes: positiveInt(env.MAX_METADATA_BYTES, DEFAULT_LIMITS.metadataBytes),
    metadataDepth: DEFAULT_LIMITS.metadataDepth,
  };
}

const encoder = new TextEncoder();
export const utf8Bytes = (s: string) => encoder.encode(s).byteLength;

/**
 * True when objects/arrays nest deeper than `max` (a flat object is depth 1).
 * Iterative, so a hostile million-deep value cannot overflow the stack.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== "object") continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
