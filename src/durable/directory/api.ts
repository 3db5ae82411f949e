import type { Env } from "../../env";
import type { PagePosition } from "../sqlite/keyset-page";

/** What callers may ask of a tenant's directory (TenantDirectory implements it). */
export interface DirectoryApi {
  remember(entry: DirectoryEntry): Promise<void>;
  forget(id: string): Promise<void>;
  /** Most recent first; `after` is the previous page's `next`. */
  list(query: { userId?: string; limit: number; after?: PagePosition }): Promise<DirectoryPage>;
}

export interface DirectoryEntry {
  id: string;
  userId: string | null;
  createdAt: string;
}

export interface DirectoryPage {
  ids: string[];
  /** Where the next page starts, or null on the last page. */
  next: PagePosition | null;
}

export const directoryObjectName = (tenant: string) => `t/${tenant}/directory`;

export const directoryStub = (env: Env, tenant: string) =>
  env.DIRECTORY.get(
    env.DIRECTORY.idFromName(directoryObjectName(tenant)),
  ) as unknown as DirectoryApi;
