import { describe, expect, it } from "vitest";
import { runDueWork } from "../helpers/conversation-object";
import { call, freshId } from "../helpers/http";

/** Facts planted in a long chat, each with a question about it and a distractor on the same topic. */
const FACTS = [
  [
    "My dentist appointment is on Thursday at 4pm.",
    "When is my dentist appointment?",
    "I should look for a dentist closer to work.",
  ],
  [
    "My sister Marta lives in Valencia.",
    "Where does my sister live?",
    "My sister called yesterday about nothing much.",
  ],
  [
    "The wifi password at the cabin is pinecone42.",
    "What is the cabin wifi password?",
    "The cabin is great but the wifi is slow.",
  ],
  [
    "I am allergic to penicillin.",
    "Which medicine am I allergic to?",
    "Some medicine makes me sleepy.",
  ],
  [
    "My passport number ends in 7731.",
    "What does my passport number end in?",
    "I renewed my passport two years ago.",
  ],
  [
    "Our wedding anniversary is on 14 June.",
    "When is our wedding anniversary?",
    "We went to a wedding last weekend.",
  ],
  ["My bike lock code is 9-2-6-1.", "What is my bike lock code?", "My bike needs new tyres soon."],
  [
    "The plumber's name is Joaquim Duarte.",
    "What is the plumber's name?",
    "The plumber was late again today.",
  ],
  ["I parked the car on level 3, spot C12.", "Where did I park the car?", "The car needs washing."],
  [
    "My favourite tea is smoked lapsang souchong.",
    "What is my favourite tea?",
    "I drank too much tea this morning.",
  ],
  [
    "The landlord wants rent paid by the 5th of each month.",
    "When does the landlord want the rent?",
    "The landlord fixed the heating.",
  ],
  [
    "My daughter's teacher is Mrs. Okafor.",
    "Who is my daughter's teacher?",
    "My daughter loves her new school bag.",
  ],
  [
    "The gym closes at 22:30 on weekdays.",
    "When does the gym close on weekdays?",
    "I skipped the gym today.",
  ],
  ["My blood type is O negative.", "What is my blood type?", "I gave blood once at university."],
  [
    "The spare house key is under the blue flowerpot.",
    "Where is the spare house key?",
    "I almost lost my key at the office.",
  ],
  [
    "My flight to Osaka departs on 2 March at 07:10.",
    "When does my flight to Osaka depart?",
    "Flights are so expensive lately.",
  ],
  [
    "Grandma's birthday is on 30 October.",
    "When is Grandma's birthday?",
    "Grandma sent a nice postcard.",
  ],
  [
    "My insurance policy number is HX-55821.",
    "What is my insurance policy number?",
    "Insurance paperwork is so boring.",
  ],
  [
    "The vet said the cat should eat 60 grams twice a day.",
    "How much should the cat eat?",
    "The cat knocked a glass off the table.",
  ],
  [
    "I keep the tax documents in the grey folder in the attic.",
    "Where do I keep the tax documents?",
    "Taxes are due soon I think.",
  ],
] as const;

const SMALL_TALK = [
  "That sounds good, let's keep going.",
  "Can you suggest something for dinner tonight?",
  "The weather is nice today, lots of sun.",
  "I watched a documentary about whales.",
  "Remind me later to call my friend.",
  "What a busy week it has been.",
  "I'm thinking about learning to play guitar.",
  "Traffic was terrible this morning.",
];

function buildChat(turns: number) {
  let state = 20261128;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const messages: { role: string; content: string; id: string }[] = [];
  const factTurn = new Map<number, number>();
  const distractorTurn = new Map<number, number>();
  FACTS.forEach((_, f) => {
    factTurn.set(Math.floor((f / FACTS.length) * turns * 0.8), f);
    distractorTurn.set(Math.floor((f / FACTS.length) * turns * 0.8 + turns * 0.1), f);
  });
  for (let i = 0; i < turns; i++) {
    const fact = factTurn.get(i);
    const distractor = distractorTurn.get(i);
    const content =
      fact !== undefined
        ? FACTS[fact]?.[0]
        : distractor !== undefined
          ? FACTS[distractor]?.[2]
          : `${SMALL_TALK[Math.floor(random() * SMALL_TALK.length)]} (${i})`;
    messages.push({ role: i % 2 ? "assistant" : "user", content: content as string, id: `t-${i}` });
  }
  return messages;
}

describe("recall quality", () => {
  it("brings back the turn that stated each planted fact, within a small budget", async () => {
    const id = freshId("quality");
    await call("PUT", `/v1/conversations/${id}`, { body: { workingTokens: 1000 } });
    const chat = buildChat(2400);
    for (let i = 0; i < chat.length; i += 100) {
      const res = await call("POST", `/v1/conversations/${id}/messages`, {
        body: { messages: chat.slice(i, i + 100) },
      });
      expect(res.status).toBe(201);
    }
    await runDueWork(id);

    let found = 0;
    for (const [fact, question] of FACTS) {
      const res = await call("POST", `/v1/conversations/${id}/context`, {
        body: { maxTokens: 1500, query: question },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json.usage.total).toBeLessThanOrEqual(1500);
      const text = res.json.messages.map((m: { content: string }) => m.content).join("\n");
      if (text.includes(fact)) found++;
    }
    const rate = found / FACTS.length;
    console.info(
      `recall@1500 tokens over ${chat.length} turns: ${found}/${FACTS.length} (${(rate * 100).toFixed(0)}%)`,
    );
    expect(rate).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
