import { type FieldError, invalid } from "../errors";
import { type Limits, nestsDeeperThan, utf8Bytes } from "../limits";
import type { MessageInput } from "../memory/conversation";

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
    if (utf8Bytes(message.content) > limits.contentBytes) {
      errors.push({
        path: `messages.${i}.content`,
        message: `must be at most ${limits.contentBytes} bytes of UTF-8`,
      });
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

/** A memory's `text`: at most `memoryTextBytes` of UTF-8 (16 KiB by default). */
export function checkMemoryText(text: string | undefined, limits: Limits): void {
  if (text !== undefined && utf8Bytes(text) > limits.memoryTextBytes) {
    throw invalid([
      { path: "text", message: `must be at most ${limits.memoryTextBytes} bytes of UTF-8` },
    ]);
  }
}
