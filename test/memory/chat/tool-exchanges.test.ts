import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toolExchangeUnits } from "../../../src/memory/chat/tool-exchanges";
import { chatRequestErrors, responseInputErrors, toolBlockErrors } from "../../helpers/chat-rules";

interface Turn {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

const user = (content: string): Turn => ({ role: "user", content });
const reply = (content: string): Turn => ({ role: "assistant", content });
const calls = (...ids: string[]): Turn => ({
  role: "assistant",
  content: null,
  tool_calls: ids.map((id) => ({ id, type: "function", function: { name: "f", arguments: "{}" } })),
});
const answer = (id: string): Turn => ({
  role: "tool",
  content: `result of ${id}`,
  tool_call_id: id,
});

/** Units for chronological turns, flattened back to chronological order. */
const packedAll = (chronological: Turn[]) =>
  [...toolExchangeUnits([...chronological].reverse())].reverse().flat();

describe("toolExchangeUnits", () => {
  it("keeps an assistant message with tool calls and its answers as one unit, newest units first", () => {
    const turns = [user("q"), calls("a", "b"), answer("a"), answer("b"), reply("done")];
    const units = [...toolExchangeUnits([...turns].reverse())];
    expect(units).toEqual([[turns[4]], [turns[1], turns[2], turns[3]], [turns[0]]]);
  });

  it("drops a tool message without its call, a second answer to a call, and an answer to another call", () => {
    const orphan = answer("x");
    const turns = [
      user("q"),
      orphan,
      calls("a"),
      answer("a"),
      answer("a"),
      answer("z"),
      reply("r"),
    ];
    expect(packedAll(turns)).toEqual([turns[0], turns[2], turns[3], turns[6]]);
  });

  it("drops a tool message separated from its call by another message", () => {
    const turns = [calls("a"), user("interrupt"), answer("a")];
    expect(packedAll(turns)).toEqual([turns[1]]);
  });

  it("drops an exchange whose calls are not all answered (the tool is still running)", () => {
    const turns = [user("q"), calls("a", "b"), answer("a")];
    expect(packedAll(turns)).toEqual([turns[0]]);
    expect(packedAll([user("q"), calls("a")])).toEqual([turns[0]]);
  });

  it("reads only as far as the units taken", () => {
    let read = 0;
    function* newestFirst() {
      for (const turn of [reply("r"), answer("a"), calls("a"), user("q"), user("older")]) {
        read++;
        yield turn;
      }
    }
    const units = toolExchangeUnits(newestFirst());
    units.next();
    units.next();
    expect(read).toBe(3);
  });

  it("yields only what chat completions accepts, and every message that is not a tool exchange", () => {
    const ids = fc.constantFrom("a", "b", "c");
    const turn = fc.oneof(
      fc.constantFrom(user("u"), reply("r")),
      fc.uniqueArray(ids, { minLength: 1, maxLength: 3 }).map((list) => calls(...list)),
      ids.map(answer),
    );
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 30 }), (turns) => {
        const kept = packedAll(turns);
        expect(chatRequestErrors({ messages: [user("first"), ...kept] })).toEqual([]);
        const plain = (t: Turn) => t.role !== "tool" && !t.tool_calls;
        expect(kept.filter(plain)).toEqual(turns.filter(plain));
      }),
      { numRuns: 500 },
    );
  });
});

describe("the chat-completions rules the fake server enforces", () => {
  it.each([
    [
      "a tool message without a preceding call",
      [user("q"), answer("a")],
      "preceeding message with 'tool_calls'",
    ],
    [
      "a call left unanswered",
      [user("q"), calls("a", "b"), answer("a")],
      "did not have response messages: b",
    ],
    [
      "a message between a call and its answer",
      [calls("a"), user("q"), answer("a")],
      "did not have response messages: a",
    ],
    [
      "name on a tool message",
      [calls("a"), { ...answer("a"), name: "calc" }],
      "'name' was unexpected",
    ],
    ["null content without tool calls", [{ role: "user", content: null }], "content"],
  ])("rejects %s", (_, messages, error) => {
    expect(chatRequestErrors({ messages }).join("\n")).toContain(error);
  });

  it("accepts a complete exchange", () => {
    expect(
      chatRequestErrors({
        messages: [user("q"), calls("a", "b"), answer("b"), answer("a"), reply("r")],
      }),
    ).toEqual([]);
  });
});

