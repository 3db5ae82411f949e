// The stock clients, unchanged, pointed at edgemem: the Zep v0 JS client that LangChain's
// ZepMemory wraps, and the exact requests of LangChain's MotorheadMemory (no credentials
// to a self-hosted URL, hence the key in the path; a 3 s timeout on every call).
import { Memory, Message, NotFoundError, ZepClient } from "@getzep/zep-js";
import { describe, expect, inject, it } from "vitest";

const url = inject("edgememUrl");
const KEY = "e2e-key-alpha";
let n = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${n++}`;

describe("@getzep/zep-js 0.10 (as LangChain's ZepMemory uses it)", () => {
  it("init passes the health check without a version warning", async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await ZepClient.init(url, KEY);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
  });

  it("addMemory, getMemory (oldest first, lastn), deleteMemory, NotFoundError", async () => {
    const zep = await ZepClient.init(url, KEY);
    const session = fresh("zep");
    await expect(zep.memory.getMemory(session)).rejects.toBeInstanceOf(NotFoundError);
    for (const [input, output] of [
      ["Hi! I'm Jim.", "Hello Jim!"],
      ["What did I just say my name was?", "Jim."],
    ]) {
      const memory = new Memory({
        messages: [
          new Message({ role: "Human", content: input } as any),
          new Message({ role: "AI", content: output } as any),
        ],
      });
      expect(await zep.memory.addMemory(session, memory)).toBe("OK");
    }
    const memory = await zep.memory.getMemory(session);
    expect(memory?.messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
      "Human: Hi! I'm Jim.",
      "AI: Hello Jim!",
      "Human: What did I just say my name was?",
      "AI: Jim.",
    ]);
    expect(memory?.messages[0]?.uuid).toEqual(expect.any(String));
    const last = await zep.memory.getMemory(session, 2);
    expect(last?.messages.map((m) => m.content)).toEqual([
      "What did I just say my name was?",
      "Jim.",
    ]);
    await zep.memory.deleteMemory(session);
    await expect(zep.memory.getMemory(session)).rejects.toBeInstanceOf(NotFoundError);
    await expect(zep.memory.deleteMemory(session)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a bad key is an authentication error", async () => {
    const zep = await ZepClient.init(url, "not-a-key");
    await expect(zep.memory.getMemory(fresh("zep"))).rejects.toThrow(/Authentication/);
  });

  it("searchMemory finds messages", async () => {
    const zep = await ZepClient.init(url, KEY);
    const session = fresh("zep");
    await zep.memory.addMemory(
      session,
      new Memory({
        messages: [new Message({ role: "Human", content: "I live in Lisbon" } as any)],
      }),
    );
    const results = await zep.memory.searchMemory(session, { text: "Lisbon" } as any, 3);
    expect(results[0]?.message?.content).toBe("I live in Lisbon");
  });
});

describe("LangChain MotorheadMemory's requests", () => {
  const base = `${url}/compat/motorhead/key/${KEY}`;
  const headers = { "Content-Type": "application/json" };
  const timed = async (call: () => Promise<Response>) => {
    const started = Date.now();
    const res = await call();
    expect(Date.now() - started).toBeLessThan(3000);
    return res;
  };

  it("init on a new session, saveContext twice, init again", async () => {
    const session = fresh("mh");
    const init = await timed(() =>
      fetch(`${base}/sessions/${session}/memory`, { signal: AbortSignal.timeout(3000), headers }),
    );
    const empty: any = await init.json();
    const { messages = [], context = "NONE" } = empty?.data || empty;
    expect(messages).toEqual([]);
    expect(context).toBeNull();
    for (const [input, output] of [
      ["Hi, I'm Ana", "Hello Ana"],
      ["Where do I live?", "Lisbon"],
    ]) {
      const saved = await timed(() =>
        fetch(`${base}/sessions/${session}/memory`, {
          signal: AbortSignal.timeout(3000),
          method: "POST",
          body: JSON.stringify({
            messages: [
              { role: "Human", content: `${input}` },
              { role: "AI", content: `${output}` },
            ],
          }),
          headers,
        }),
      );
      expect(saved.status).toBe(200);
    }
    const again: any = await (
      await timed(() => fetch(`${base}/sessions/${session}/memory`, { headers }))
    ).json();
    const history = (again.data || again).messages
      .reverse()
      .map((m: { role: string; content: string }) =>
        m.role === "AI" ? `ai:${m.content}` : `human:${m.content}`,
      );
    expect(history).toEqual([
      "human:Hi, I'm Ana",
      "ai:Hello Ana",
      "human:Where do I live?",
      "ai:Lisbon",
    ]);
  });

  it("the managed-style headers (x-metal-api-key) work against the plain path", async () => {
    const res = await fetch(`${url}/compat/motorhead/sessions/${fresh("mh")}/memory`, {
      headers: { ...headers, "x-metal-api-key": KEY, "x-metal-client-id": "client" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messages: [], context: null, tokens: 0 });
  });
});
