import type { Metadata, Role } from "../memory/conversation";

/**
 * Motorhead and Zep name speakers `Human` and `AI`; edgemem stores chat roles. The
 * original name is kept in message metadata under this key whenever the way back
 * would not restore it (a Zep role such as `narrator`, or `user` sent literally).
 */
export const ORIGINAL_ROLE_KEY = "edgemem:compatRole";

/**
 * Maps, not object literals: a speaker named `__proto__` or `constructor` is a name like
 * any other, never a property of Object.prototype.
 */
const INBOUND = new Map<string, Role>([
  ["Human", "user"],
  ["AI", "assistant"],
  ["user", "user"],
  ["assistant", "assistant"],
  ["system", "system"],
  ["developer", "developer"],
  ["tool", "tool"],
]);

const OUTBOUND: Record<Role, string> = {
  user: "Human",
  assistant: "AI",
  system: "system",
  developer: "developer",
  tool: "tool",
};

/** Zep's `role_type` (0.2x clients send it): which chat role an unknown speaker plays. */
const ROLE_TYPES = new Map<string, Role>([
  ["user", "user"],
  ["assistant", "assistant"],
  ["system", "system"],
  ["developer", "developer"],
  ["tool", "tool"],
  ["function", "tool"],
]);

/** The stored role of a compat speaker, and the original name when it must be kept. */
export function inboundRole(
  role: string,
  roleType?: string,
): { role: Role; original: string | undefined } {
  const stored = INBOUND.get(role) ?? (roleType ? ROLE_TYPES.get(roleType) : undefined) ?? "user";
  return { role: stored, original: OUTBOUND[stored] === role ? undefined : role };
}

/** What a compat client sees: the kept original, else `Human`/`AI`/`system`/`tool`. */
export function outboundRole(role: Role, metadata: Metadata | null | undefined): string {
  const original = metadata?.[ORIGINAL_ROLE_KEY];
  return typeof original === "string" ? original : OUTBOUND[role];
}

/** Message metadata with the original role recorded (or as given when there is none). */
export function withOriginalRole(
  metadata: Metadata | undefined,
  original: string | undefined,
): Metadata | undefined {
  if (original === undefined) return metadata;
  return { ...metadata, [ORIGINAL_ROLE_KEY]: original };
}

/** Message metadata as a compat client sees it: without the bookkeeping key. */
export function visibleMetadata(metadata: Metadata | null | undefined): Metadata {
  if (!metadata || !(ORIGINAL_ROLE_KEY in metadata)) return metadata ?? {};
  const { [ORIGINAL_ROLE_KEY]: _kept, ...rest } = metadata;
  return rest;
}
