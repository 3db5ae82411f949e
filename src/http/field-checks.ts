import type { Env } from "../env";
import { type Limits, nestsDeeperThan, utf8Bytes } from "../limits";
import type { MessageInput } from "../memory/conversation";
import { embeddingsEnabled } from "../memory/embedders/config";
import type { SearchMode } from "../memory/match";
import { type FieldError, invalid, invalidField } from "./errors";

function metadataErrors(value: unknown, path: string, limits: Limits): FieldError[] {
  if (value === undefined) return [];
  if (utf8Bytes(JSON.stringify(value)) > limits.metadataBytes) {
    return [{ path, message: `must be at most ${limits.metadataBytes} bytes serialized` }];
  }
  if (nestsDeeperThan(value, limits.metadataDepth)) {
    return [{ path, message: `must nest at most ${limits.metadataDepth} levels deep` }];
  }
  return [];
}

/** Size limits the schema cannot know, since deployments configure them. */
export function checkMetadata(value: unknown, path: string, limits: Limits): void {
  const errors = metadataErrors(value, path, limits);
  if (errors.length > 0) throw invalid(errors);
}

export function checkMessages(messages: MessageInput[], limits: Limits): void {
  const errors: FieldError[] = [];
  if (messages.length > limits.messagesPerAppend) {
    errors.push({
      path: "messages",
      message: `at most ${limits.messagesPerAppend} messages per request`,
    });
  }
  const seen = new Set<string>();
  messages.forEach((message, i) => {
    const bytes = utf8Bytes(sentText(message));
    if (bytes > limits.contentBytes) {
      errors.push(
        message.item
          ? {
              path: `messages.${i}`,
              message: `an item must be at most ${limits.contentBytes} bytes of UTF-8, serialized (this one is ${bytes}): keep a large result (a generated image, a screenshot) elsewhere and append the item with a reference to it`,
            }
          : {
              path: `messages.${i}.content`,
              message: `must be at most ${limits.contentBytes} bytes of UTF-8 (this one is ${bytes}): send large data (an inline image, a file) as a URL, not inline`,
            },
      );
    }
    errors.push(...metadataErrors(message.metadata, `messages.${i}.metadata`, limits));
    if (message.id !== undefined) {
      if (seen.has(message.id)) {
        errors.push({ path: `messages.${i}.id`, message: "appears twice in this request" });
      }
      seen.add(message.id);
    }
  });
  if (errors.length > 0) throw invalid(errors);
}

/** What the content limit measures: content as sent; an item whole (its output may be most of it). */
function sentText(message: MessageInput): string {
  if (message.item) return JSON.stringify(message.item);
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}

/** A memory's `text`: at most `memoryTextBytes` of UTF-8 (16 KiB by default). */
export function checkMemoryText(text: string | undefined, limits: Limits): void {
  if (text !== undefined && utf8Bytes(text) > limits.memoryTextBytes) {
    throw invalid([
      { path: "text", message: `must be at most ${limits.memoryTextBytes} bytes of UTF-8` },
    ]);
  }
}

interface MemoryItem {
  text: string;
  metadata?: unknown;
  id?: string;
  userId?: string;
  agentId?: string;
  conversationId?: string;
}

/**
 * What the schema cannot say about a batch of memories, every error naming its item
 * (`memories.3.text`): text and metadata limits, a scope on each, no id twice.
 */
export function checkMemoryBatch(items: MemoryItem[], limits: Limits): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const at = `memories.${i}`;
    if (!item.userId && !item.agentId && !item.conversationId) {
      const message = "one of userId, agentId, conversationId is required";
      for (const field of ["userId", "agentId", "conversationId"]) {
        errors.push({ path: `${at}.${field}`, message });
      }
    }
    if (utf8Bytes(item.text) > limits.memoryTextBytes) {
      errors.push({
        path: `${at}.text`,
        message: `must be at most ${limits.memoryTextBytes} bytes of UTF-8`,
      });
    }
    errors.push(...metadataErrors(item.metadata, `${at}.metadata`, limits));
    if (item.id !== undefined) {
      if (seen.has(item.id))
        errors.push({ path: `${at}.id`, message: "appears twice in this request" });
      seen.add(item.id);
    }
  });
  if (errors.length > 0) throw invalid(errors);
}

/** `semantic` needs an embedder: without one it is a 400 naming `mode`, never an empty result. */
export function checkSearchMode(env: Env, mode: SearchMode | undefined, path = "mode"): void {
  if (mode === "semantic" && !embeddingsEnabled(env)) {
    throw invalidField(path, 'semantic search needs an embedder (EMBEDDINGS is "none")');
  }
}
