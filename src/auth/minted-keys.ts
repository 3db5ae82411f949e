import { toHex } from "../memory/digest";
/**
 * Keys minted through `/v1/admin/keys`. The secret is shown once; what is kept is
 * its SHA-256 digest: a row in the KeyRegistry Durable Object (the source of truth,
 * for listing and revoking) and a KV record under `auth/key/{sha256hex}` (read on
 * every request, at the edge, without waking the registry).
 */

export const KEY_PREFIX = "em_live_";
/** 32 random bytes in base64url: 43 characters after the prefix. */
const MINTED_KEY = /^em_live_[A-Za-z0-9_-]{43}$/;
export const KEY_RECORD_PREFIX = "auth/key/";

/** How long an isolate trusts a KV answer about a key before asking again. */
export const KEY_CACHE_TTL_MS = 30_000;
/** KV's own edge cache of the record (its minimum); see docs/security.md for the bound. */
const KV_CACHE_TTL_SECONDS = 30;
const KEY_CACHE_MAX_ENTRIES = 10_000;

export interface KeyRecord {
  id: string;
  tenant: string;
  name: string | null;
  createdAt: string;
}

export const isMintedKeyShape = (presented: string) => MINTED_KEY.test(presented);
export const keyRecordName = (digestHex: string) => `${KEY_RECORD_PREFIX}${digestHex}`;

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function newKeySecret(): string {
  return `${KEY_PREFIX}${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** Key ids appear in URLs and logs; they follow the identifier syntax and reveal nothing. */
export function newKeyId(): string {
  return `key_${toHex(crypto.getRandomValues(new Uint8Array(12)).buffer)}`;
}

// Only positive answers are cached: a key that is unknown now may be minted a moment later.
const cache = new Map<string, { record: KeyRecord; expires: number }>();

/** The record of a minted key by digest, through the isolate's short cache. */
export async function findMintedKey(
  kv: KVNamespace,
  digestHex: string,
  now = Date.now(),
): Promise<KeyRecord | null> {
  const hit = cache.get(digestHex);
  if (hit && hit.expires > now) return hit.record;
  if (hit) cache.delete(digestHex);
  const record = await kv.get<KeyRecord>(keyRecordName(digestHex), {
    type: "json",
    cacheTtl: KV_CACHE_TTL_SECONDS,
  });
  if (!record) return null;
  if (cache.size >= KEY_CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(digestHex, { record, expires: now + KEY_CACHE_TTL_MS });
  return record;
}

/** Revocation in this isolate takes effect at once; other isolates wait out their TTL. */
export function forgetMintedKey(digestHex: string): void {
  cache.delete(digestHex);
}
