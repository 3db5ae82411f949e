import type { Env } from "../../env";
import type { Scope } from "../../memory/memories";
import { directoryStub } from "../directory/api";

/**
 * After a write to a user's memory index, tells the tenant directory how many memories that
 * user has (the `GET /v1/users` listing). Best effort: the memory write has happened, and
 * the next write of the user corrects the count.
 */
export async function noteUserMemories(
  env: Env,
  tenant: string,
  scope: Scope,
  held: number,
): Promise<void> {
  if (scope.kind !== "user") return;
  try {
    await directoryStub(env, tenant).noteUserMemories({ userId: scope.id, memories: held });
  } catch (error) {
    console.error(JSON.stringify({ event: "user_listing_failed", error: String(error) }));
  }
}
