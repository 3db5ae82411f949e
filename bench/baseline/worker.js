// The least a Worker can do for each of edgemem's request shapes, so edgemem's figures can be
// read as a share of what the runtime itself allows on the same machine in the same run:
//   GET  /json              a constant JSON body, no storage          (ceiling of any route)
//   GET  /json-log          the same plus one console.log of a JSON line (what an access log costs)
//   POST /echo/{name}       parse the JSON body, one Durable Object RPC that returns it
//   POST /insert/{name}     parse the JSON body, one RPC, one SQLite INSERT in a transaction
import { DurableObject } from "cloudflare:workers";

export class BaselineObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS messages (
         seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
         content TEXT NOT NULL, created_at TEXT NOT NULL)`,
    );
  }

  async echo(body) {
    return body;
  }

  async insert(message) {
    return this.ctx.storage.transactionSync(() => {
      const createdAt = new Date().toISOString();
      const id = message.id ?? crypto.randomUUID();
      const row = this.sql
        .exec(
          "INSERT INTO messages (id, role, content, created_at) VALUES (?, ?, ?, ?) RETURNING seq",
          id,
          message.role,
          message.content,
          createdAt,
        )
        .one();
      return { id, seq: row.seq, createdAt };
    });
  }
}

const CONSTANT = JSON.stringify({ ok: true, service: "baseline" });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, route, name] = url.pathname.split("/");
    if (route === "json" || route === "json-log") {
      if (route === "json-log") {
        console.log(JSON.stringify({ event: "request", method: request.method, status: 200 }));
      }
      return new Response(CONSTANT, { headers: { "content-type": "application/json" } });
    }
    if ((route === "echo" || route === "insert") && name && request.method === "POST") {
      const body = await request.json();
      const stub = env.BASELINE.get(env.BASELINE.idFromName(name));
      if (route === "echo") return Response.json(await stub.echo(body));
      const message = body.messages?.[0] ?? body;
      return Response.json(await stub.insert(message), { status: 201 });
    }
    return new Response("not found", { status: 404 });
  },
};
