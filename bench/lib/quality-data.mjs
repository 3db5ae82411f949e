// Deterministic synthetic long conversations for the memory-quality benchmark: filler chat,
// planted facts, and distractors that share the facts' words but not their answers. Seeded
// PRNG (mulberry32), so every run and every machine gets the same conversations.

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same sequence. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

const NAMES =
  "Amara Bruno Chiara Dmitri Elif Farah Gustavo Hana Ingrid Jonas Keiko Lucia Mateo Nadia Oskar Priya Quentin Rosa Soren Tamsin Ulrike Viktor Wanda Ximena Yusuf Zofia".split(
    " ",
  );
const PETS =
  "Pepper Biscuit Mochi Juniper Tofu Pickles Waffles Nutmeg Ziggy Clementine Marble Sprout".split(
    " ",
  );
const FOODS = "peanuts shellfish sesame kiwi mustard celery lupin buckwheat".split(" ");
const CITIES =
  "Lisbon Oslo Kyoto Valparaiso Tbilisi Reykjavik Marrakesh Montreal Hanoi Ljubljana".split(" ");
const COLORS = "teal ochre crimson lavender charcoal saffron".split(" ");
const BOOKS = "Middlemarch Solaris Beloved Dune Rebecca Ulysses Emma Kindred".split(" ");
const RELATIONS = "sister brother cousin niece nephew aunt".split(" ");
const OTHERS = "neighbour's colleague's landlord's dentist's flatmate's manager's".split(" ");

/**
 * Fact kinds: the planted turn, the question, the answer (a string found only in that turn),
 * and a distractor: a turn with the same key words about someone else, with another value.
 */
const FACT_KINDS = [
  (r, v) => ({
    fact: `By the way, my ${v.rel}'s name is ${v.name}, she is visiting next month.`,
    question: `What is my ${v.rel}'s name?`,
    answer: v.name,
    distractor: `My ${r.pick(OTHERS)} ${v.rel} is named ${v.name2}, funny coincidence.`,
  }),
  (r, v) => ({
    fact: `Our dog is called ${v.pet} and he hates the vacuum cleaner.`,
    question: "What is our dog called?",
    answer: v.pet,
    distractor: `My ${r.pick(OTHERS)} dog is called ${v.pet2}, a very loud beagle.`,
  }),
  (r, v) => ({
    fact: `Please remember that I am allergic to ${v.food}, it matters for recipes.`,
    question: "What am I allergic to?",
    answer: v.food,
    distractor: `My ${r.pick(OTHERS)} kid is allergic to ${v.food2}, so the party menu changed.`,
  }),
  (r, v) => ({
    fact: `My flight to ${v.city} leaves at ${v.time} from terminal ${v.n % 5}.`,
    question: `When does my flight to ${v.city} leave?`,
    answer: v.time,
    distractor: `My ${r.pick(OTHERS)} flight to ${v.city2} leaves at ${v.time2} as well.`,
  }),
  (_r, v) => ({
    fact: `The code for my gym locker is ${v.code}, I keep forgetting it.`,
    question: "What is the code for my gym locker?",
    answer: String(v.code),
    distractor: `The code for the office door changed to ${v.code2} this week.`,
  }),
  (r, v) => ({
    fact: `My favourite colour has always been ${v.color}, I painted the study in it.`,
    question: "What is my favourite colour?",
    answer: v.color,
    distractor: `My ${r.pick(OTHERS)} favourite colour is ${v.color2}, everything they own is ${v.color2}.`,
  }),
  (_r, v) => ({
    fact: `The book I am reading for the club is ${v.book}, we meet on Thursdays.`,
    question: "Which book am I reading for the club?",
    answer: v.book,
    distractor: `Last year the club read ${v.book2} and nobody finished it.`,
  }),
];

const TOPICS = [
  [
    "the deploy",
    "the staging server",
    "the flaky test",
    "the pull request",
    "the database migration",
  ],
  ["the garden", "the tomatoes", "the new fence", "the compost", "the apple tree"],
  [
    "the marathon training",
    "my knee",
    "the interval run",
    "the stretching routine",
    "the rest day",
  ],
  ["the risotto", "the sourdough", "the stew", "dinner plans", "the spice rack"],
  ["the quarterly report", "the budget meeting", "the hiring plan", "the offsite", "the roadmap"],
];
const USER_LINES = [
  (t) => `I spent most of the morning on ${t} and it took longer than expected.`,
  (t, u) => `Can you help me think through ${t}? I am not sure about ${u}.`,
  (t, u) => `Quick update on ${t}: mostly fine, but ${u} still needs attention.`,
  (t, u) => `Honestly ${t} is stressing me out a bit, especially ${u}.`,
  (t, u) => `What would you suggest for ${t} if ${u} keeps getting delayed?`,
];
const ASSISTANT_LINES = [
  (t, u) => `That makes sense. For ${t}, start small and check ${u} before going further.`,
  (t, u) => `A common approach to ${t} is to write down the steps, then tackle ${u} first.`,
  (t, u) => `It sounds like ${u} is the real bottleneck; ${t} can wait until that is settled.`,
  (t, u) => `Good progress on ${t}. If ${u} slips again, plan a short check-in tomorrow.`,
];

