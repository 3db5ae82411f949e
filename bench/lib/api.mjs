// Small HTTP helpers for talking to a running Worker from Node: JSON calls and a bounded pool.

/** One JSON call; never throws on an HTTP status, only on a network error or timeout. */
export async function call(
  baseUrl,
  method,
  path,
  { key, body, headers = {}, timeoutMs = 30_000 } = {},
) {
  const h = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  if (body !== undefined) h["content-type"] = "application/json";
  const send = () =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  let response;
  try {
    response = await send();
  } catch (error) {
    // A pooled keep-alive socket the server closed while it sat idle (during a load run in
    // another process) fails before the request is sent: one fresh attempt.
    if (!["UND_ERR_SOCKET", "ECONNRESET"].includes(error?.cause?.code)) throw error;
    response = await send();
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Runs `tasks` (functions returning promises) with at most `limit` in flight. */
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  });
  await Promise.all(lanes);
  return results;
}
