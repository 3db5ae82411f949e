// The edgemem inspector: calls the public API of this origin with the key a person gives,
// kept in sessionStorage only and sent in the Authorization header, never in a URL.
// Every stored text is rendered with textContent, never parsed as HTML.

const KEY_STORE = "edgemem.inspector.key";
const VIEWS = ["context", "timeline", "why", "users"];
const SECTIONS = ["pinned", "summary", "recalled", "recent"];
const PAGE = 50;

const $ = (id) => document.getElementById(id);

/** Builds an element: `el("td", { class: "x" }, "text", child)`; strings become text nodes. */
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

// ---- the URL fragment: view, conversation, user, budget, query (and a key, taken out) ----

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get("key");
  if (key) {
    sessionStorage.setItem(KEY_STORE, key);
    params.delete("key");
    // The key leaves the address bar, so a copied link never carries it.
    history.replaceState(null, "", `${location.pathname}#${params}`);
  }
  const view = params.get("view");
  return {
    view: VIEWS.includes(view)
      ? view
      : params.get("user") && !params.get("conversation")
        ? "users"
        : "context",
    conversation: params.get("conversation") ?? "",
    user: params.get("user") ?? "",
    budget: params.get("budget") ?? "",
    query: params.get("query") ?? "",
  };
}

function fragmentFor(state) {
  const params = new URLSearchParams();
  params.set("view", state.view);
  for (const name of ["conversation", "user", "budget", "query"]) {
    if (state[name]) params.set(name, state[name]);
  }
  return `#${params}`;
}

let state = readFragment();

function go(changes) {
  state = { ...state, ...changes };
  const next = fragmentFor(state);
  if (location.hash === next) render();
  else location.hash = next;
}

// ---- the API ----

class ApiError extends Error {}

