// A second shape of the same dialogues for bench:quality (QUALITY_SHAPE=verbose): the
// assistant answers at length, as chat assistants do, so a turn next to a hit is often a
// paragraph, not a line. Every assistant turn gets 3 to 6 more sentences of everyday advice
// (the topics' tips, which hold no planted answer); nothing else changes, so the questions,
// their evidence and the people's turns are those of the chat shape.
import { prng } from "../quality-data.mjs";
import { GENERIC_TIPS, TOPICS } from "./topics.mjs";

const ADVICE = [...TOPICS.flatMap((t) => t.tips), ...GENERIC_TIPS];

/** The conversations with every assistant turn lengthened, deterministically from `seed`. */
export function verboseAssistant(conversations, seed) {
  const r = prng(seed ^ 0x5eed);
  return conversations.map((c) => ({
    ...c,
    messages: c.messages.map((m) => {
      if (m.role !== "assistant") return m;
      const more = Array.from({ length: 3 + r.int(4) }, () => r.pick(ADVICE));
      return { ...m, content: [m.content, ...new Set(more)].join(" ") };
    }),
  }));
}
