/**
 * The edgemem client: one method per endpoint of the API, typed by the server's own
 * schemas. Needs only `fetch` (Node 20+, browsers, Workers). Appends carry an
 * `Idempotency-Key`, and the server stores a memory's text once per scopes, so the
 * retries this client makes (network errors, 429 after `retry-after`, 5xx, with
 * backoff) can never store anything twice.
 */
import { type EdgememClientOptions, type RequestOptions, Transport } from "./transport.js";
import type {
  ApiKey,
  AppendResponse,
  Context,
  ContextOptions,
  Conversation,
  ConversationDeletion,
  ConversationList,
  ConversationSettings,
  CreateMemory,
  ExportRecord,
  Health,
  ImportedMemory,
  ImportMemory,
  Match,
  Memory,
  MemoryList,
  MemoryPatch,
  MemoryScope,
  MemorySearch,
  Message,
  MessageInput,
  MessageList,
  MintedApiKey,
  Page,
  RewindResponse,
  SearchMode,
  UserDeletion,
} from "./types.js";

export { EdgememError } from "./errors.js";
export type { EdgememClientOptions } from "./transport.js";
export type * from "./types.js";

const segment = (id: string) => encodeURIComponent(id);
const newKey = () => crypto.randomUUID();

export class EdgememClient {
  private readonly transport: Transport;

  constructor(options: EdgememClientOptions) {
    this.transport = new Transport(options);
  }

  // Conversations

  /** `PUT /v1/conversations/{id}`: creates the conversation or updates its settings. */
  putConversation(id: string, settings: ConversationSettings = {}): Promise<Conversation> {
    return this.json("PUT", `/v1/conversations/${segment(id)}`, { body: settings });
  }

  getConversation(id: string): Promise<Conversation> {
    return this.json("GET", `/v1/conversations/${segment(id)}`);
  }

  /** Most recently created first; pass `nextCursor` back as `cursor` for the next page. */
  listConversations(options: Page & { userId?: string } = {}): Promise<ConversationList> {
    return this.json("GET", "/v1/conversations", { query: { ...options } });
  }

  /** Removes the conversation and everything stored for it. */
  deleteConversation(id: string): Promise<ConversationDeletion> {
    return this.json("DELETE", `/v1/conversations/${segment(id)}`);
  }

  // Messages

  /**
   * Appends messages in order, atomically. An `Idempotency-Key` is made up when none is
   * given, so a retried append (ours or yours, with the same key) appends once.
   */
  appendMessages(
    conversationId: string,
    messages: MessageInput[],
    options: { idempotencyKey?: string } = {},
  ): Promise<AppendResponse> {
    return this.json("POST", `/v1/conversations/${segment(conversationId)}/messages`, {
      body: { messages },
      headers: { "idempotency-key": options.idempotencyKey ?? newKey() },
    });
  }

  /**
   * Removes every message after `afterSeq` (to regenerate or edit the last turns), while
   * they are all still in working memory; then append the new version.
   */
  rewind(conversationId: string, afterSeq: number): Promise<RewindResponse> {
    return this.json("POST", `/v1/conversations/${segment(conversationId)}/rewind`, {
      body: { afterSeq },
    });
  }

  /** A page of messages by seq; `fromSeq` starts it at that seq instead of at either end. */
  listMessages(
    conversationId: string,
    options: Page & { order?: "asc" | "desc"; fromSeq?: number } = {},
  ): Promise<MessageList> {
    return this.json("GET", `/v1/conversations/${segment(conversationId)}/messages`, {
      query: { ...options },
    });
  }