async function api(method, path, body, headers = {}) {
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

const enc = encodeURIComponent;
const conversationPath = (id) => `/v1/conversations/${enc(id)}`;

function setStatus(text, error = false) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

function contextRequest(explain) {
  const body = {};
  if (state.budget) body.maxTokens = Number(state.budget);
  if (state.query) body.query = state.query;
  if (explain) body.explain = true;
  return api("POST", `${conversationPath(state.conversation)}/context`, body);
}

/** A message's content as text (strings, content parts, tool calls). */
function contentText(message) {
  if (typeof message.content === "string") return message.content;
  const parts = Array.isArray(message.content)
    ? message.content.map((p) => (p.type === "text" ? p.text : `[${p.type}]`)).join("\n")
    : "";
  const calls = (message.tool_calls ?? []).map(
    (c) => `→ ${c.function?.name}(${c.function?.arguments})`,
  );
  return [parts, ...calls].filter(Boolean).join("\n");
}

// ---- views ----

async function renderContext(view) {
  const [context, recent] = await Promise.all([
    contextRequest(false),
    api("GET", `${conversationPath(state.conversation)}/messages?order=desc&limit=500`),
  ]);
  const usage = context.usage;
  // Content tokens of stored messages; a context message costs them + 3 (+1 with a name).
  const tokensOf = new Map();
  for (const m of recent.messages) {
    const text = contentText(m);
    if (!tokensOf.has(`${m.role}\u0000${text}`)) tokensOf.set(`${m.role}\u0000${text}`, m.tokens);
  }
  const pinnedCount = countPinned(context, recent.messages);
  view.append(
    el("h2", {}, "Budget by section"),
    budgetBar(usage),
    usageTable(usage, context.truncated),
    el("h2", {}, `Messages the model will see (${context.messages.length})`),
  );
  const list = el("ol", { class: "plain", id: "context-messages" });
  context.messages.forEach((m, i) => {
    const isNote =
      i === pinnedCount && m.role === "system" && (usage.summary > 0 || usage.recalled > 0);
    const section = i < pinnedCount ? "pinned" : isNote ? "note" : "recent";
    const stored = tokensOf.get(`${m.role}\u0000${m.content}`);
    const cost = isNote
      ? usage.summary + usage.recalled
      : stored === undefined
        ? null
        : stored + 3 + (m.name ? 1 : 0);
    list.append(
      el(
        "li",
        { class: `msg ${section}`, "data-section": section },
        el(
          "header",
          {},
          el("strong", {}, m.role),
          m.name ? el("span", {}, m.name) : null,
          el("span", {}, section === "note" ? "summary and recalled items" : section),
          el("span", { class: "tokens" }, cost === null ? "tokens: ?" : `${cost} tokens`),
        ),
        el("pre", {}, m.content),
      ),
    );
  });
  view.append(list);
}

/** Pinned messages come first; they are the stored pinned ones, in order. */
function countPinned(context, stored) {
  const pinned = new Set(stored.filter((m) => m.pinned).map((m) => contentText(m)));
  let n = 0;
  while (n < context.messages.length && pinned.has(context.messages[n].content)) n++;
  return n;
}

function budgetBar(usage) {
  const budget = Math.max(usage.budget, 1);
  const bar = el("div", {
    class: "bar",
    role: "img",
    "aria-label": `${usage.total} of ${usage.budget} tokens used: ${SECTIONS.map((s) => `${s} ${usage[s]}`).join(", ")}`,
  });
  for (const s of SECTIONS) {
    bar.append(
      el("span", { class: s, style: null, title: `${s}: ${usage[s]}`, "data-width": usage[s] }),
    );
  }
  // Widths through the CSSOM: the page's policy allows no inline style attribute.
  [...bar.children].forEach((span, i) => {
    span.style.width = `${(100 * usage[SECTIONS[i]]) / budget}%`;
  });
  return el(
    "div",
    {},
    bar,
    el(
      "ul",
      { class: "legend" },
      SECTIONS.map((s) => el("li", {}, el("i", { class: `bar-key ${s}` }), `${s} ${usage[s]}`)),
    ),
  );
}

function usageTable(usage, truncated) {
  const rows = [...SECTIONS, "total", "budget"].map((name) =>
    el("tr", {}, el("th", { scope: "row" }, name), el("td", { id: `usage-${name}` }, usage[name])),
  );
  return el(
    "div",
    { class: "scroll" },
    el(
      "table",
      { "aria-label": "Token usage" },
      el(
        "tbody",
        {},
        rows,
        el("tr", {}, el("th", { scope: "row" }, "tokenizer"), el("td", {}, usage.tokenizer)),
        el(
          "tr",
          {},
          el("th", { scope: "row" }, "truncated"),
          el("td", { id: "usage-truncated" }, truncated ? "yes" : "no"),
        ),
      ),
    ),
  );
}

async function renderTimeline(view, cursor) {
  const path = conversationPath(state.conversation);
  const [conversation, page] = await Promise.all([
    api("GET", path),
    api("GET", `${path}/messages?order=asc&limit=${PAGE}${cursor ? `&cursor=${enc(cursor)}` : ""}`),
  ]);
  const stats = conversation.stats;
  view.append(
    el("h2", {}, "Counters"),
    el(
      "dl",
      { class: "counters" },
      Object.entries({
        ...stats,
        workingTokens: conversation.workingTokens,
        tokenizer: conversation.tokenizer,
        userId: conversation.userId ?? "—",
      }).map(([name, value]) =>
        el("div", {}, el("dt", {}, name), el("dd", { id: `stat-${name}` }, value)),
      ),
    ),
    el("h2", {}, "Running summary"),
    el(
      "pre",
      { class: "msg note", id: "summary-text" },
      conversation.summary?.text ?? "(no summary yet)",
    ),
    el("h2", {}, "Messages by seq"),
  );
  const list = el("ol", { class: "plain", id: "timeline-messages" });
  let previousTier = null;
  for (const m of page.messages) {
    if (previousTier === "archived" && m.tier === "working") {
      list.append(
        el(
          "li",
          { class: "divider" },
          "Working memory starts here; the summary covers what is above",
        ),
      );
    }
    previousTier = m.tier;
    list.append(
      el(
        "li",
        { class: `msg ${m.tier}`, "data-seq": m.seq },
        el(
          "header",
          {},
          el("span", {}, `#${m.seq}`),
          el("strong", {}, m.role),
          el("span", { class: "tier" }, m.tier),
          m.pinned ? el("span", {}, "📌 pinned") : null,
          el("span", {}, `${m.tokens} tokens`),
          el("time", {}, m.createdAt),
        ),
        el("pre", {}, contentText(m)),
      ),
    );
  }
  view.append(list);
  if (page.nextCursor) {
    view.append(
      el(
        "button",
        {
          type: "button",
          id: "next-page",
          onclick: () => rerender((v) => renderTimeline(v, page.nextCursor)),
        },
        "Next page",
      ),
    );
  }
}

async function renderWhy(view) {
  const context = await contextRequest(true);
  const candidates = context.explain?.candidates ?? [];
  view.append(
    el("h2", {}, `Recall candidates (${candidates.length})`),
    el(
      "p",
      { class: "muted" },
      "Best first. Ranks are 1-based in each ranking before fusion; — means not found by it.",
    ),
  );
  const rows = candidates.map((c) =>
    el(
      "tr",
      { "data-id": c.id, "data-packed": c.packed ? "yes" : "no" },
      el("td", {}, c.kind === "message" ? `message #${c.seq}` : `memory ${c.id}`),
      el("td", { class: "text" }, c.text),
      el("td", { class: "rank-lexical" }, c.match?.lexical ?? "—"),
      el("td", { class: "rank-semantic" }, c.match?.semantic ?? "—"),
      el("td", {}, c.score.toFixed(4)),
      el("td", { class: "packed" }, c.packed ? "packed" : "left out"),
      el("td", { class: "reason" }, c.reason ?? ""),
    ),
  );
  view.append(
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { id: "candidates", "aria-label": "Recall candidates" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ["item", "text", "lexical rank", "semantic rank", "score", "packed", "why not"].map(
              (h) => el("th", { scope: "col" }, h),
            ),
          ),
        ),
        el("tbody", {}, rows),
      ),
    ),
  );
}

