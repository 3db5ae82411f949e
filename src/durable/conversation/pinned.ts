import { messageText } from "../../memory/chat/messages";
import type { MessageInput } from "../../memory/conversation";
import { fail, type Result } from "../../memory/result";

/**
 * Bytes of content a conversation's pinned messages may hold. They never leave working
 * memory and every context call reads and counts them all: without a bound, per-request
 * memory and CPU would grow with whatever a client chose to pin.
 */
export const PINNED_MAX_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

/**
 * The failure for an append that would take the pinned messages past `PINNED_MAX_BYTES`
 * (naming the first message that does), or null. Messages whose id exists are
 * duplicates, stored already: they add nothing.
 */
export function pinnedOverLimit(sql: SqlStorage, messages: MessageInput[]): Result<never> | null {
  if (!messages.some((m) => m.pinned)) return null;
  let bytes =
    sql
      .exec<{ bytes: number | null }>(
        "SELECT SUM(LENGTH(CAST(content AS BLOB))) AS bytes FROM messages WHERE pinned = 1",
      )
      .one().bytes ?? 0;
  for (const [i, message] of messages.entries()) {
    if (!message.pinned) continue;
    if (message.id && sql.exec("SELECT 1 FROM message_ids WHERE id = ?", message.id).toArray()[0]) {
      continue;
    }
    bytes += utf8.encode(messageText(message.content)).byteLength;
    if (bytes > PINNED_MAX_BYTES) {
      return fail(
        "invalid_request",
        `Pinned messages of a conversation hold at most ${PINNED_MAX_BYTES} bytes of content`,
        `messages.${i}.pinned`,
      );
    }
  }
  return null;
}