/** Each fact gets 3–6 distractors: more near-misses than a top-8 recall can always skip. */
const DISTRACTORS_MIN = 3;
const DISTRACTORS_SPREAD = 4;

/**
 * `count` conversations of `turns` turns each. Every conversation gets one fact of each kind
 * (values unique in it), each planted at a random turn, with 3–6 distractors elsewhere.
 */
export function generateConversations({ seed = 20261128, count = 6, turns = 600 } = {}) {
  const r = prng(seed);
  const conversations = [];
  for (let c = 0; c < count; c++) {
    const pickTwo = (list) => {
      const a = r.int(list.length);
      const b = (a + 1 + r.int(list.length - 1)) % list.length;
      return [list[a], list[b]];
    };
    const messages = [];
    for (let i = 0; i < turns; i++) {
      const topic = r.pick(TOPICS);
      const [t, u] = pickTwo(topic);
      const user = i % 2 === 0;
      const line = user ? r.pick(USER_LINES) : r.pick(ASSISTANT_LINES);
      messages.push({ role: user ? "user" : "assistant", content: line(t, u) });
    }
    // Facts go into user turns anywhere but the last 10; distractors into other user turns.
    const taken = new Set();
    const userTurn = () => {
      for (;;) {
        const i = 2 * r.int(Math.floor((turns - 10) / 2));
        if (!taken.has(i)) {
          taken.add(i);
          return i;
        }
      }
    };
    const questions = [];
    for (const [k, kind] of FACT_KINDS.entries()) {
      const [name, name2] = pickTwo(NAMES);
      const [pet, pet2] = pickTwo(PETS);
      const [food, food2] = pickTwo(FOODS);
      const [city, city2] = pickTwo(CITIES);
      const [color, color2] = pickTwo(COLORS);
      const [book, book2] = pickTwo(BOOKS);
      const time = `${String(6 + r.int(14)).padStart(2, "0")}:${String(5 * r.int(12)).padStart(2, "0")}`;
      const time2 = `${String(6 + r.int(14)).padStart(2, "0")}:${String(5 * r.int(12)).padStart(2, "0")}`;
      const code = 1000 + r.int(9000);
      const values = {
        rel: r.pick(RELATIONS),
        name,
        name2,
        pet,
        pet2,
        food,
        food2,
        city,
        city2,
        color,
        color2,
        book,
        book2,
        time,
        time2: time2 === time ? "23:55" : time2,
        code,
        code2: code + 17,
        n: r.int(100),
      };
      const f = kind(r, values);
      const at = userTurn();
      messages[at] = { role: "user", content: f.fact };
      // Distractors differ from each other: another person, another value (never the answer).
      const other = (list, answer) => {
        for (;;) {
          const v = r.pick(list);
          if (v !== answer) return v;
        }
      };
      for (let d = 0; d < DISTRACTORS_MIN + r.int(DISTRACTORS_SPREAD); d++) {
        const time2 = `${String(6 + r.int(14)).padStart(2, "0")}:${String(5 * r.int(12)).padStart(2, "0")}`;
        const again = kind(r, {
          ...values,
          name2: other(NAMES, name),
          pet2: other(PETS, pet),
          food2: other(FOODS, food),
          city2: other(CITIES, city),
          color2: other(COLORS, color),
          book2: other(BOOKS, book),
          time2: time2 === time ? "23:55" : time2,
          code2: code + 17 + d,
        });
        messages[userTurn()] = { role: "user", content: again.distractor };
      }
      questions.push({
        kind: k,
        question: f.question,
        answer: f.answer,
        seq: at + 1,
        turn: f.fact,
      });
    }
    conversations.push({ id: `quality-${seed}-${c}`, messages, questions });
  }
  return conversations;
}

const STOP = new Set(
  "a an and are as at be but by do does for from has have i in is it its me my of on or our so that the their this to was we what when which who will with you your am".split(
    " ",
  ),
);

/** Lowercased words, a crude English suffix strip (…s, …es, …ing, …ed), stopwords out. */
export function terms(text) {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOP.has(w))
    .map((w) => w.replace(/(?:ing|ed|es|s)$/u, "") || w);
}

/** Plain BM25 (k1 1.2, b 0.75) over `docs` (arrays of terms): scores for a query. */
export function bm25Scores(docs, query, k1 = 1.2, b = 0.75) {
  const avg = docs.reduce((s, d) => s + d.length, 0) / docs.length;
  const df = new Map();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const q = [...new Set(query)];
  return docs.map((d) => {
    const tf = new Map();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let score = 0;
    for (const t of q) {
      const f = tf.get(t);
      if (!f) continue;
      const n = df.get(t);
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avg));
    }
    return score;
  });
}
