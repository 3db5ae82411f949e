// Long multi-session group chats for the context-quality benchmark, LoCoMo-style: two or three
// friends and their assistant talk over 15+ dated sessions days or weeks apart, drifting
// between everyday topics (dialogue/topics.mjs). Planted stories (dialogue/stories.mjs) hold
// the answers to the questions, each question tagged with its category and the turn indices
// of its evidence; distractor turns share the questions' words but not their answers.
// Everything comes from a seeded PRNG, nothing is downloaded: the same seed gives the same
// conversations on every machine. `checkDialogue` throws when the generator is inconsistent.
import { checkDialogue } from "./dialogue/check.mjs";
import { Filler } from "./dialogue/filler.mjs";
import { PEOPLE, POOLS } from "./dialogue/pools.mjs";
import { STORIES } from "./dialogue/stories.mjs";
import { RELATIVES } from "./dialogue/topics.mjs";
import { prng } from "./quality-data.mjs";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Sessions are at least this many and about this many turns long. */
const MIN_SESSIONS = 15;
const TURNS_PER_SESSION = 32;
/** One story per this many turns (all of them from about 530 turns on). */
const TURNS_PER_STORY = 28;

/**
 * `count` conversations of about `turns` turns each. Returns
 * [{ id, speakers, sessions: [{ date, turns }], messages: [{ id, role, name?, content,
 * createdAt, session }], questions: [{ id, category, question, answers, evidence }] }].
 */
export function generateDialogues({ seed = 20261205, count = 10, turns = 560 } = {}) {
  const r = prng(seed);
  const conversations = [];
  for (let c = 0; c < count; c++) {
    const conversation = generateDialogue(extend(r), `dialogue-${seed}-${c}`, turns);
    checkDialogue(conversation);
    conversations.push(conversation);
  }
  return conversations;
}

/** The PRNG with the helpers the generator needs. */
function extend(r) {
  const shuffle = (list) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const chance = (p) => r.next() < p;
  const between = (lo, hi) => lo + r.int(hi - lo + 1);
  return { ...r, shuffle, chance, between };
}

