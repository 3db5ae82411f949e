import type { Metadata } from "./conversation";

/** The scopes a memory can belong to; a memory has at least one. */
export type ScopeKind = "user" | "agent" | "conversation";

export interface Scope {
  kind: ScopeKind;
  id: string;
}

export interface Memory {
  id: string;
  text: string;
  userId: string | null;
  agentId: string | null;
  conversationId: string | null;
  metadata: Metadata;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  version: number;
}

export interface ScopeFields {
  userId?: string | null;
  agentId?: string | null;
  conversationId?: string | null;
}

export interface MemoryInput extends ScopeFields {
  id: string;
  text: string;
  metadata?: Metadata;
  ttlSeconds?: number | null;
}

export interface MemoryPatch {
  text?: string;
  metadata?: Metadata;
  /** A number restarts the clock from now; null clears the TTL; absent keeps it. */
  ttlSeconds?: number | null;
}

/**
 * The scopes of a memory, in a fixed order (user, agent, conversation). The first
 * is the one whose index answers a list or search naming several scopes.
 */
export function scopesOf(fields: ScopeFields): Scope[] {
  const scopes: Scope[] = [];
  if (fields.userId) scopes.push({ kind: "user", id: fields.userId });
  if (fields.agentId) scopes.push({ kind: "agent", id: fields.agentId });
  if (fields.conversationId) scopes.push({ kind: "conversation", id: fields.conversationId });
  return scopes;
}

const expiresAtFrom = (ttlSeconds: number | null | undefined, now: number): string | null =>
  ttlSeconds == null ? null : new Date(now + ttlSeconds * 1000).toISOString();

export function newMemory(input: MemoryInput, now: number): Memory {
  const at = new Date(now).toISOString();
  return {
    id: input.id,
    text: input.text,
    userId: input.userId ?? null,
    agentId: input.agentId ?? null,
    conversationId: input.conversationId ?? null,
    metadata: input.metadata ?? {},
    createdAt: at,
    updatedAt: at,
    expiresAt: expiresAtFrom(input.ttlSeconds, now),
    version: 1,
  };
}

/** The next version of a memory: scopes and createdAt never change. */
export function patchMemory(memory: Memory, patch: MemoryPatch, now: number): Memory {
  return {
    ...memory,
    text: patch.text ?? memory.text,
    metadata: patch.metadata ?? memory.metadata,
    expiresAt:
      patch.ttlSeconds === undefined ? memory.expiresAt : expiresAtFrom(patch.ttlSeconds, now),
    updatedAt: new Date(now).toISOString(),
    version: memory.version + 1,
  };
}

export const expiryMs = (memory: Pick<Memory, "expiresAt">): number | null =>
  memory.expiresAt === null ? null : Date.parse(memory.expiresAt);

export const isExpired = (memory: Pick<Memory, "expiresAt">, now: number): boolean => {
  const at = expiryMs(memory);
  return at !== null && at <= now;
};

/** `If-Match: 3` or `If-Match: "3"` (also the weak `W/"3"`); null when it names no version. */
export function parseIfMatch(header: string): number | null {
  const match = /^\s*(?:W\/)?("?)(\d{1,15})\1\s*$/.exec(header);
  return match ? Number(match[2]) : null;
}

/** Equality filters on top-level metadata keys; only JSON scalars can be compared. */
export type MetadataFilter = Record<string, string | number | boolean | null>;

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const entries = Object.keys(value)
    .sort()
    .map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
    );
  return `{${entries.join(",")}}`;
}

/**
 * Whether `input` asks for exactly the memory whose first version is `first`: the same
 * text, scopes, metadata and TTL. A retried import finds its own earlier write this way,
 * rather than a conflict, whatever has happened to the memory since.
 */
export function sameCreation(first: Memory, input: Omit<MemoryInput, "id">): boolean {
  const ttlSeconds =
    first.expiresAt === null
      ? null
      : (Date.parse(first.expiresAt) - Date.parse(first.createdAt)) / 1000;
  return (
    first.text === input.text &&
    first.userId === (input.userId ?? null) &&
    first.agentId === (input.agentId ?? null) &&
    first.conversationId === (input.conversationId ?? null) &&
    ttlSeconds === (input.ttlSeconds ?? null) &&
    canonicalJson(first.metadata) === canonicalJson(input.metadata ?? {})
  );
}

/** A memory's text as deduplication compares it (API.md): trimmed, whitespace collapsed, case-folded. */
export const dedupeText = (text: string): string =>
  text.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase();

/** Whether a memory has exactly these scopes (a memory's scopes never change). */
export const hasScopes = (memory: Memory, fields: ScopeFields): boolean =>
  memory.userId === (fields.userId ?? null) &&
  memory.agentId === (fields.agentId ?? null) &&
  memory.conversationId === (fields.conversationId ?? null);
