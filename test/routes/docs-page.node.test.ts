import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { DOCS_CSP, docsPage } from "../../src/routes/docs-page";

describe("the /docs page", () => {
  const html = docsPage();

  it("references no other host: no absolute URL, nothing loaded from elsewhere", () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\/\//i);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(DOCS_CSP).toContain("default-src 'none'");
    expect(DOCS_CSP).toContain("connect-src 'self'");
  });

  it("carries one inline script that parses", () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    expect(scripts).toHaveLength(1);
    expect(() => new Script(scripts[0] ?? "")).not.toThrow();
    expect(scripts[0]).toContain('fetch("/openapi.json")');
  });
});