async function renderUsers(view) {
  const users = await api("GET", "/v1/users?limit=100");
  const list = el("ul", { class: "users-list", id: "users" });
  for (const u of users.users) {
    list.append(
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            "aria-pressed": u.id === state.user ? "true" : "false",
            onclick: () => go({ user: u.id, view: "users" }),
          },
          `${u.id} — ${u.conversations} conv., ${u.memories} mem.`,
        ),
      ),
    );
  }
  const detail = el("div", { id: "user-detail" });
  view.append(el("div", { class: "columns" }, el("div", {}, el("h2", {}, "Users"), list), detail));
  if (state.user) await renderUser(detail, state.user);
  else detail.append(el("p", { class: "muted" }, "Choose a user."));
}

async function renderUser(detail, userId) {
  const [conversations, memories] = await Promise.all([
    api("GET", `/v1/conversations?userId=${enc(userId)}&limit=100`),
    api("GET", `/v1/memories?userId=${enc(userId)}&limit=100`),
  ]);
  detail.append(
    el("h2", {}, `User ${userId}`),
    el(
      "button",
      { type: "button", id: "export", onclick: () => exportUser(userId) },
      "Export as NDJSON",
    ),
    el("h2", {}, "Conversations"),
    el(
      "ul",
      {},
      conversations.conversations.map((c) =>
        el(
          "li",
          {},
          el("a", { href: fragmentFor({ ...state, view: "context", conversation: c.id }) }, c.id),
          ` — ${c.stats.totalMessages} messages`,
        ),
      ),
    ),
    el("h2", {}, "Memories"),
  );
  const results = el("div", { id: "memories" });
  const search = el(
    "form",
    { role: "search", onsubmit: (e) => searchMemories(e, userId, results) },
    el("label", { for: "memory-query" }, "Search memories"),
    el("input", { id: "memory-query", name: "q" }),
    el("button", { type: "submit" }, "Search"),
  );
  detail.append(search, results);
  for (const m of memories.memories) results.append(memoryCard(m));
  if (memories.memories.length === 0) results.append(el("p", { class: "muted" }, "No memories."));
}

async function searchMemories(event, userId, results) {
  event.preventDefault();
  const query = new FormData(event.target).get("q");
  await guard(async () => {
    const found = query
      ? (await api("POST", "/v1/memories/search", { query, userId, limit: 50 })).results.map(
          (r) => r.memory,
        )
      : (await api("GET", `/v1/memories?userId=${enc(userId)}&limit=100`)).memories;
    results.replaceChildren(...found.map(memoryCard));
    setStatus(`${found.length} memories`);
  });
}

