// The context preview and why-recalled views: one POST …/context each.
import { api, contentText, conversationPath, el, nav, speaker } from "./shared.js";

const SECTIONS = ["pinned", "summary", "recalled", "recent"];

function contextRequest(explain) {
  const body = {};
  if (nav.state.budget) body.maxTokens = Number(nav.state.budget);
  if (nav.state.query) body.query = nav.state.query;
  if (nav.state.dates === "1") body.dates = true;
  if (explain) body.explain = true;
  return api("POST", `${conversationPath(nav.state.conversation)}/context`, body);
}

export async function renderContext(view) {
  const path = conversationPath(nav.state.conversation);
  // The newest stored messages (the recent turns) and the oldest (where pinned ones are).
  const [context, newest, oldest] = await Promise.all([
    contextRequest(false),
    api("GET", `${path}/messages?order=desc&limit=500`),
    api("GET", `${path}/messages?order=asc&limit=100`),
  ]);
  const stored = [...newest.messages, ...oldest.messages];
  const usage = context.usage;
  // Tokens of stored messages (text, parts, tool calls); in the context each costs them + 3
  // (+1 with a name). Matched by role and text, as the context sends them back.
  const tokensOf = new Map();
  for (const m of stored) {
    const key = `${speaker(m)}\u0000${contentText(m)}`;
    if (!tokensOf.has(key)) tokensOf.set(key, m.tokens);
  }
  const pinnedCount = countPinned(context, stored);
  view.append(
    el("h2", {}, "Budget by section"),
    budgetBar(usage),
    usageTable(usage, context.truncated),
    el("h2", {}, `Messages the model will see (${context.messages.length})`),
  );
  const list = el("ol", { class: "plain", id: "context-messages" });
  const sections = context.messages.map((m, i) => {
    if (i < pinnedCount) return "pinned";
    if (i === pinnedCount && m.role === "system" && (usage.summary > 0 || usage.recalled > 0)) {
      return "note";
    }
    return nav.state.dates === "1" && isDayLine(m) ? "day" : "recent";
  });
  const storedCost = (m) => {
    const tokens = tokensOf.get(`${speaker(m)}\u0000${contentText(m)}`);
    // A speaker's name costs one more; an item's `name` (the function called) is in its tokens.
    return tokens === undefined ? null : tokens + 3 + (m.name && m.type === undefined ? 1 : 0);
  };
  const dayLineCost = dayLineShare(context.messages, sections, usage.recent, storedCost);
  context.messages.forEach((m, i) => {
    const section = sections[i];
    const isNote = section === "note";
    const cost = isNote
      ? usage.summary + usage.recalled
      : section === "day"
        ? dayLineCost
        : storedCost(m);
    list.append(
      el(
        "li",
        { class: `msg ${section}`, "data-section": section },
        el(
          "header",
          {},
          el("strong", {}, speaker(m)),
          m.name ? el("span", {}, m.name) : null,
          el("span", {}, SECTION_LABELS[section] ?? section),
          el("span", { class: "tokens" }, cost === null ? "tokens: ?" : `${cost} tokens`),
        ),
        el("pre", {}, contentText(m)),
      ),
    );
  });
  view.append(list);
}

const SECTION_LABELS = {
  note: "summary and recalled items",
  day: "day line (dates), counted in recent",
};

/** A day line among the recent turns (asked for with `dates: true`): a system message of one date. */
const isDayLine = (m) => m.role === "system" && /^\[\d{4}-\d{2}-\d{2}\]$/.test(contentText(m));

/**
 * What one day line costs: the recent turns' usage less the stored turns', shared among the
 * day lines — exact, as every "[YYYY-MM-DD]" is the same number of tokens in the tokenizers
 * edgemem offers. Null when a recent turn's cost is unknown or the share is not whole.
 */
function dayLineShare(messages, sections, recentUsage, storedCost) {
  const days = sections.filter((s) => s === "day").length;
  if (days === 0) return null;
  let turns = 0;
  for (const [i, m] of messages.entries()) {
    if (sections[i] !== "recent") continue;
    const cost = storedCost(m);
    if (cost === null) return null;
    turns += cost;
  }
  const share = (recentUsage - turns) / days;
  return Number.isInteger(share) && share > 0 ? share : null;
}

/** Pinned messages come first; they are the stored pinned ones, in order. */
function countPinned(context, stored) {
  const pinned = new Set(stored.filter((m) => m.pinned).map((m) => contentText(m)));
  let n = 0;
  while (n < context.messages.length && pinned.has(contentText(context.messages[n]))) n++;
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

export async function renderWhy(view) {
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
  // data-label names each cell where a phone shows the rows as cards, without the header.
  const rows = candidates.map((c) =>
    el(
      "tr",
      { "data-id": c.id, "data-packed": c.packed ? "yes" : "no" },
      el("td", {}, c.kind === "message" ? `message #${c.seq}` : `memory ${c.id}`),
      el("td", { class: "text" }, c.text),
      el("td", { class: "rank-lexical", "data-label": "lexical rank" }, c.match?.lexical ?? "—"),
      el("td", { class: "rank-semantic", "data-label": "semantic rank" }, c.match?.semantic ?? "—"),
      el("td", { class: "score", "data-label": "score" }, c.score.toFixed(4)),
      el("td", { class: "packed" }, c.packed ? "packed" : "left out"),
      el("td", { class: "reason", "data-label": "why not" }, c.reason ?? ""),
    ),
  );
  view.append(
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { id: "candidates", class: "cards", "aria-label": "Recall candidates" },
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
