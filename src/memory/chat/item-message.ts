import type { MessageInput, Metadata, Role } from "../conversation";
import { itemRole, itemText, type ResponseItem } from "./response-items";

/** What an app may send beside an item's own fields (taken off before it is stored). */
export interface ItemExtras {
  metadata?: Metadata;
  pinned?: boolean;
  createdAt?: string;
}

/**
 * The message an appended Responses API item becomes: its speaker (`itemRole`), its words
 * as content (`itemText`), the item as sent without edgemem's fields, and an id from the
 * item's own, so the same output appended twice is stored once (`itemMessageId`). An item
 * id that makes no valid message id (`isMessageId`; another provider's form) gives none:
 * the item is stored all the same, under a new id.
 */
export function asItemMessage(
  sent: ResponseItem & ItemExtras,
  isMessageId: (id: string) => boolean,
): MessageInput {
  const { metadata, pinned, createdAt, ...item } = sent;
  const id = typeof item.id === "string" ? itemMessageId(item.id) : null;
  return {
    role: itemRole(item) as Role,
    content: itemText(item),
    item,
    ...(id && isMessageId(id) ? { id } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    ...(pinned !== undefined ? { pinned } : {}),
    ...(createdAt !== undefined ? { createdAt } : {}),
  };
}

/**
 * A message id for an OpenAI item id: `oai:` and the id with `_` read as `-` (message ids
 * take letters, digits and `._:@-`). An app's own id of that form that names another
 * message is a 409, never an overwrite.
 */
export const itemMessageId = (itemId: string) => `oai:${itemId.replaceAll("_", "-")}`;