function memoryCard(m) {
  const card = el("article", { class: "memory", "data-id": m.id });
  const text = el("p", { class: "text" }, m.text);
  const versions = el("div", {});
  card.append(
    text,
    el("p", { class: "muted" }, `${m.id} · version ${m.version} · updated ${m.updatedAt}`),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "button", onclick: () => showVersions(m, versions) }, "Versions"),
      el("button", { type: "button", onclick: () => editMemory(m, card) }, "Edit"),
      el("button", { type: "button", onclick: () => deleteMemory(m, card) }, "Delete"),
    ),
    versions,
  );
  return card;
}

async function showVersions(m, target) {
  await guard(async () => {
    const { versions } = await api("GET", `/v1/memories/${enc(m.id)}/history`);
    target.replaceChildren(
      el(
        "ol",
        { class: "versions" },
        versions.map((v) => el("li", {}, `v${v.version} (${v.updatedAt}): `, v.text)),
      ),
    );
  });
}

function editMemory(m, card) {
  const id = `edit-${m.id}`;
  const form = el(
    "form",
    {},
    el("label", { for: id }, "New text"),
    el("textarea", { id, name: "text" }, m.text),
    el("button", { type: "submit" }, "Save"),
    el("button", { type: "button", onclick: () => card.replaceWith(memoryCard(m)) }, "Cancel"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    await guard(async () => {
      const text = new FormData(form).get("text");
      const updated = await api(
        "PATCH",
        `/v1/memories/${enc(m.id)}`,
        { text },
        { "if-match": String(m.version) },
      );
      card.replaceWith(memoryCard(updated));
      setStatus(`Saved ${m.id} (version ${updated.version}).`);
    });
  });
  card.replaceChildren(form);
  form.querySelector("textarea").focus();
}

async function deleteMemory(m, card) {
  if (!confirm(`Delete memory ${m.id}? This cannot be undone.`)) return;
  await guard(async () => {
    await api("DELETE", `/v1/memories/${enc(m.id)}`);
    card.remove();
    setStatus(`Deleted ${m.id}.`);
  });
}

async function exportUser(userId) {
  await guard(async () => {
    const key = sessionStorage.getItem(KEY_STORE);
    const res = await fetch(`/v1/users/${enc(userId)}/export`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!res.ok) throw new ApiError(`${res.status} export failed`);
    const url = URL.createObjectURL(await res.blob());
    const link = el("a", { href: url, download: `${userId}.ndjson` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setStatus(`Exported ${userId}.`);
  });
}

// ---- rendering ----

async function guard(work) {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof ApiError) && !(error instanceof TypeError)) throw error;
    setStatus(error.message, true);
  }
}

const RENDERERS = {
  context: renderContext,
  timeline: renderTimeline,
  why: renderWhy,
  users: renderUsers,
};

async function rerender(draw) {
  const view = el("section", { id: "view", "aria-live": "polite" });
  setStatus("Loading…");
  $("view").replaceWith(view);
  await guard(async () => {
    await draw(view);
    setStatus("");
  });
  view.dataset.ready = "true";
}

function render() {
  for (const link of document.querySelectorAll("nav a")) {
    const view = link.dataset.view;
    link.href = fragmentFor({ ...state, view });
    if (view === state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $("conversation").value = state.conversation;
  $("budget").value = state.budget;
  $("query").value = state.query;
  $("conversation-form").hidden = state.view === "users";
  if (!sessionStorage.getItem(KEY_STORE)) {
    setStatus("Enter an API key to start.");
    $("key").focus();
    return;
  }
  if (state.view !== "users" && !state.conversation) {
    setStatus("Enter a conversation id.");
    return;
  }
  rerender(RENDERERS[state.view]);
}

$("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY_STORE, $("key").value.trim());
  $("key").value = "";
  render();
});
$("forget-key").addEventListener("click", () => {
  sessionStorage.removeItem(KEY_STORE);
  render();
});
$("conversation-form").addEventListener("submit", (e) => {
  e.preventDefault();
  go({
    conversation: $("conversation").value.trim(),
    budget: $("budget").value,
    query: $("query").value.trim(),
  });
});
window.addEventListener("hashchange", () => {
  state = readFragment();
  render();
});
render();
