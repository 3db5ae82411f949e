import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chatRequestErrors } from "./chat-rules.ts";

/** What the fake server does with one request (its parsed JSON body). */
export type Behaviour = (res: ServerResponse, body: any) => void;

export const answer =
  (content: string): Behaviour =>
  (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
  };

export const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (res) => {
    res.writeHead(code, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ error: { message: "nope" } }));
  };

/**
 * Chat completions as strict as OpenAI's about `messages`: a body breaking its rules
 * (`chatRequestErrors`) gets OpenAI's 400 `invalid_request_error`; others go to `next`.
 */
export const strictChat =
  (next: Behaviour): Behaviour =>
  (res, body) => {
    const errors = chatRequestErrors(body);
    if (errors.length === 0) return next(res, body);
    res.writeHead(400, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: {
          message: errors.join("\n"),
          type: "invalid_request_error",
          param: "messages",
          code: null,
        },
      }),
    );
  };

/** Never answers: the client's timeout has to end the request. */
export const hang: Behaviour = () => {};

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * The one stand-in for an OpenAI-compatible server, on 127.0.0.1 (random port): each
 * request takes the next queued behaviour (`otherwise` when none is left: a 500 unless
 * told) and is recorded. `detached` servers never keep the test process alive.
 */
export async function startFakeOpenAI(options: { otherwise?: Behaviour; detached?: boolean } = {}) {
  const state = { behaviours: [] as Behaviour[], received: [] as Received[] };
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    });
    req.on("end", () => {
      const body = JSON.parse(raw || "null");
      if (!options.detached) {
        state.received.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body,
        });
      }
      (state.behaviours.shift() ?? options.otherwise ?? status(500))(res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  if (options.detached) server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    state,
    reset() {
      state.behaviours = [];
      state.received = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
