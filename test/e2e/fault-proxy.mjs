// A proxy in front of the Worker that misbehaves on request: each request takes the next
// queued fault, if any. `drop` forwards the request, lets the Worker act on it, then cuts
// the connection before the answer arrives (a lost response); `status:N` answers N itself
// (with `retry-after` for 429) without forwarding.
import { createServer, request } from "node:http";

export async function startFaultProxy(target) {
  const faults = [];
  const seen = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const fault = faults.shift();
    seen.push({ method: req.method, url: req.url, headers: req.headers, fault: fault ?? null });
    if (fault?.startsWith("status:")) {
      const status = Number(fault.slice(7));
      req.resume();
      res.writeHead(status, {
        "content-type": "application/problem+json",
        ...(status === 429 ? { "retry-after": "1" } : {}),
      });
      res.end(
        JSON.stringify({
          type: "about:blank",
          title: "injected",
          status,
          detail: "injected fault",
          code: status === 429 ? "rate_limited" : "unavailable",
          requestId: "proxy",
        }),
      );
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (fault === "drop") {
          answer.resume();
          answer.on("end", () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.socket?.destroy());
    req.pipe(forwarded);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    faults,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
