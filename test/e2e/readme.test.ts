// The README's walkthrough, run top to bottom as written: its shell blocks go to bash
// against the running Worker (only the address in its `export` line changes, and the
// README's local key is one of this Worker's keys). Each `# → STATUS {…}` line under a
// curl call is checked: the status, and every `"field":value` it shows.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const url = inject("edgememUrl");
const tmp = mkdtempSync(join(os.tmpdir(), "edgemem-readme-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The shell blocks of one `## ` section of the README, in order. */
function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

interface Expectation {
  call: number;
  status: number;
  fields: string[];
}

/** The `# → …` lines (and their continuation lines), each tied to the curl call above it. */
function expectations(script: string): Expectation[] {
  const found: Expectation[] = [];
  let calls = 0;
  let current: Expectation | undefined;
  for (const line of script.split("\n")) {
    if (/^curl\s/.test(line)) {
      calls++;
      current = undefined;
      continue;
    }
    const arrow = /^# → (\d{3})?(.*)$/.exec(line);
    const text = arrow ? arrow[2] : current && /^#\s{2,}/.test(line) ? line : undefined;
    if (arrow) {
      current = { call: calls - 1, status: Number(arrow[1] ?? 0), fields: [] };
      found.push(current);
    } else if (text === undefined) current = undefined;
    // `"key":value` pairs with a literal value; `…` marks what the README leaves out.
    for (const pair of (text ?? "").matchAll(/"\w+":(?:-?\d+|true|false|null|"[^"…]*")(?=[,}\]])/g))
      current?.fields.push(pair[0]);
  }
  return found;
}

describe("README walkthrough", () => {
  it("runs as written, each call answering what the README shows", async () => {
    const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
    const script = shellBlocks(readme, "Walkthrough").join("\n");
    expect(script).toContain("export EDGEMEM=http://localhost:8787");
    const log = join(tmp, "calls.log");
    // Each curl call appends its body and status to the log, then a record separator.
    const prelude = `curl() { command curl -w '\\n%{http_code}' "$@" >> "${log}"; printf '\\n\\036\\n' >> "${log}"; }\n`;
    await run("bash", ["-euc", prelude + script.replace("http://localhost:8787", url)], {
      timeout: 60_000,
    });
    const calls = readFileSync(log, "utf8")
      .split("\n\u001e\n")
      .filter((record) => record.trim())
      .map((record) => {
        const cut = record.lastIndexOf("\n");
        return { body: record.slice(0, cut), status: Number(record.slice(cut + 1)) };
      });
    expect(calls.length).toBe(script.match(/^curl\s/gm)?.length);

    const expected = expectations(script);
    // The walkthrough shows a tool-call exchange, Responses API items, a rewind and an error,
    // each with an answer.
    expect(expected.map((e) => e.status)).toEqual([201, 201, 201, 200, 201, 400]);
    for (const { call, status, fields } of expected) {
      const answer = calls[call];
      expect(answer?.status, `call ${call + 1}`).toBe(status);
      const body = (answer?.body ?? "").replace(/\s+/g, "");
      for (const field of fields)
        expect(body, `call ${call + 1}`).toContain(field.replace(/\s+/g, ""));
    }
    // Every other call succeeds too.
    const checked = new Set(expected.map((e) => e.call));
    const failed = calls.filter((c, i) => !checked.has(i) && (c.status < 200 || c.status > 299));
    expect(failed).toEqual([]);
  });
});
