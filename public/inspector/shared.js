// What every view of the inspector shares: building elements, calling the API with the key
// (sessionStorage, Authorization header), the status line, the URL fragment.

export const KEY_STORE = "edgemem.inspector.key";
export const VIEWS = ["context", "timeline", "why", "users"];

/** The page's navigation, set by app.js: the fragment's state, go(changes), rerender(draw). */
export const nav = { state: {}, go: null, rerender: null };

export const $ = (id) => document.getElementById(id);

export /** Builds an element: `el("td", { class: "x" }, "text", child)`; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function fragmentFor(state) {
  const params = new URLSearchParams();
  params.set("view", state.view);
  for (const name of ["conversation", "user", "budget", "query", "dates", "seq"]) {
    if (state[name]) params.set(name, state[name]);
  }
  return `#${params}`;
}

export class ApiError extends Error {}

export async function api(method, path, body, headers = {}) {
  const key = sessionStorage.getItem(KEY_STORE);
  if (!key) throw new ApiError("Enter an API key first.");
  const init = { method, headers: { authorization: `Bearer ${key}`, ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (res.status === 204) return null;
  const type = res.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const fields = (data?.errors ?? []).map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new ApiError(
      `${res.status} ${data?.title ?? "error"}${fields ? ` (${fields})` : data?.detail ? ` (${data.detail})` : ""}`,
    );
  }
  return data;
}

export const enc = encodeURIComponent;
export const conversationPath = (id) => `/v1/conversations/${enc(id)}`;

export function setStatus(text, error = false) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

const TEXT_PARTS = new Set(["text", "input_text", "output_text", "summary_text"]);

/** A content part as text: its text, a refusal's words, else its type. */
const partText = (p) => {
  if (TEXT_PARTS.has(p.type)) return p.text;
  return p.type === "refusal" ? `[refusal] ${p.refusal}` : `[${p.type}]`;
};

/** A Responses API item (as listed, `message.item`; in a context, the message itself). */
const itemOf = (message) => message.item ?? (typeof message.type === "string" ? message : null);

/** The speaker of a message or of an item: its role; `tool` for an answer; else `assistant`. */
export function speaker(message) {
  if (message.role) return message.role;
  return itemOf(message)?.type?.endsWith("_output") ? "tool" : "assistant";
}

/** An item as text: a message's words, a call and its arguments, an answer, reasoning. */
function itemText(item) {
  if (item.type === "message") return contentText({ content: item.content });
  if (item.type.endsWith("_output")) {
    const output = typeof item.output === "string" ? item.output : JSON.stringify(item.output);
    return `← ${output}`;
  }
  if (item.type === "reasoning") {
    return `[reasoning] ${(item.summary ?? []).map(partText).join("\n")}`.trim();
  }
  const args = item.arguments ?? item.input;
  return item.name ? `→ ${item.name}(${args ?? ""})` : `[${item.type}]`;
}

/** A message's content as text (strings, content parts, tool calls, Responses API items). */
export function contentText(message) {
  const item = itemOf(message);
  if (item) return itemText(item);
  if (typeof message.content === "string") return message.content;
  const parts = Array.isArray(message.content) ? message.content.map(partText).join("\n") : "";
  const calls = (message.tool_calls ?? []).map(
    (c) => `→ ${c.function?.name}(${c.function?.arguments})`,
  );
  return [parts, ...calls].filter(Boolean).join("\n");
}

export async function guard(work) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ApiError) && !(error instanceof TypeError)) throw error;
    setStatus(error.message, true);
  }
}
