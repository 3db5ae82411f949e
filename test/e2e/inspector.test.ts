// The inspector page in a real headless Chromium (Debian's package) against the running
// Worker: each view opened by URL, what a person would see checked against the API.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI) throw new Error(`inspector browser tests: ${CHROMIUM} is missing in CI`);
  console.warn(
    `\n!!! SKIPPING the inspector browser tests: ${CHROMIUM} is missing (apt-get install -y chromium) !!!\n`,
  );
}

const url = inject("edgememUrl");
const origin = new URL(url).origin;
const KEY = "e2e-key-alpha";
const OUT = join(process.cwd(), "test-output");
let n = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const XSS = '<img src=x onerror="window.__owned=1">';
const conversation = fresh("insp-conv");
const user = fresh("insp-user");
const long = fresh("insp-long");
const QUERY = "Which seat does Ana like on the Lisbon flight?";
const PARTS_TEXT = "Is the river walk open tonight?";
const TOOL_CALL = {
  id: "call_1",
  type: "function",
  function: { name: "opening_hours", arguments: '{"place":"river walk"}' },
};

/** The little of the DOM the layout check reads (the suite is typed without DOM's lib). */
interface DocumentLike {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelectorAll(selector: string): Iterable<{
    id: string;
    offsetParent: unknown;
    labels?: { length: number } | null;
    getAttribute(name: string): string | null;
  }>;
}

/** A message's text as the page shows it: text parts, and tool calls as `→ name(args)`. */
function shownText(m: { content: unknown; tool_calls?: (typeof TOOL_CALL)[] }): string {
  const parts = Array.isArray(m.content)
    ? m.content
        .map((p: { type: string; text?: string }) => (p.type === "text" ? p.text : `[${p.type}]`))
        .join("\n")
    : ((m.content as string | null) ?? "");
  const calls = (m.tool_calls ?? []).map((c) => `→ ${c.function.name}(${c.function.arguments})`);
  return [parts, ...calls].filter(Boolean).join("\n");
}
const BUDGET = 700;

/** A conversation whose history spilled out of working memory, with a summary and memories. */
async function seed() {
  await api("PUT", `/v1/conversations/${conversation}`, { userId: user, workingTokens: 256 });
  await api("POST", `/v1/conversations/${conversation}/messages`, {
    messages: [{ role: "system", content: "You are a travel assistant.", pinned: true }],
  });
  const turns = [
    "Ana here. I always want a window seat on the Lisbon flight.",
    "Noted: a window seat for Lisbon.",
    ...Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0
        ? `Question ${i} about museums, trams and pastries in the old town, day ${i}.`
        : `Answer ${i}: the tram 28 runs early, and the pastries are best warm, day ${i}.`,
    ),
    `Show this literally: ${XSS}`,
  ];
  for (let i = 0; i < turns.length; i++) {
    await api("POST", `/v1/conversations/${conversation}/messages`, {
      messages: [{ role: i % 2 === 0 ? "user" : "assistant", content: turns[i] }],
    });
  }
  // A tool exchange with content parts, as OpenAI chat completions sends one.
  await api("POST", `/v1/conversations/${conversation}/messages`, {
    messages: [
      { role: "user", content: [{ type: "text", text: PARTS_TEXT }] },
      { role: "assistant", content: null, tool_calls: [TOOL_CALL] },
      { role: "tool", tool_call_id: TOOL_CALL.id, content: '{"open":true}' },
      { role: "assistant", content: "Yes, the river walk is open until midnight." },
      { role: "user", content: "And what about dinner near the river?" },
    ],
  });
  // A long history for the timeline's pages: 260 messages, most of them archived.
  await api("PUT", `/v1/conversations/${long}`, { workingTokens: 256 });
  for (const [from, count] of [
    [1, 100],
    [101, 100],
    [201, 60],
  ] as const) {
    await api("POST", `/v1/conversations/${long}/messages`, {
      messages: Array.from({ length: count }, (_, i) => ({
        role: (from + i) % 2 ? "user" : "assistant",
        content: `Long history message number ${from + i}.`,
      })),
    });
  }
  await api("PUT", `/v1/conversations/${conversation}`, {
    summary: { text: "Ana is planning a trip to Lisbon and asked about museums and trams." },
  });
  const memories = [];
  for (const text of ["Ana is vegetarian.", "Ana prefers a window seat.", "Ana lives in Porto."]) {
    memories.push(await api("POST", "/v1/memories", { userId: user, text }));
  }
  return memories as { id: string; text: string; version: number }[];
}

