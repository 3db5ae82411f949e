// The users and memories view: the tenant's users, a user's conversations and memories,
// search, versions, edit, delete (after a confirmation) and export.
import { ApiError, api, el, enc, fragmentFor, guard, KEY_STORE, nav, setStatus } from "./shared.js";

export async function renderUsers(view) {
  const list = el("ul", { class: "users-list", id: "users" });
  await listUsers(list);
  const detail = el("div", { id: "user-detail" });
  view.append(el("div", { class: "columns" }, el("div", {}, el("h2", {}, "Users"), list), detail));
  if (nav.state.user) await renderUser(detail, nav.state.user);
  else detail.append(el("p", { class: "muted" }, "Choose a user."));
}

/** The tenant's users with their counts; drawn again after a memory is deleted. */
async function listUsers(list) {
  const users = await api("GET", "/v1/users?limit=100");
  list.replaceChildren(
    ...users.users.map((u) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            "aria-pressed": u.id === nav.state.user ? "true" : "false",
            onclick: () => nav.go({ user: u.id, view: "users" }),
          },
          `${u.id} — ${u.conversations} conv., ${u.memories} mem.`,
        ),
      ),
    ),
  );
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
          el(
            "a",
            { href: fragmentFor({ ...nav.state, view: "context", conversation: c.id, seq: "" }) },
            c.id,
          ),
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
    const list = document.getElementById("users");
    if (list) await listUsers(list);
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
