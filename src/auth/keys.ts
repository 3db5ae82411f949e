import type { Env, Principal } from "../env";
import { sha256, toHex } from "../memory/digest";
import { findMintedKey, isMintedKeyShape } from "./minted-keys";

export { sha256 };

function sameDigest(a: ArrayBuffer, b: ArrayBuffer): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

/**
 * Tenant names follow the identifier syntax: a tenant prefixes every object name and KV
 * key, so an empty or malformed one (`""`, `a/b`, a non-string) would address storage
 * outside any tenant's prefix.
 */
const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

interface StaticKey {
  digest: ArrayBuffer;
  tenant: string;
  /** `static:{tenant}:{n}`: names the key in logs and rate limits without revealing it. */
  id: string;
}

// API_KEYS is parsed and hashed once per isolate (and again only if the var changes).
let cached: { source: string; keys: StaticKey[] } | undefined;

async function staticKeys(source: string | undefined): Promise<StaticKey[]> {
  if (!source) return [];
  if (cached?.source === source) return cached.keys;
  let map: unknown;
  try {
    map = JSON.parse(source);
  } catch {
    console.error(JSON.stringify({ event: "config_error", detail: "API_KEYS is not valid JSON" }));
    map = {};
  }
  const all = Object.entries(map && typeof map === "object" ? map : {});
  const entries = all.filter(
    (entry): entry is [string, string] =>
      entry[0].length > 0 && typeof entry[1] === "string" && TENANT_NAME.test(entry[1]),
  );
  if (entries.length < all.length) {
    // Never log the keys themselves: only how many entries were left out.
    const detail = `API_KEYS: ${all.length - entries.length} entries without a valid tenant name are ignored`;
    console.error(JSON.stringify({ event: "config_error", detail }));
  }
  const keys = await Promise.all(
    entries.map(async ([key, tenant], n) => ({
      digest: await sha256(key),
      tenant,
      id: `static:${tenant}:${n}`,
    })),
  );
  cached = { source, keys };
  return keys;
}

// Like API_KEYS, the root key is hashed once per isolate (and again only if it changes).
let cachedRoot: { source: string; digest: ArrayBuffer } | undefined;

async function rootKeyDigest(source: string): Promise<ArrayBuffer> {
  if (cachedRoot?.source !== source) cachedRoot = { source, digest: await sha256(source) };
  return cachedRoot.digest;
}

/**
 * Who a presented key belongs to: the root key, a static key of `API_KEYS`, or a
 * key minted through the admin API. Configured keys are compared as SHA-256 digests
 * in constant time, and every one is compared, so timing tells nothing about which
 * came close. Minted keys are found by digest in KV; only well-formed ones are
 * looked up, so garbage costs no KV read.
 */
export async function identify(env: Env, presented: string): Promise<Principal | null> {
  const digest = await sha256(presented);
  let principal: Principal | null = null;
  if (env.ROOT_API_KEY && sameDigest(digest, await rootKeyDigest(env.ROOT_API_KEY))) {
    principal = { kind: "root", tenant: null, keyId: "root" };
  }
  for (const key of await staticKeys(env.API_KEYS)) {
    if (sameDigest(digest, key.digest) && !principal)
      principal = { kind: "tenant", tenant: key.tenant, keyId: key.id };
  }
  if (!principal && isMintedKeyShape(presented)) {
    const record = await findMintedKey(env.ARCHIVE, toHex(digest));
    if (record) principal = { kind: "tenant", tenant: record.tenant, keyId: record.id };
  }
  return principal;
}
