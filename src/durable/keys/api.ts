import type { KeyRecord } from "../../auth/minted-keys";
import type { Env } from "../../env";
import type { Result } from "../../memory/result";
import type { PagePosition } from "../sqlite/keyset-page";

/** What the admin routes may ask of the key registry (KeyRegistry implements it). */
export interface KeyRegistryApi {
  register(key: KeyRegistration): Promise<KeyRecord>;
  /** Most recent first; `after` is the previous page's `next`. */
  list(query: { tenant?: string; limit: number; after?: PagePosition }): Promise<KeyPage>;
  /** Deletes the key; answers its digest so the caller can drop it from its cache. */
  revoke(id: string): Promise<Result<{ digest: string }>>;
}

export interface KeyRegistration extends KeyRecord {
  /** SHA-256 of the secret, hex. */
  digest: string;
}

export interface KeyPage {
  keys: KeyRecord[];
  next: PagePosition | null;
}

export const KEY_REGISTRY_NAME = "registry";

export const keyRegistryStub = (env: Env) =>
  env.KEYS.get(env.KEYS.idFromName(KEY_REGISTRY_NAME)) as unknown as KeyRegistryApi;
