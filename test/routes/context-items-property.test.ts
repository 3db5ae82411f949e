import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { responseInputErrors } from "../helpers/chat-rules";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

/** One round of an agent on the Responses API, as the generator describes it. */
interface Round {
  question: string;
  reasoning: boolean;
  preamble: boolean;
  /** Calls made; `answered[i]` says whether the app appended the i-th call's output. */
  answered: boolean[];
  /** An answer after the outputs (with reasoning when `reasoning`). */
  answer: boolean;
}

const round: fc.Arbitrary<Round> = fc.record({
  question: fc.constantFrom("Weather in Lisbon?", "And in Porto tomorrow?", "Book the ferry."),
  reasoning: fc.boolean(),
  preamble: fc.boolean(),
  answered: fc.array(
    fc.nat(6).map((n) => n > 0),
    { maxLength: 2 },
  ),
  answer: fc.boolean(),
});

/** The items of the rounds, and the reasoning each of the model's items came with. */
function itemsOf(rounds: Round[]) {
  const items: Record<string, unknown>[] = [];
  const reasoningOf = new Map<string, string>();
  rounds.forEach((r, n) => {
    items.push({ role: "user", content: `(${n}) ${r.question}` });
    const model = (item: Record<string, unknown>, reasoning: string | null) => {
      items.push(item);
      if (reasoning) reasoningOf.set(item.id as string, reasoning);
    };
    const first = r.reasoning ? `rs_${n}a` : null;
    if (first) items.push({ type: "reasoning", id: first, summary: [] });
    if (r.preamble) {
      model(
        {
          type: "message",
          id: `msg_${n}a`,
          role: "assistant",
          content: [{ type: "output_text", text: `(${n}) Let me check.` }],
        },
        first,
      );
    }
    r.answered.forEach((_, c) => {
      model(
        {
          type: "function_call",
          id: `fc_${n}${c}`,
          call_id: `call_${n}${c}`,
          name: "weather",
          arguments: `{"round":${n}}`,
        },
        first,
      );
    });
    r.answered.forEach((answered, c) => {
      if (answered) {
        items.push({
          type: "function_call_output",
          call_id: `call_${n}${c}`,
          output: `(${n}) ${c ? "Porto" : "Lisbon"}: ${17 + c} °C`,
        });
      }
    });
    if (r.answer) {
      const second = r.reasoning ? `rs_${n}b` : null;
      if (second) items.push({ type: "reasoning", id: second, summary: [] });
      model(
        {
          type: "message",
          id: `msg_${n}b`,
          role: "assistant",
          content: [{ type: "output_text", text: `(${n}) It is 17 to 18 °C.` }],
        },
        second,
      );
    }
  });
  return { items, reasoningOf };
}

describe("contexts of random Responses API agents", () => {
  it("are valid input at any budget: calls with their outputs, the model's items with their reasoning, each item once and in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(round, { minLength: 1, maxLength: 10 }),
        // Small budgets cut between the units of one round; larger ones take several rounds.
        fc.array(fc.oneof(fc.integer({ min: 30, max: 150 }), fc.integer({ min: 150, max: 900 })), {
          minLength: 2,
          maxLength: 3,
        }),
        fc.boolean(),
        async (rounds, budgets, dates) => {
          const id = freshId("items");
          await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 250 } });
          const { items, reasoningOf } = itemsOf(rounds);
          const appended = await call("POST", `/v1/conversations/${id}/messages`, {
            body: { messages: items },
          });
          expect(appended.status, appended.text).toBe(201);
          await runDueWork(id);
          for (const maxTokens of budgets) {
            const res = await call("POST", `/v1/conversations/${id}/context`, {
              body: { maxTokens, dates, query: "Porto weather" },
            });
            expect(res.status, res.text).toBe(200);
            const { messages, usage } = res.json;
            expect(usage.total).toBeLessThanOrEqual(maxTokens);
            const need = (item: Record<string, any>) => reasoningOf.get(item.id) ?? null;
            expect(responseInputErrors(messages, need), `maxTokens ${maxTokens}`).toEqual([]);
            // The items sent are items appended, each once, in the order appended.
            const sent = messages.filter((m: any) => m.type !== undefined);
            const at = sent.map((m: any) =>
              items.findIndex((i) => JSON.stringify(i) === JSON.stringify(m)),
            );
            expect(at).not.toContain(-1);
            expect(at).toEqual([...at].sort((a, b) => a - b));
            expect(new Set(at).size).toBe(at.length);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
