// The timeline view: a conversation's messages by seq and tier, its summary and counters.
// One page of PAGE messages at a time, wherever it starts (`seq` in the fragment: a number,
// or "newest"), so a history of 100,000 messages costs what a short one does.
import { api, contentText, conversationPath, el, nav, speaker } from "./shared.js";

const PAGE = 50;

/** The page the fragment names: from a seq upwards, or the newest PAGE messages. */
async function readPage(path) {
  if (nav.state.seq === "newest") {
    const page = await api("GET", `${path}/messages?order=desc&limit=${PAGE}`);
    return { messages: page.messages.reverse(), more: false };
  }
  const from = Math.max(1, Number.parseInt(nav.state.seq, 10) || 1);
  const page = await api("GET", `${path}/messages?order=asc&limit=${PAGE}&fromSeq=${from}`);
  return { messages: page.messages, more: page.nextCursor !== null };
}

export async function renderTimeline(view) {
  const path = conversationPath(nav.state.conversation);
  const [conversation, page] = await Promise.all([api("GET", path), readPage(path)]);
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
    pager(page, stats.totalMessages),
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
          el("strong", {}, speaker(m)),
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
}

/** Oldest, previous, next, newest, and a seq to jump to; each is a link-able fragment. */
function pager(page, total) {
  const first = page.messages[0]?.seq;
  const last = page.messages.at(-1)?.seq;
  const go = (seq) => () => nav.go({ seq: String(seq) });
  const jump = el(
    "form",
    {
      class: "jump",
      onsubmit: (e) => {
        e.preventDefault();
        const seq = new FormData(e.target).get("seq");
        if (seq) nav.go({ seq: String(seq) });
      },
    },
    el("label", { for: "jump-seq" }, "Jump to seq"),
    el("input", { id: "jump-seq", name: "seq", type: "number", min: 1, max: total || 1 }),
    el("button", { type: "submit" }, "Go"),
  );
  return el(
    "div",
    { class: "pager", role: "group", "aria-label": "Timeline pages" },
    el("button", { type: "button", id: "oldest", onclick: go(1) }, "Oldest"),
    el(
      "button",
      {
        type: "button",
        id: "previous-page",
        disabled: !first || first <= 1,
        onclick: go(Math.max(1, (first ?? 1) - PAGE)),
      },
      `Previous ${PAGE}`,
    ),
    el(
      "button",
      { type: "button", id: "next-page", disabled: !page.more, onclick: go((last ?? 0) + 1) },
      `Next ${PAGE}`,
    ),
    el("button", { type: "button", id: "newest", onclick: go("newest") }, "Newest"),
    jump,
    el(
      "span",
      { id: "page-range", class: "muted" },
      first ? `seq ${first}–${last} of ${total}` : `no messages here (of ${total})`,
    ),
  );
}
