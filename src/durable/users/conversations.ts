import type { Env } from "../../env";
import { directoryStub } from "../directory/api";
import type { PagePosition } from "../sqlite/keyset-page";

const PAGE = 100;

/** Pages through the user's conversations in the tenant directory, most recent first. */
export async function* userConversations(env: Env, tenant: string, userId: string) {
  let after: PagePosition | undefined;
  do {
    const page = await directoryStub(env, tenant).list({ userId, limit: PAGE, after });
    yield* page.ids;
    after = page.next ?? undefined;
  } while (after);
}
