// The client's types, derived from the server's own schemas and domain types. Every
// import here is type-only, so the built client carries none of the server (or zod).
import type { z } from "@hono/zod-openapi";
import type { ContextResponse } from "../memory/context/types.js";
import type { Match, SearchMode } from "../memory/match.js";

export type { Match, SearchMode };

import type {
  AppendReceipt,
  Conversation,
  DeletionReceipt,
  RewindReceipt,
  SentMessage,
} from "../memory/conversation.js";
import type { ContextBody } from "../routes/context-schemas.js";
import type {
  CreateMemoriesBody,
  CreateMemoryBody,
  ImportedMemorySchema,
  MemorySchema,
  PatchMemoryBody,
  SearchMemoriesBody,
} from "../routes/memory-schemas.js";
import type { AppendBody, AppendEntrySchema } from "../routes/message-schemas.js";
import type { ConversationSettingsBody } from "../routes/schemas.js";

export type ConversationSettings = z.input<typeof ConversationSettingsBody>;
export type { Conversation };
/** A chat message, or an item of OpenAI's Responses API (`response.output`) as the SDK gives it. */
export type MessageInput = z.input<typeof AppendEntrySchema>;
export type AppendRequest = z.input<typeof AppendBody>;
export type AppendResponse = AppendReceipt;
export type RewindResponse = RewindReceipt;
/** A message as the API returns it: content, `tool_calls` and `tool_call_id` (or the Responses API `item`) as sent. */
export type Message = SentMessage;
export type Context = ContextResponse;
export type Memory = z.infer<typeof MemorySchema>;
export type CreateMemory = z.input<typeof CreateMemoryBody>;
export type ImportMemory = z.input<typeof CreateMemoriesBody>["memories"][number];
export type ImportedMemory = z.infer<typeof ImportedMemorySchema>;
export type MemoryPatch = z.input<typeof PatchMemoryBody>;
export type MemorySearch = z.input<typeof SearchMemoriesBody>;

export interface Page {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface ConversationList {
  conversations: Conversation[];
  nextCursor: string | null;
}

export interface MessageList {
  messages: Message[];
  nextCursor: string | null;
}

export interface ConversationDeletion {
  deleted: DeletionReceipt;
}

/** The budget, the recall query and `explain`, as `POST …/context` takes them. */
export type ContextOptions = z.input<typeof ContextBody>;

export interface MemoryList {
  memories: Memory[];
  nextCursor: string | null;
}

export interface MemoryScope {
  userId?: string;
  agentId?: string;
  conversationId?: string;
}

export interface UserDeletion {
  deleted: { conversations: number; messages: number; memories: number };
}

/** One line of `GET /v1/users/{userId}/export`. */
export type ExportRecord =
  | ({ type: "conversation" } & Record<string, unknown>)
  | ({ type: "message" } & Record<string, unknown>)
  | ({ type: "memory" } & Record<string, unknown>);

export interface ApiKey {
  id: string;
  tenant: string;
  name: string | null;
  createdAt: string;
}

export interface MintedApiKey extends ApiKey {
  /** The secret, shown only once. */
  key: string;
}

export interface Health {
  ok: true;
  version: string;
}

/** RFC 9457 problem details as edgemem sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { path: string; message: string }[];
}