/** A message in Anthropic's form: content blocks, stored as content parts. */
interface Blocks {
  role: "user" | "assistant";
  content: string;
  sentContent: { type: string; [key: string]: unknown }[];
}
const uses = (...ids: string[]): Blocks => ({
  role: "assistant",
  content: "let me look",
  sentContent: [
    { type: "text", text: "let me look" },
    ...ids.map((id) => ({ type: "tool_use", id, name: "f", input: {} })),
  ],
});
const results = (...ids: string[]): Blocks => ({
  role: "user",
  content: "",
  sentContent: ids.map((id) => ({ type: "tool_result", tool_use_id: id, content: `r${id}` })),
});
const said = (role: Blocks["role"], text: string): Blocks => ({
  role,
  content: text,
  sentContent: [{ type: "text", text }],
});
describe("toolExchangeUnits on Anthropic's content blocks", () => {
  const all = (chronological: Blocks[]) =>
    [...toolExchangeUnits([...chronological].reverse())].reverse();

  it("keeps a tool_use message and the tool_result message after it as one unit", () => {
    const turns = [said("user", "q"), uses("a", "b"), results("b", "a"), said("assistant", "done")];
    expect(all(turns)).toEqual([[turns[0]], [turns[1], turns[2]], [turns[3]]]);
  });

  it("drops results without their tool_use just before, and a tool_use not answered whole", () => {
    expect(all([said("user", "q"), results("a")]).flat()).toEqual([said("user", "q")]);
    expect(all([uses("a"), said("user", "in between"), results("a")]).flat()).toEqual([
      said("user", "in between"),
    ]);
    expect(all([said("user", "q"), uses("a", "b"), results("a")]).flat()).toEqual([
      said("user", "q"),
    ]);
    // The newest tool_use, while the app runs the tool.
    expect(all([said("user", "q"), uses("a")]).flat()).toEqual([said("user", "q")]);
  });

  it("yields only what Anthropic's API accepts, and every message without blocks", () => {
    const ids = fc.constantFrom("a", "b", "c");
    const some = fc.uniqueArray(ids, { minLength: 1, maxLength: 3 });
    const turn = fc.oneof(
      fc.constantFrom(said("user", "u"), said("assistant", "r")),
      some.map((list) => uses(...list)),
      some.map((list) => results(...list)),
    );
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 30 }), (turns) => {
        const kept = all(turns).flat();
        expect(toolBlockErrors(kept)).toEqual([]);
        const plain = (t: Blocks) => t.sentContent.every((p) => p.type === "text");
        expect(kept.filter(plain)).toEqual(turns.filter(plain));
      }),
      { numRuns: 500 },
    );
  });
});

interface Parts {
  role: string;
  content: string;
  sentContent: { type: string; [key: string]: unknown }[];
}

describe("toolExchangeUnits on the Vercel AI SDK's parts", () => {
  const call = (id: string) => ({ type: "tool-call", toolCallId: id, toolName: "f", input: {} });
  const result = (id: string) => ({ type: "tool-result", toolCallId: id, toolName: "f" });
  const calling = (...ids: string[]): Parts => ({
    role: "assistant",
    content: "",
    sentContent: ids.map(call),
  });
  const answering = (...ids: string[]): Parts => ({
    role: "tool",
    content: "",
    sentContent: ids.map(result),
  });
  const all = (chronological: Parts[]) =>
    [...toolExchangeUnits([...chronological].reverse())].reverse();

  it("keeps a message of tool-call parts and the tool message of their results as one unit", () => {
    const turns = [calling("a", "b"), answering("b", "a"), calling("c"), answering("x")];
    expect(all(turns)).toEqual([[turns[0], turns[1]]]);
  });

  it("takes a message whose calls it answers itself (a provider-run tool) alone", () => {
    const ran: Parts = { role: "assistant", content: "", sentContent: [call("w"), result("w")] };
    expect(all([ran])).toEqual([[ran]]);
  });
});

