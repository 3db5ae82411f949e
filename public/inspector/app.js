// The edgemem inspector: calls the public API of this origin with the key a person gives,
// kept in sessionStorage only and sent in the Authorization header, never in a URL.
// Every stored text is rendered with textContent, never parsed as HTML.
import { renderContext, renderWhy } from "./context-views.js";
import { $, el, fragmentFor, guard, KEY_STORE, nav, setStatus, VIEWS } from "./shared.js";
import { renderTimeline } from "./timeline-view.js";
import { renderUsers } from "./users-view.js";

// ---- the URL fragment: view, conversation, user, budget, query, dates, seq (and a key, taken out) ----

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
    dates: params.get("dates") === "1" ? "1" : "",
    seq: params.get("seq") ?? "",
  };
}

nav.state = readFragment();

nav.go = function go(changes) {
  nav.state = { ...nav.state, ...changes };
  const next = fragmentFor(nav.state);
  if (location.hash === next) render();
  else location.hash = next;
};

const RENDERERS = {
  context: renderContext,
  timeline: renderTimeline,
  why: renderWhy,
  users: renderUsers,
};

nav.rerender = async function rerender(draw) {
  const view = el("section", { id: "view", "aria-live": "polite" });
  setStatus("Loading…");
  $("view").replaceWith(view);
  await guard(async () => {
    await draw(view);
    setStatus("");
  });
  view.dataset.ready = "true";
};

function render() {
  for (const link of document.querySelectorAll("nav a")) {
    const view = link.dataset.view;
    link.href = fragmentFor({ ...nav.state, view });
    if (view === nav.state.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  $("conversation").value = nav.state.conversation;
  $("budget").value = nav.state.budget;
  $("query").value = nav.state.query;
  $("dates").checked = nav.state.dates === "1";
  $("conversation-form").hidden = nav.state.view === "users";
  if (!sessionStorage.getItem(KEY_STORE)) {
    setStatus("Enter an API key to start.");
    $("key").focus();
    return;
  }
  if (nav.state.view !== "users" && !nav.state.conversation) {
    setStatus("Enter a conversation id.");
    return;
  }
  nav.rerender(RENDERERS[nav.state.view]);
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
  nav.go({
    conversation: $("conversation").value.trim(),
    budget: $("budget").value,
    query: $("query").value.trim(),
    dates: $("dates").checked ? "1" : "",
    seq: "",
  });
});
window.addEventListener("hashchange", () => {
  nav.state = readFragment();
  render();
});
render();
