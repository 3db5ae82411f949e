import type { Env } from "../../env";
import type { PagePosition } from "../sqlite/keyset-page";

/** What callers may ask of a tenant's directory (TenantDirectory implements it). */
export interface DirectoryApi {
  /** Applies the entry unless it is older than the one held; answers what it holds. */
  remember(entry: DirectoryEntry): Promise<{ userId: string | null }>;
  forget(id: string): Promise<void>;
  /** Most recent first; `after` is the previous page's `next`. */
  list(query: { userId?: string; limit: number; after?: PagePosition }): Promise<DirectoryPage>;
  /** Records how many memories a user's index holds now (0 after an erase). */
  noteUserMemories(note: { userId: string; memories: number }): Promise<void>;
  /**
   * The tenant's users, most recently active first; `after` is the previous page's `next`.
   * Also takes the backfill of users who had memories before users were kept a step on.
   */
  listUsers(query: { tenant: string; limit: number; after?: PagePosition }): Promise<UserPage>;
}

export interface UserEntry {
  id: string;
  conversations: number;
  memories: number;
  lastActiveAt: string;
}

export interface UserPage {
  users: UserEntry[];
  /** Where the next page starts (`createdAt` holds the last active time), or null. */
  next: PagePosition | null;
}

export interface DirectoryEntry {
  id: string;
  userId: string | null;
  createdAt: string;
  /**
   * The conversation's `version` when the entry was sent: with `createdAt` (a conversation
   * created again under the same id is newer), it orders entries that arrive out of order.
   */
  version: number;
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
