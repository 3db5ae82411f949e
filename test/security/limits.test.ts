import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { ALPHA, call, freshId } from "../helpers/http";
import { expectProblem } from "../helpers/problems";

const MiB = 1024 * 1024;
/** "Quickly": far below what a request doing real work on such a body would take. */
const QUICK_MS = 2000;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await run();
  return [result, Date.now() - started];
}

const appendPath = (id: string) => `/v1/conversations/${id}/messages`;

/** The conversation was not created by a rejected request. */
async function expectNothingStored(id: string) {
  expectProblem(await call("GET", `/v1/conversations/${id}`), 404, "not_found");
}

function chunkedBody(totalBytes: number, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunk, totalBytes - sent);
      controller.enqueue(new Uint8Array(size).fill(0x20));
      sent += size;
    },
  });
}

describe("body size", () => {
  it("refuses a declared content-length over 1 MiB without reading it", async () => {
    const id = freshId();
    const body = `{"messages":[{"role":"user","content":"${"a".repeat(MiB)}"}]}`;
    const [res, ms] = await timed(() => call("POST", appendPath(id), { body }));
    expectProblem(res, 413, "payload_too_large");
    expect(ms).toBeLessThan(QUICK_MS);
    await expectNothingStored(id);
  });

  it("counts a chunked body with no content-length and stops at the limit", async () => {
    const id = freshId();
    // Straight into the app (no connection in between), so the stream shows how much of it
    // was read, and a cancelled read is not a connection torn down mid-upload.
    let pulled = 0;
    let cancelled = false;
    const body = chunkedBody(4 * MiB);
    const reader = body.getReader();
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        pulled += value.byteLength;
        controller.enqueue(value);
      },
      cancel() {
        cancelled = true;
      },
    });
    const ctx = createExecutionContext();
    const [res, ms] = await timed(async () =>
      createApp().fetch(
        new Request(`https://edgemem.test/v1/conversations/${id}`, {
          method: "PUT",
          headers: { authorization: `Bearer ${ALPHA}`, "content-type": "application/json" },
          body: counted,
        }),
        env,
        ctx,
      ),
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
    expect(ms).toBeLessThan(QUICK_MS);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(MiB + 256 * 1024);
    await expectNothingStored(id);
  });

  it("answers 413 to a chunked body a byte over the limit, sent over a connection", async () => {
    const id = freshId();
    const res = await SELF.fetch(`https://edgemem.test/v1/conversations/${id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ALPHA}`, "content-type": "application/json" },
      body: chunkedBody(MiB + 1),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("payload_too_large");
    await expectNothingStored(id);
  });

  it("lets a chunked body under the limit through to validation", async () => {
    const id = freshId();
    const text = JSON.stringify({ metadata: { note: "streamed" } });
    const bytes = new TextEncoder().encode(text);
    const res = await SELF.fetch(`https://edgemem.test/v1/conversations/${id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ALPHA}`, "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.slice(0, 5));
          controller.enqueue(bytes.slice(5));
          controller.close();
        },
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { metadata: unknown }).metadata).toEqual({ note: "streamed" });
  });
});

describe("field and shape limits, before any work", () => {
  it("rejects nesting 100,000 deep quickly, naming where", async () => {
    const id = freshId();
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const body = `{"messages":[{"role":"user","content":"x","metadata":{"a":${deep}}}]}`;
    const [res, ms] = await timed(() => call("POST", appendPath(id), { body }));
    expectProblem(res, 400, "invalid_request");
    expect(res.json.errors[0].path).toMatch(/^messages\.0\.metadata\.a/);
    expect(ms).toBeLessThan(QUICK_MS);
    await expectNothingStored(id);
  });

  it("rejects a 300,000-item array quickly (it used to overflow the validator's stack: 500)", async () => {
    const id = freshId();
    const body = `{"messages":[${new Array(300_000).fill("1").join(",")}]}`;
    const [res, ms] = await timed(() => call("POST", appendPath(id), { body }));
    expectProblem(res, 400, "invalid_request", ["messages"]);
    expect(res.text.length).toBeLessThan(2000);
    expect(ms).toBeLessThan(QUICK_MS);
    await expectNothingStored(id);
  });

  it("rejects an object with 5,000 keys", async () => {
    const id = freshId();
    const metadata = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    const res = await call("PUT", `/v1/conversations/${id}`, { body: { metadata } });
    expectProblem(res, 400, "invalid_request", ["metadata"]);
    await expectNothingStored(id);
  });

  it("enforces the per-field limits of API.md, naming each field", async () => {
    const id = freshId();
    const message = { role: "user", content: "ok" };
    const cases: Array<[unknown, string[]]> = [
      [{ messages: Array.from({ length: 101 }, () => message) }, ["messages"]],
      [{ messages: [{ ...message, content: "a".repeat(64 * 1024 + 1) }] }, ["messages.0.content"]],
      [
        { messages: [{ ...message, metadata: { big: "a".repeat(4096) } }] },
        ["messages.0.metadata"],
      ],
      [
        {
          messages: [{ ...message, metadata: JSON.parse(`${'{"a":'.repeat(9)}1${"}".repeat(9)}`) }],
        },
        ["messages.0.metadata"],
      ],
      [
        { messages: [message, { ...message, content: "é".repeat(40_000) }] },
        ["messages.1.content"],
      ],
    ];
    for (const [body, fields] of cases) {
      const [res, ms] = await timed(() => call("POST", appendPath(id), { body }));
      expectProblem(res, 400, "invalid_request", fields);
      expect(ms).toBeLessThan(QUICK_MS);
    }
    await expectNothingStored(id);
  });

  it("answers malformed JSON with 400 and a wrong content type with 415, both problem+json", async () => {
    const id = freshId();
    for (const body of ["{", '{"messages": [}', "nul", "\u0000", '{"a":1}{"b":2}', "[]", "1"]) {
      const res = await call("POST", appendPath(id), { body });
      expectProblem(res, 400, "invalid_request");
    }
    for (const contentType of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ]) {
      const res = await call("POST", appendPath(id), {
        body: '{"messages":[{"role":"user","content":"x"}]}',
        headers: { "content-type": contentType },
      });
      expectProblem(res, 415, "invalid_request");
    }
    await expectNothingStored(id);
    // Nothing of that conversation reached long-term storage either.
    const stored = await env.ARCHIVE.list();
    expect(stored.keys.filter((k) => k.name.includes(id))).toEqual([]);
  });
});
