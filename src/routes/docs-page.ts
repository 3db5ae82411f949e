/**
 * `/docs`: the API reference as one self-contained page (no asset from another host, so
 * it works offline and behind any firewall). It reads `/openapi.json` — the document the
 * routes are declared with — and renders each operation with its parameters, an example
 * body built from the schema's examples, and a form that sends the request with the key
 * a person types (kept in this tab's sessionStorage only).
 */

/** Nothing from elsewhere may load or run: the page talks to this origin only. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `
body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d232b;display:flex}
nav{width:280px;height:100vh;overflow:auto;position:sticky;top:0;background:#f4f6f8;padding:16px;box-sizing:border-box;flex:none}
nav h2{font-size:13px;text-transform:uppercase;color:#5b6673;margin:16px 0 4px}
nav a{display:block;color:#1d232b;text-decoration:none;font-size:13px;padding:2px 0}
main{padding:24px 40px;max-width:960px;flex:1}
section.op{border-top:1px solid #dde2e7;padding:20px 0}
.m{display:inline-block;min-width:58px;font:600 12px monospace;color:#fff;border-radius:4px;padding:2px 6px;margin-right:8px;text-align:center}
.get{background:#2f7d32}.post{background:#1565c0}.put{background:#ef6c00}.patch{background:#6a1b9a}.delete{background:#c62828}
code,pre,textarea,input{font:13px ui-monospace,monospace}
pre{background:#f4f6f8;padding:10px;overflow:auto;border-radius:4px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #dde2e7;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}
textarea{width:100%;min-height:120px;box-sizing:border-box}
button{margin-top:6px;padding:4px 14px}
#key{width:360px}
`;

const SCRIPT = `
const $ = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
};
/** Description text with \`code\` spans, never as HTML. */
const prose = (text) => {
  const p = $("p");
  String(text || "").split("\`").forEach((part, i) => p.append(i % 2 ? $("code", {}, part) : part));
  return p;
};
let doc;
const resolve = (s) => {
  while (s && s.$ref) s = doc.components.schemas[s.$ref.split("/").pop()];
  return s || {};
};
const example = (schema, depth = 0) => {
  const s = resolve(schema);
  if (s.example !== undefined) return s.example;
  if (depth > 6) return null;
  const alt = s.oneOf || s.anyOf;
  if (alt) return example(alt[0], depth + 1);
  if (s.type === "object" || s.properties) {
    const out = {};
    for (const [k, v] of Object.entries(s.properties || {})) {
      if ((s.required || []).includes(k) || resolve(v).example !== undefined) out[k] = example(v, depth + 1);
    }
    return out;
  }
  if (s.type === "array") return [example(s.items, depth + 1)];
  if (s.enum) return s.enum[0];
  return { string: "", integer: 0, number: 0, boolean: false }[s.type] ?? null;
};
const keyInput = $("input", { id: "key", type: "password", placeholder: "API key (kept in this tab only)" });
keyInput.value = sessionStorage.getItem("edgemem-key") || "";
keyInput.addEventListener("input", () => sessionStorage.setItem("edgemem-key", keyInput.value));

function operation(path, method, op) {
  const id = (method + path).replace(/[^a-z0-9]+/gi, "-");
  const section = $("section", { class: "op", id });
  section.append($("h3", {}, $("span", { class: "m " + method }, method.toUpperCase()), $("code", {}, path)));
  if (op.summary) section.append($("strong", {}, op.summary));
  if (op.description) section.append(prose(op.description));
  const inputs = {};
  const params = op.parameters || [];
  if (params.length) {
    const table = $("table", {}, $("tr", {}, $("th", {}, "parameter"), $("th", {}, "in"), $("th", {}, "description"), $("th", {}, "value")));
    for (const p of params) {
      const input = $("input", { placeholder: String(p.schema?.example ?? p.example ?? "") });
      inputs[p.in + ":" + p.name] = input;
      const cell = $("td");
      cell.append(prose(p.description || p.schema?.description || ""));
      table.append($("tr", {}, $("td", {}, $("code", {}, p.name + (p.required ? " *" : ""))), $("td", {}, p.in), cell, $("td", {}, input)));
    }
    section.append(table);
  }
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const textarea = body ? $("textarea") : null;
  if (textarea) {
    textarea.value = JSON.stringify(example(body), null, 2);
    section.append($("div", {}, "Body (application/json)"), textarea);
  }
  const responses = $("table", {}, $("tr", {}, $("th", {}, "status"), $("th", {}, "meaning")));
  for (const [status, r] of Object.entries(op.responses || {})) {
    const cell = $("td");
    cell.append(prose(r.description));
    responses.append($("tr", {}, $("td", {}, status), cell));
  }
  section.append(responses);
  const out = $("pre", { hidden: "" });
  const send = $("button", {}, "Send");
  send.addEventListener("click", async () => {
    let url = path.replace(/{(\\w+)}/g, (_, name) => encodeURIComponent(inputs["path:" + name]?.value || ""));
    const query = new URLSearchParams();
    const headers = { authorization: "Bearer " + keyInput.value };
    for (const p of params) {
      const value = inputs[p.in + ":" + p.name].value;
      if (!value) continue;
      if (p.in === "query") query.set(p.name, value);
      if (p.in === "header") headers[p.name] = value;
    }
    if (textarea) headers["content-type"] = "application/json";
    if ([...query].length) url += "?" + query;
    out.hidden = false;
    out.textContent = "…";
    try {
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: textarea ? textarea.value : undefined });
      const text = await res.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      out.textContent = res.status + " " + res.statusText + "\\n\\n" + shown;
    } catch (error) {
      out.textContent = String(error);
    }
  });
  section.append(send, out);
  return section;
}

(async () => {
  const main = document.querySelector("main");
  const nav = document.querySelector("nav");
  doc = await (await fetch("/openapi.json")).json();
  main.append($("h1", {}, doc.info.title + " " + doc.info.version), prose(doc.info.description));
  main.append($("p", {}, "Send requests from this page with your key: ", keyInput));
  main.append($("p", {}, $("a", { href: "/openapi.json" }, "openapi.json")));
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags || ["Other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  for (const [tag, ops] of byTag) {
    nav.append($("h2", {}, tag));
    main.append($("h2", {}, tag));
    for (const [path, method, op] of ops) {
      const section = operation(path, method, op);
      nav.append($("a", { href: "#" + section.id }, method.toUpperCase() + " " + path));
      main.append(section);
    }
  }
})();
`;

export function docsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgemem API reference</title><style>${STYLE}</style></head>
<body><nav></nav><main><noscript>This reference needs JavaScript; the raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript></main>
<script>${SCRIPT}</script></body></html>`;
}
