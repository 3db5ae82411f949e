import { describe, expect, it } from "vitest";
import { messageVectorModel } from "../../../src/memory/vectors/message-document";
import { sqlOf, withObject } from "../../helpers/conversation-object";
import { call, freshId } from "../../helpers/http";
import { embeddedTexts, runConversationWork, setEmbedder } from "../../helpers/semantic";

const MODEL = "openai:universal-sentence-encoder-lite";

const injuries = [
  {
    role: "user",
    name: "Viktor",
    content: "Slammed my thumb in the garage door and the nail went black.",
  },
  {
    role: "user",
    name: "Maya",
    content: "Sprained my wrist badly at the climbing wall yesterday.",
  },
];

/** What is embedded of a message (`messageDocuments`), on the real local model. */
describe("message documents", () => {
  it("embeds each message with its speaker: a question naming a person finds that person's turn", async () => {
    await setEmbedder("ok");
    const conversation = freshId();
    const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: {
        messages: [
          ...injuries,
          { role: "assistant", content: "Ice and rest, both of you." },
          {
            role: "assistant",
            content: "",
            tool_calls: [
              {
                id: "call-1",
                type: "function",
                function: { name: "find_clinic", arguments: "{}" },
              },
            ],
          },
        ],
      },
    });
    expect(appended.status).toBe(201);
    await runConversationWork(conversation);

    const embedded = await embeddedTexts();
    expect(embedded[`Viktor: ${injuries[0]?.content}`]).toBe(1);
    expect(embedded[`Maya: ${injuries[1]?.content}`]).toBe(1);
    expect(embedded["assistant: Ice and rest, both of you."]).toBe(1);
    // Without its speaker the model ranks Maya's sprain nearer "hurt" (0.30 against 0.17);
    // with it, the turn of the person the question names comes first.
    const search = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "How did Viktor get hurt?", mode: "semantic", limit: 1 },
    });
    expect(search.status).toBe(200);
    expect(search.json.results[0].message.content).toBe(injuries[0]?.content);
    // Each message after the first also as an exchange with the one before it (−seq); the
    // tool call has no text: no vector, and nothing is waiting for one.
    expect(embedded[`Viktor: ${injuries[0]?.content}\nMaya: ${injuries[1]?.content}`]).toBe(1);
    expect(await sqlOf(conversation, "SELECT id FROM vectors ORDER BY id")).toEqual([
      { id: -3 },
      { id: -2 },
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
    expect(await sqlOf(conversation, "SELECT through FROM vector_state")).toEqual([{ through: 4 }]);
  });

  it("vectors of the text alone (before speakers) are replaced: the conversation is embedded again", async () => {
    await setEmbedder("ok");
    const conversation = freshId();
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: { messages: injuries },
    });
    await runConversationWork(conversation);
    // As a deployment from before left them: the model's name alone, no document form.
    await withObject(conversation, (_i, state) => {
      state.storage.sql.exec("UPDATE vector_state SET model = ?", MODEL);
    });
    await setEmbedder("ok");
    const before = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "How did Viktor get hurt?", mode: "semantic" },
    });
    expect(before.status).toBe(200);
    expect(before.json.results.every((r: any) => r.match.semantic === null)).toBe(true);

    await runConversationWork(conversation);
    expect(await sqlOf(conversation, "SELECT model, through FROM vector_state")).toEqual([
      { model: messageVectorModel(MODEL), through: 2 },
    ]);
    const embedded = await embeddedTexts();
    expect(embedded[`Viktor: ${injuries[0]?.content}`]).toBe(1);
    const after = await call("POST", `/v1/conversations/${conversation}/search`, {
      body: { query: "How did Viktor get hurt?", mode: "semantic", limit: 1 },
    });
    expect(after.json.results[0].match).toEqual({ lexical: null, semantic: 1 });
  });

  it("context recall asks a message's exchange too: a question about two turns finds them as one", async () => {
    // Vectors as bags of words: a turn shares one word with the question, the exchange two.
    await setEmbedder("words");
    const conversation = freshId();
    const filler = Array.from({ length: 30 }, (_, i) => ({
      role: "user",
      content: `Nothing much happened on day ${i}`,
    }));
    await call("POST", `/v1/conversations/${conversation}/messages`, {
      body: {
        messages: [
          { role: "user", content: "The zebra grazed" },
          { role: "user", content: "A quokka smiled" },
          ...filler,
        ],
      },
    });
    await runConversationWork(conversation);
    const context = await call("POST", `/v1/conversations/${conversation}/context`, {
      body: { query: "zebra quokka", mode: "semantic", recall: 1, maxTokens: 120, explain: true },
    });
    expect(context.status).toBe(200);
    // Turns 1 and 2 are as near as each other; message 2's exchange (turn 1, then turn 2)
    // is nearer than both, so message 2 ranks first — searched by turns alone, 1 would.
    const ranked = context.json.explain.candidates.map((c: any) => [c.seq, c.match.semantic]);
    expect(ranked.slice(0, 2)).toEqual([
      [2, 1],
      [1, 2],
    ]);
  });
});