interface ItemTurn {
  role: string;
  content: string;
  item?: { type: string; [key: string]: unknown };
}

describe("toolExchangeUnits on Responses API items", () => {
  const as = (item: { type: string; [key: string]: unknown }, role = "assistant"): ItemTurn => ({
    role,
    content: "",
    item,
  });
  const fcall = (id: string) =>
    as({ type: "function_call", call_id: id, name: "f", arguments: "{}" });
  const output = (id: string) =>
    as({ type: "function_call_output", call_id: id, output: `result of ${id}` }, "tool");
  const thought = (n: number) => as({ type: "reasoning", id: `rs_${n}`, summary: [] });
  const said = (text: string): ItemTurn => ({ role: "user", content: text });
  const answered = (text: string) =>
    as({ type: "message", role: "assistant", content: [{ type: "output_text", text }] });
  const all = (chronological: ItemTurn[]) =>
    [...toolExchangeUnits([...chronological].reverse())].reverse();

  it("keeps reasoning, a run of calls and their outputs as one unit, and reasoning with the item after it", () => {
    const turns = [
      said("q"),
      thought(1),
      fcall("a"),
      fcall("b"),
      output("b"),
      output("a"),
      thought(2),
      answered("done"),
    ];
    expect(all(turns)).toEqual([
      [turns[0]],
      [turns[1], turns[2], turns[3], turns[4], turns[5]],
      [turns[6], turns[7]],
    ]);
  });

  it("keeps reasoning with all the model's items after it: a preamble, its calls and their outputs", () => {
    const turns = [
      said("q"),
      thought(1),
      answered("Let me check."),
      fcall("a"),
      output("a"),
      thought(2),
      answered("done"),
    ];
    expect(all(turns)).toEqual([[turns[0]], turns.slice(1, 5), [turns[5], turns[6]]]);
    // Without reasoning, each stays a unit of its own.
    const plain = [said("q"), answered("Let me check."), fcall("a"), output("a")];
    expect(all(plain)).toEqual([[plain[0]], [plain[1]], [plain[2], plain[3]]]);
  });

  it("drops outputs without their call, calls not all answered, and reasoning with nothing after it", () => {
    expect(all([said("q"), output("x"), said("r")]).flat()).toEqual([said("q"), said("r")]);
    expect(all([said("q"), thought(1), fcall("a"), fcall("b"), output("a")]).flat()).toEqual([
      said("q"),
    ]);
    expect(all([said("q"), thought(1)]).flat()).toEqual([said("q")]);
  });

  it("yields only what the Responses API accepts, and every message", () => {
    const ids = fc.constantFrom("a", "b", "c");
    // New objects each time: an item's reasoning is found by identity.
    const turn = fc.oneof(
      fc.nat(9).map((n) => said(`u${n}`)),
      fc.nat(9).map((n) => answered(`r${n}`)),
      fc.nat(9).map(thought),
      ids.map(fcall),
      ids.map(output),
    );
    /** The reasoning each of the model's items came with: the last one before it, no user turn between. */
    const reasoningOf = (turns: ItemTurn[]) => {
      const of = new Map<ItemTurn, ItemTurn>();
      let last: ItemTurn | null = null;
      for (const t of turns) {
        if (t.item?.type === "reasoning") last = t;
        else if (t.role !== "assistant") last = t.role === "tool" ? last : null;
        else if (last) of.set(t, last);
      }
      return of;
    };
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 30 }), (turns) => {
        const kept = all(turns).flat();
        const input = kept.map((t) => t.item ?? { role: t.role, content: t.content });
        expect(responseInputErrors(input)).toEqual([]);
        for (const [item, reasoning] of reasoningOf(turns)) {
          if (kept.includes(item)) expect(kept).toContain(reasoning);
        }
        const plain = (t: ItemTurn) => !t.item || t.item.type === "message";
        expect(kept.filter(plain)).toEqual(turns.filter(plain));
      }),
      { numRuns: 500 },
    );
  });
});