  /** Every message, page by page (working and archived alike). */
  async *messages(
    conversationId: string,
    options: { order?: "asc" | "desc"; pageSize?: number } = {},
  ): AsyncGenerator<Message> {
    let cursor: string | undefined;
    do {
      const page = await this.listMessages(conversationId, {
        order: options.order,
        limit: options.pageSize ?? 500,
        cursor,
      });
      yield* page.messages;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  searchMessages(
    conversationId: string,
    query: string,
    options: { limit?: number; mode?: SearchMode } = {},
  ): Promise<{ results: { score: number; message: Message; match: Match }[] }> {
    return this.json("POST", `/v1/conversations/${segment(conversationId)}/search`, {
      body: { query, ...options },
    });
  }

  /** What the model should see next, within a token budget (`POST …/context`). */
  getContext(conversationId: string, options: ContextOptions = {}): Promise<Context> {
    return this.json("POST", `/v1/conversations/${segment(conversationId)}/context`, {
      body: options,
    });
  }

  // Long-term memories

  /**
   * Creates a memory. Without an `id`, a memory of the same scopes with the same text
   * (trimmed, whitespace collapsed, case-folded) is returned instead of a second one, by
   * the server — which also makes a retry after a lost answer safe.
   */
  createMemory(memory: CreateMemory): Promise<Memory> {
    return this.json<Memory>("POST", "/v1/memories", { body: memory });
  }

  /**
   * Stores up to 100 memories in one request (a bulk import). Items without an `id` get
   * one here, so a retry never stores a memory twice: what the lost attempt stored comes
   * back with `duplicate: true`.
   */
  async importMemories(memories: ImportMemory[]): Promise<ImportedMemory[]> {
    const body = { memories: memories.map((memory) => ({ ...memory, id: memory.id ?? newKey() })) };
    const stored = await this.json<{ memories: ImportedMemory[] }>("POST", "/v1/memories/batch", {
      body,
    });
    return stored.memories;
  }

  getMemory(id: string): Promise<Memory> {
    return this.json("GET", `/v1/memories/${segment(id)}`);
  }

  /** Changes a memory; with `ifMatch`, only if its version is still that one (else 412). */
  updateMemory(
    id: string,
    patch: MemoryPatch,
    options: { ifMatch?: number } = {},
  ): Promise<Memory> {
    return this.json("PATCH", `/v1/memories/${segment(id)}`, {
      body: patch,
      headers: options.ifMatch === undefined ? {} : { "if-match": `"${options.ifMatch}"` },
    });
  }

  /** Every version, oldest first: the server pages a long history; this follows it. */
  async memoryHistory(id: string): Promise<{ versions: Memory[] }> {
    const versions: Memory[] = [];
    let cursor: string | null | undefined;
    do {
      const page: { versions: Memory[]; nextCursor?: string | null } = await this.json(
        "GET",
        `/v1/memories/${segment(id)}/history`,
        cursor ? { query: { cursor } } : {},
      );
      versions.push(...page.versions);
      cursor = page.nextCursor;
    } while (cursor);
    return { versions };
  }

  async deleteMemory(id: string): Promise<void> {
    await this.request("DELETE", `/v1/memories/${segment(id)}`);
  }

  listMemories(scope: MemoryScope & Page): Promise<MemoryList> {
    return this.json("GET", "/v1/memories", { query: { ...scope } });
  }

  searchMemories(
    search: MemorySearch,
  ): Promise<{ results: { score: number; memory: Memory; match: Match }[] }> {
    return this.json("POST", "/v1/memories/search", { body: search });
  }

  // Users

  /** Erases every conversation and memory of the user (idempotent). */
  deleteUser(userId: string): Promise<UserDeletion> {
    return this.json("DELETE", `/v1/users/${segment(userId)}`);
  }

  /** The user's data, one record at a time, read as the NDJSON stream arrives. */
  async *exportUser(userId: string): AsyncGenerator<ExportRecord> {
    const response = await this.request("GET", `/v1/users/${segment(userId)}/export`);
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const lines = buffered.split("\n");
      buffered = done ? "" : (lines.pop() ?? "");
      for (const line of lines) if (line.trim()) yield JSON.parse(line) as ExportRecord;
      if (done) return;
    }
  }

  // Keys (root key)

  adminCreateKey(request: { tenant: string; name?: string }): Promise<MintedApiKey> {
    return this.json("POST", "/v1/admin/keys", { body: request });
  }

  adminListKeys(options: { tenant?: string } = {}): Promise<{ keys: ApiKey[] }> {
    return this.json("GET", "/v1/admin/keys", { query: { ...options } });
  }

  async adminDeleteKey(id: string): Promise<void> {
    await this.request("DELETE", `/v1/admin/keys/${segment(id)}`);
  }

  // Operations

  health(): Promise<Health> {
    return this.json("GET", "/healthz");
  }

  /** One call, retried on network errors, 429 and 5xx; any other error answer throws EdgememError. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    return this.transport.request(method, path, options);
  }

  private json<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
    onRetry?: () => void,
  ): Promise<T> {
    return this.transport.json<T>(method, path, options, onRetry);
  }
}
