// The timeline view: a conversation's messages by seq and tier, its summary and counters.
import { api, contentText, conversationPath, el, enc, nav } from "./shared.js";

const PAGE = 50;

export async function renderTimeline(view, cursor) {
  const path = conversationPath(nav.state.conversation);
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
          onclick: () => nav.rerender((v) => renderTimeline(v, page.nextCursor)),
        },
        "Next page",
      ),
    );
  }
}