function generateDialogue(r, id, turns) {
  const decks = Object.fromEntries(
    Object.entries({ ...POOLS, people: PEOPLE }).map(([k, v]) => [k, r.shuffle(v)]),
  );
  const draw = (pool) => {
    const value = decks[pool].pop();
    if (value === undefined) throw new Error(`dialogue generator: pool "${pool}" ran out`);
    return value;
  };
  const speakers = Array.from({ length: r.chance(0.5) ? 3 : 2 }, () => draw("people"));
  const friends = Array.from({ length: 6 }, () => draw("people"));
  const used = new Set();
  const unique = (make) => {
    for (;;) {
      const value = make();
      if (!used.has(value)) {
        used.add(value);
        return value;
      }
    }
  };
  const helpers = {
    draw,
    pick: r.pick,
    friend: () => r.pick(friends),
    rel: () => r.pick(RELATIVES),
    raceTime: () =>
      unique(() =>
        r.chance(0.5)
          ? `${r.between(38, 59)}:${String(r.int(60)).padStart(2, "0")}`
          : `${r.between(1, 2)}:${String(r.int(60)).padStart(2, "0")}:${String(r.int(60)).padStart(2, "0")}`,
      ),
    password: () =>
      unique(() => `${r.pick(POOLS.wifiWords)}-${r.pick(POOLS.wifiWords)}-${r.between(10, 99)}`),
    code: () => unique(() => String(r.between(1000, 9999))),
    year: 2027 + r.int(3),
  };

  // Sessions: dates days or weeks apart, lengths around TURNS_PER_SESSION.
  const sessionCount = Math.max(MIN_SESSIONS, Math.round(turns / TURNS_PER_SESSION));
  const weights = Array.from({ length: sessionCount }, () => 0.6 + 0.8 * r.next());
  const total = weights.reduce((a, b) => a + b, 0);
  let day = Date.UTC(2025, 0, 6) + r.int(120) * DAY;
  const sessions = weights.map((w) => {
    day += r.between(2, 18) * DAY;
    const start = day + r.between(7, 21) * 60 * MINUTE + r.int(60) * MINUTE;
    return { start, target: Math.max(8, Math.round((w / total) * turns)), blocks: [] };
  });

  // Stories: each about one speaker, its events spread over sessions respecting the gaps.
  const storyCount = Math.min(STORIES.length, Math.max(3, Math.round(turns / TURNS_PER_STORY)));
  const stories = r.shuffle(STORIES).slice(0, storyCount);
  const planted = [];
  stories.forEach((story, s) => {
    const P = speakers[s % speakers.length];
    const O = r.pick(speakers.filter((x) => x !== P));
    const built = story({ ...helpers, P, O });
    const at = placeEvents(r, built.events, sessionCount);
    const who = (spec) => {
      if (spec === "P") return P;
      if (spec === "O") return O;
      if (spec === "A") return null;
      return r.pick(speakers.filter((x) => x !== P));
    };
    const turn = (spec) => ({
      speaker: who(spec.who),
      text: spec.text,
      tag: spec.tag && `${s}:${spec.tag}`,
    });
    built.events.forEach((event, k) => {
      sessions[at[k]].blocks.push(event.turns.map(turn));
    });
    for (const run of built.distractors) sessions[r.int(sessionCount)].blocks.push(run.map(turn));
    planted.push({ story: story.name, index: s, P, questions: built.questions });
  });

  // Each session: opener, filler segments between the planted blocks, closer.
  const messages = [];
  const tagAt = new Map();
  sessions.forEach((session, k) => {
    const chat = new Filler(r, speakers, friends);
    const blocks = r.shuffle(session.blocks);
    const plantedTurns = blocks.reduce((n, b) => n + b.length, 0);
    const fillerTurns = Math.max(6, session.target - plantedTurns);
    const out = [...chat.opener()];
    const segments = blocks.length + 1;
    let left = fillerTurns - out.length - 2;
    for (let b = 0; b <= blocks.length; b++) {
      const share = b === blocks.length ? left : Math.round(left / (segments - b));
      // Exchanges are never cut, so segments overshoot a little; later ones make up for it.
      const length = left <= 0 ? 0 : Math.max(1, share + r.between(-2, 2));
      const segment = chat.segment(length);
      out.push(...segment);
      left -= segment.length;
      if (b < blocks.length) out.push(...blocks[b]);
    }
    out.push(...chat.closer());
    let time = session.start;
    for (const turn of out) {
      const index = messages.length;
      if (turn.tag) tagAt.set(turn.tag, index);
      messages.push({
        id: `${id}-t${index}`,
        role: turn.speaker ? "user" : "assistant",
        ...(turn.speaker ? { name: turn.speaker.name } : {}),
        content: turn.text,
        createdAt: new Date(time).toISOString(),
        session: k,
      });
      time += r.between(20, 240) * 1000;
    }
  });

  const questions = planted.flatMap((p) =>
    p.questions.map((q, k) => {
      const evidence = q.evidence
        .map((tag) => tagAt.get(`${p.index}:${tag}`))
        .sort((a, b) => a - b);
      const answers = q.dateOf
        ? [messages[tagAt.get(`${p.index}:${q.dateOf}`)].createdAt.slice(0, 10)]
        : q.answers;
      return {
        id: `${id}-q${p.index}.${k}`,
        story: p.story,
        category: q.category,
        question: q.text,
        answers,
        evidence,
      };
    }),
  );
  return {
    id,
    speakers: speakers.map((s) => s.name),
    sessions: sessions.map((s, k) => ({
      date: new Date(s.start).toISOString().slice(0, 10),
      turns: messages.filter((m) => m.session === k).length,
    })),
    messages,
    questions,
  };
}

/** Sessions for a story's events: in order, each at least its `gap` after the previous one. */
function placeEvents(r, events, sessionCount) {
  const gaps = events.map((e, k) => (k === 0 ? 0 : (e.gap ?? 0)));
  const span = gaps.reduce((a, b) => a + b, 0);
  if (span >= sessionCount) throw new Error("dialogue generator: too few sessions for a story");
  const at = [];
  let from = 0;
  for (let k = 0; k < events.length; k++) {
    const rest = gaps.slice(k + 1).reduce((a, b) => a + b, 0);
    const lo = from + gaps[k];
    const hi = sessionCount - 1 - rest;
    const s = lo + r.int(hi - lo + 1);
    at.push(s);
    from = s;
  }
  return at;
}

export { checkDialogue };
