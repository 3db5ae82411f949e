import { expect, it } from "vitest";
import { call, freshId } from "../../helpers/http";
import { runConversationWork, setEmbedder } from "../../helpers/semantic";

/**
 * Hybrid context recall weighs a word hit by the idf of the query words it holds
 * (`idfWeight` → `fuseRecall`). Vectors here are bags of words (the local embedder's
 * `words` mode), so which turn is nearest is known exactly.
 */
it("a rare-word hit outranks a vector hit that shares only the question's common words", async () => {
  await setEmbedder("words");
  const conversation = freshId();
  const chores = Array.from({ length: 30 }, (_, i) => ({
    role: "user",
    content: `Mateo watered the plants on day ${i}`,
  }));
  const appended = await call("POST", `/v1/conversations/${conversation}/messages`, {
    body: {
      messages: [
        ...chores.slice(0, 15),
        // Nearest by vector (when, did, from, Mateo), but of the question's content words it
        // holds only "Mateo", which 31 of 33 turns hold.
        { role: "user", content: "When did you get back from the shop, Mateo?" },
        ...chores.slice(15, 25),
        // Holds "Budapest", which no other turn does.
        { role: "user", content: "Back from Budapest." },
        ...chores.slice(25),
      ],
    },
  });
  expect(appended.status).toBe(201);
  await runConversationWork(conversation);

  const context = await call("POST", `/v1/conversations/${conversation}/context`, {
    body: {
      query: "When did Mateo return from Budapest?",
      mode: "hybrid",
      recall: 1,
      maxTokens: 120,
      explain: true,
    },
  });
  expect(context.status).toBe(200);
  const [first, second] = context.json.explain.candidates;
  // Counted word by word, "Back from Budapest." would hold a third of the question and lose
  // to the nearer vector; by idf it holds nearly all of what the question says.
  expect(first).toMatchObject({ text: "Back from Budapest.", match: { lexical: 1 } });
  expect(second).toMatchObject({
    text: "When did you get back from the shop, Mateo?",
    match: { semantic: 1 },
  });
  expect(context.json.messages[0].content).toContain("Back from Budapest.");
});
