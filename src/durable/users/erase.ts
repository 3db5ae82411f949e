import type { Env } from "../../env";
import { eraseConversation } from "../conversation/api";
import { eraseScopeMemories } from "../memories/erase";
import { userConversations } from "./conversations";

export interface UserErasure {
  conversations: number;
  messages: number;
  memories: number;
}

/**
 * Erases every conversation of the user (each takes the memories scoped to it along)
 * and then the user's own memories. Each step is idempotent, so an interrupted erase
 * finishes when it is run again.
 */
export async function eraseUser(env: Env, tenant: string, userId: string): Promise<UserErasure> {
  const deleted = { conversations: 0, messages: 0, memories: 0 };
  for await (const conversationId of userConversations(env, tenant, userId)) {
    const receipt = await eraseConversation(env, tenant, conversationId);
    if (!receipt.ok) continue;
    deleted.conversations++;
    deleted.messages += receipt.value.messages;
    deleted.memories += receipt.value.memories;
  }
  const memories = await eraseScopeMemories(env, tenant, { kind: "user", id: userId });
  deleted.memories += memories.erased;
  return deleted;
}