describe.skipIf(!haveChromium)("inspector in Chromium", () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let memories: { id: string; text: string; version: number }[];
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    memories = await seed();
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(os.tmpdir(), "edgemem-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    context.on("request", (r) => requests.push(r.url()));
    context.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a fragment of the inspector and waits until its view has rendered. */
  async function open(fragment: string) {
    await page.goto(`${url}/inspector#${fragment}`);
    await page.waitForSelector("#view[data-ready]");
    const status = await page.locator("#status").textContent();
    expect(await page.locator("#status.error").count(), status ?? "").toBe(0);
    // Readable at this width: nothing makes the page scroll sideways (wide tables scroll
    // inside their own box), and every field has a label.
    const layout = await page.evaluate(() => {
      const { document: doc } = globalThis as unknown as { document: DocumentLike };
      const root = doc.documentElement;
      const fields = [...doc.querySelectorAll("input, textarea")].filter(
        (f) => f.offsetParent !== null && !f.labels?.length && !f.getAttribute("aria-label"),
      );
      return { overflow: root.scrollWidth - root.clientWidth, unlabelled: fields.map((f) => f.id) };
    });
    expect(layout).toEqual({ overflow: 0, unlabelled: [] });
  }

  it("serves the page under a strict policy, with no key needed", async () => {
    const res = await fetch(`${url}/inspector`);
    expect(res.status).toBe(200);
    const policy = res.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain("unsafe-inline");
  });

  it("weighs under 150 KiB gzipped, everything from this origin", async () => {
    const html = await (await fetch(`${url}/inspector`)).text();
    expect(html).not.toMatch(/(?:src|href)="(?:[a-z]+:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.length).toBe(3);
    const modules = ["shared.js", "context-views.js", "timeline-view.js", "users-view.js"];
    let gzipped = await gzipSize(html);
    for (const path of [...assets, ...modules.map((m) => `/inspector/${m}`)]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      gzipped += await gzipSize(await res.text());
    }
    expect(gzipped).toBeLessThan(150 * 1024);
  });

  it("keyboard: the key typed in the form opens the view the link names", async () => {
    await page.goto(`${url}/inspector#view=timeline&conversation=${conversation}`);
    await page.evaluate(() =>
      (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear(),
    );
    await page.reload();
    expect(await page.locator("#status").textContent()).toContain("API key");
    await page.getByLabel("API key").focus();
    await page.keyboard.type(KEY);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#view[data-ready]");
    expect(await page.locator("#timeline-messages li[data-seq]").count()).toBeGreaterThan(0);
    expect(await page.getByLabel("API key").inputValue()).toBe("");
  });

  it("context preview: the messages /context returns, with usage by section", async () => {
    const fragment = `key=${KEY}&conversation=${conversation}&budget=${BUDGET}&query=${encodeURIComponent(QUERY)}&view=context`;
    await open(fragment);
    expect(
      await page.evaluate(() => (globalThis as unknown as { location: URL }).location.hash),
    ).not.toContain("key=");
    const expected = await api("POST", `/v1/conversations/${conversation}/context`, {
      maxTokens: BUDGET,
      query: QUERY,
    });
    for (const name of ["pinned", "summary", "recalled", "recent", "total", "budget"]) {
      expect(await page.locator(`#usage-${name}`).textContent(), name).toBe(
        String(expected.usage[name]),
      );
    }
    const shown = await page.locator("#context-messages li pre").allTextContents();
    expect(shown).toEqual(expected.messages.map(shownText));
    // The tool exchange and the message of content parts are in the context, each with its
    // token figure (not "?"): every figure is a number, and they add up to usage.total.
    expect(shown).toEqual(
      expect.arrayContaining([PARTS_TEXT, `→ opening_hours(${TOOL_CALL.function.arguments})`]),
    );
    const figures = await page.locator("#context-messages .tokens").allTextContents();
    expect(figures.filter((t) => !/^\d+ tokens$/.test(t))).toEqual([]);
    const costs = figures.map((t) => Number.parseInt(t, 10));
    expect(costs.reduce((a, b) => a + b, 0)).toBe(expected.usage.total);
    await page.screenshot({ path: join(OUT, "inspector-context.png"), fullPage: true });
    // The first screen, as the README shows it (docs/inspector.png is a copy of this one).
    await page.screenshot({ path: join(OUT, "inspector-context-top.png") });
  });

  it("context preview of an agent on the Responses API: its items, each with its figure", async () => {
    const agent = fresh("insp-responses");
    await api("POST", `/v1/conversations/${agent}/messages`, {
      messages: [
        { type: "message", role: "developer", content: "You plan trips.", pinned: true },
        { role: "user", content: [{ type: "input_text", text: "Weather in Lisbon?" }] },
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "Check." }] },
        {
          type: "function_call",
          id: "fc_1",
          call_id: "call_1",
          name: "get_weather",
          arguments: '{"city":"Lisbon"}',
        },
        { type: "function_call_output", call_id: "call_1", output: "21 °C, sunny" },
        {
          type: "message",
          id: "msg_1",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Sunny, 21 °C.", annotations: [] }],
        },
      ],
    });
    await open(`key=${KEY}&conversation=${agent}&budget=${BUDGET}&view=context`);
    const shown = await page.locator("#context-messages li pre").allTextContents();
    expect(shown).toEqual([
      "You plan trips.",
      "Weather in Lisbon?",
      "[reasoning] Check.",
      '→ get_weather({"city":"Lisbon"})',
      "← 21 °C, sunny",
      "Sunny, 21 °C.",
    ]);
    const speakers = await page.locator("#context-messages li header strong").allTextContents();
    expect(speakers).toEqual(["developer", "user", "assistant", "assistant", "tool", "assistant"]);
    const expected = await api("POST", `/v1/conversations/${agent}/context`, {
      maxTokens: BUDGET,
    });
    const figures = await page.locator("#context-messages .tokens").allTextContents();
    expect(figures.filter((t) => !/^\d+ tokens$/.test(t))).toEqual([]);
    const costs = figures.map((t) => Number.parseInt(t, 10));
    expect(costs.reduce((a, b) => a + b, 0)).toBe(expected.usage.total);
  });

  it("context preview with day lines: the date before a day's first recent turn, paid from recent", async () => {
    await open(
      `key=${KEY}&conversation=${conversation}&budget=${BUDGET}&query=${encodeURIComponent(QUERY)}&dates=1&view=context`,
    );
    expect(await page.locator("#dates").isChecked()).toBe(true);
    const expected = await api("POST", `/v1/conversations/${conversation}/context`, {
      maxTokens: BUDGET,
      query: QUERY,
      dates: true,
    });
    const shown = await page.locator("#context-messages li pre").allTextContents();
    expect(shown).toEqual(expected.messages.map(shownText));
    const days = await page
      .locator('#context-messages li[data-section="day"] pre')
      .allTextContents();
    expect(days.length).toBeGreaterThan(0);
    for (const day of days) expect(day).toMatch(/^\[\d{4}-\d{2}-\d{2}\]$/);
    // Every message has its figure, a day line too, and they add up to usage.total.
    const figures = await page.locator("#context-messages .tokens").allTextContents();
    expect(figures.filter((t) => !/^\d+ tokens$/.test(t))).toEqual([]);
    const costs = figures.map((t) => Number.parseInt(t, 10));
    expect(costs.reduce((a, b) => a + b, 0)).toBe(expected.usage.total);
    // Unticked, the same view asks without them.
    await page.locator("#dates").uncheck();
    await page.locator("#conversation-form button[type=submit]").click();
    await page.waitForFunction(() => {
      const { location } = globalThis as unknown as { location: URL };
      return !location.hash.includes("dates=");
    });
    await page.waitForSelector("#view[data-ready]");
    expect(await page.locator('#context-messages li[data-section="day"]').count()).toBe(0);
  });

  it("timeline: messages by seq with their tier, the summary and the counters", async () => {
    await open(`view=timeline&conversation=${conversation}`);
    const described = await api("GET", `/v1/conversations/${conversation}`);
    expect(await page.locator("#stat-totalMessages").textContent()).toBe(
      String(described.stats.totalMessages),
    );
    expect(await page.locator("#summary-text").textContent()).toBe(described.summary.text);
    const first = page.locator("#timeline-messages li[data-seq='2']");
    expect(await first.locator(".tier").textContent()).toBe("archived");
    expect(await page.locator("#timeline-messages li.working").count()).toBeGreaterThan(0);
    expect(await page.locator("#timeline-messages .divider").count()).toBe(1);
    // Stored markup is text: the message shows it literally and nothing runs.
    const xss = page.locator("#timeline-messages pre", { hasText: "Show this literally" });
    expect(await xss.textContent()).toBe(`Show this literally: ${XSS}`);
    expect(await page.locator("#view img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __owned?: number }).__owned)).toBe(
      undefined,
    );
    await page.screenshot({ path: join(OUT, "inspector-timeline.png"), fullPage: true });
  });

  it("timeline: a long history by pages, newest, a seq, previous; one page per request", async () => {
    const seqs = async () =>
      (await page
        .locator("#timeline-messages li[data-seq]")
        .evaluateAll((items) =>
          items.map((item) => Number(item.getAttribute("data-seq"))),
        )) as number[];
    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const before = requests.length;
    await open(`view=timeline&conversation=${long}&seq=newest`);
    expect(await seqs()).toEqual(range(211, 260));
    expect(await page.locator("#page-range").textContent()).toBe("seq 211–260 of 260");
    expect(await page.locator("#next-page").isDisabled()).toBe(true);

    // Typed, as a person would: the seq goes into the link, the page starts there.
    await page.getByLabel("Jump to seq").fill("120");
    await page.keyboard.press("Enter");
    await page.locator("#page-range", { hasText: "seq 120–169" }).waitFor();
    expect(await seqs()).toEqual(range(120, 169));
    expect(
      await page.evaluate(() => (globalThis as unknown as { location: URL }).location.hash),
    ).toContain("seq=120");
    expect(await page.locator("#timeline-messages li[data-seq='120'] .tier").textContent()).toBe(
      "archived",
    );
    await page.getByRole("button", { name: "Previous 50" }).click();
    await page.locator("#page-range", { hasText: "seq 70–119" }).waitFor();
    await page.getByRole("button", { name: "Next 50" }).click();
    await page.locator("#page-range", { hasText: "seq 120–169" }).waitFor();
    await page.getByRole("button", { name: "Oldest" }).click();
    await page.locator("#page-range", { hasText: "seq 1–50" }).waitFor();
    expect(await page.locator("#previous-page").isDisabled()).toBe(true);
    await page.screenshot({ path: join(OUT, "inspector-timeline-pages.png"), fullPage: true });

    // Each view read one page of messages, never the whole history.
    const reads = requests.slice(before).filter((r) => r.includes(`/${long}/messages`));
    expect(reads.length).toBe(5);
    for (const read of reads) expect(new URL(read).searchParams.get("limit")).toBe("50");
  });

  it("why recalled: every candidate with its rank, packed or not and why", async () => {
    await open(
      `view=why&conversation=${conversation}&budget=${BUDGET}&query=${encodeURIComponent(QUERY)}`,
    );
    const expected = await api("POST", `/v1/conversations/${conversation}/context`, {
      maxTokens: BUDGET,
      query: QUERY,
      explain: true,
    });
    const candidates = expected.explain.candidates as {
      id: string;
      packed: boolean;
      score: number;
      match: { lexical: number | null; semantic?: number | null };
      reason: string | null;
    }[];
    expect(await page.locator("#candidates tbody tr").count()).toBe(candidates.length);
    const packed = candidates.find((c) => c.packed);
    expect(packed, "some candidate is packed").toBeDefined();
    const row = page.locator(`#candidates tr[data-id='${packed?.id}']`).first();
    expect(await row.locator(".packed").textContent()).toBe("packed");
    expect(await row.locator(".rank-lexical").textContent()).toBe(
      String(packed?.match.lexical ?? "—"),
    );
    // The semantic rank when an embedder found it, else "—" (this Worker has none).
    expect(await row.locator(".rank-semantic").textContent()).toBe(
      String(packed?.match.semantic ?? "—"),
    );
    const fused = await row.locator(".score").textContent();
    expect(Number(fused)).toBeCloseTo(packed?.score ?? Number.NaN, 4);
    await page.screenshot({ path: join(OUT, "inspector-why.png"), fullPage: true });
  });

  it("why recalled: candidates left out show why, row by row as the API says", async () => {
    const body = { maxTokens: 300, query: "tram pastries warm old town", explain: true };
    await open(
      `view=why&conversation=${conversation}&budget=${body.maxTokens}&query=${encodeURIComponent(body.query)}`,
    );
    const expected = (await api("POST", `/v1/conversations/${conversation}/context`, body)).explain
      .candidates as { packed: boolean; reason: string | null }[];
    expect(
      expected.some((c) => !c.packed),
      "some candidate is left out",
    ).toBe(true);
    const rows = await page
      .locator("#candidates tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector(".packed")?.textContent,
          tr.querySelector(".reason")?.textContent,
        ]),
      );
    expect(rows).toEqual(expected.map((c) => [c.packed ? "packed" : "left out", c.reason ?? ""]));
  });

  it("users and memories: list, edit and delete through the page", async () => {
    await open(`view=users&user=${user}`);
    expect(await page.locator("#users button", { hasText: user }).textContent()).toContain(
      "3 mem.",
    );
    const shown = await page.locator("#memories .memory .text").allTextContents();
    expect(shown.sort()).toEqual(memories.map((m) => m.text).sort());
    await page.screenshot({ path: join(OUT, "inspector-users.png"), fullPage: true });

    const [edited, doomed] = memories as [(typeof memories)[0], (typeof memories)[0]];
    const card = page.locator(`#memories .memory[data-id='${edited.id}']`);
    await card.getByRole("button", { name: "Edit" }).click();
    await page.getByLabel("New text").fill("Ana is vegan now.");
    await page.getByRole("button", { name: "Save" }).click();
    await page
      .locator(`#memories .memory[data-id='${edited.id}'] .text`, {
        hasText: "Ana is vegan now.",
      })
      .waitFor();
    expect((await api("GET", `/v1/memories/${edited.id}`)).text).toBe("Ana is vegan now.");

    await page
      .locator(`#memories .memory[data-id='${edited.id}']`)
      .getByRole("button", { name: "Versions" })
      .click();
    const versions = page.locator(`#memories .memory[data-id='${edited.id}'] .versions li`);
    await versions.nth(1).waitFor();
    expect(await versions.allTextContents()).toEqual([
      expect.stringContaining(edited.text),
      expect.stringContaining("Ana is vegan now."),
    ]);

    await page.getByLabel("Search memories").fill("Porto");
    await page.keyboard.press("Enter");
    await page.locator("#status", { hasText: "1 memories" }).waitFor();
    expect(await page.locator("#memories .memory .text").allTextContents()).toEqual([
      "Ana lives in Porto.",
    ]);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export as NDJSON" }).click();
    expect((await download).suggestedFilename()).toBe(`${user}.ndjson`);

    await page.getByLabel("Search memories").fill("");
    await page.keyboard.press("Enter");
    await page.locator(`#memories .memory[data-id='${doomed.id}']`).waitFor();
    page.once("dialog", (dialog) => dialog.accept());
    await page
      .locator(`#memories .memory[data-id='${doomed.id}']`)
      .getByRole("button", { name: "Delete" })
      .click();
    await page.locator(`#memories .memory[data-id='${doomed.id}']`).waitFor({ state: "detached" });
    // The counts shown follow the deletion.
    await page.locator("#users button", { hasText: `${user} — 1 conv., 2 mem.` }).waitFor();
    const gone = await fetch(`${url}/v1/memories/${doomed.id}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(gone.status).toBe(404);
  });

  it("phone width: every view readable, its controls reachable", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const query = `budget=${BUDGET}&query=${encodeURIComponent(QUERY)}`;
      const views = {
        context: `view=context&conversation=${conversation}&${query}`,
        timeline: `view=timeline&conversation=${long}&seq=100`,
        why: `view=why&conversation=${conversation}&${query}`,
        users: `view=users&user=${user}`,
      };
      for (const [name, fragment] of Object.entries(views)) {
        await open(fragment);
        // Stored text gets most of the width, not a sliver of a squeezed table column.
        const widths = await page
          .locator("#view pre, #view td.text, #view .memory .text")
          .evaluateAll((nodes) => nodes.map((n) => Math.round(n.getBoundingClientRect().width)));
        expect(widths.length, name).toBeGreaterThan(0);
        expect(Math.min(...widths), name).toBeGreaterThanOrEqual(300);
        for (const link of await page
          .getByRole("navigation", { name: "Views" })
          .getByRole("link")
          .all()) {
          expect(await link.isVisible(), name).toBe(true);
        }
        await page.screenshot({ path: join(OUT, `inspector-${name}-phone.png`), fullPage: true });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("made no request to another host, never put the key in a URL, logged no error", () => {
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((r) => !r.startsWith(origin) && !r.startsWith("blob:"));
    expect(foreign).toEqual([]);
    expect(requests.filter((r) => r.includes(KEY))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
