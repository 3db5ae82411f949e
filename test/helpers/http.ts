import { SELF } from "cloudflare:test";

export const ALPHA = "test-key-alpha";
export const BETA = "test-key-beta";
export const ROOT = "test-root-key";

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request to the Worker under test, authenticated as tenant alpha unless told otherwise. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  const key = options.key === undefined ? ALPHA : options.key;
  if (key !== null) headers.set("authorization", `Bearer ${key}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const response = await SELF.fetch(`https://edgemem.test${path}`, { method, headers, body });
  // Decoded by hand: workerd warns on .text() of a type it does not deem text (NDJSON).
  const text = new TextDecoder().decode(await response.arrayBuffer());
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

let counter = 0;
/** A conversation id no other test in the file uses (storage is shared within a file). */
export const freshId = (prefix = "conv") => `${prefix}-${Date.now().toString(36)}-${counter++}`;

/** Every message of a conversation through the paging API, following cursors. */
export async function readAllMessages(
  conversationId: string,
  order: "asc" | "desc" = "asc",
  limit = 500,
) {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?order=${order}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await call("GET", `/v1/conversations/${conversationId}/messages${query}`);
    if (page.status !== 200) throw new Error(`paging failed: ${page.status} ${page.text}`);
    all.push(...page.json.messages);
    cursor = page.json.nextCursor;
  } while (cursor);
  return all;
}
