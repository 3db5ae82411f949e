// The filler chat of bench/lib/dialogues.mjs: one session's small talk, in topic segments
// that drift (dialogue/topics.mjs), with reactions, questions between friends and the
// assistant's advice.
import * as T from "./topics.mjs";

/** `{key}` → the value, `{Key}` → the value capitalised. */
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (_, k) =>
    k[0] === k[0].toUpperCase() ? cap(values[k.toLowerCase()]) : values[k],
  );
const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** Filler chat of one session: topic segments that drift, with reactions and advice. */
export class Filler {
  constructor(r, speakers, friends) {
    this.r = r;
    this.speakers = speakers;
    this.friends = friends;
    this.last = null;
    this.used = new Set();
    this.topic = r.pick(T.TOPICS);
  }

  human(not = this.last) {
    const choices = this.speakers.filter((s) => s !== not);
    return this.r.pick(choices.length > 0 ? choices : this.speakers);
  }

  say(out, speaker, text) {
    out.push({ speaker, text });
    this.last = speaker;
  }

  opener() {
    const out = [];
    const first = this.human(null);
    this.say(out, first, this.r.pick(T.OPENERS));
    if (this.r.chance(0.6)) this.say(out, this.human(first), this.r.pick(T.GREET_BACKS));
    if (this.r.chance(0.3)) this.say(out, null, this.r.pick(T.ASSISTANT_GREETS));
    return out;
  }

  closer() {
    const out = [];
    this.say(out, this.human(null), this.r.pick(T.CLOSERS));
    if (this.r.chance(0.5)) this.say(out, null, this.r.pick(T.ASSISTANT_CLOSERS));
    return out;
  }

  /** About `length` turns; a new topic for each segment (an exchange is never cut). */
  segment(length) {
    const { r } = this;
    const out = [];
    if (length <= 0) return out;
    this.topic = r.pick(T.TOPICS.filter((t) => t !== this.topic));
    let shifted = false;
    while (out.length < length) {
      const lead = !shifted && r.chance(0.4) ? `${r.pick(T.SHIFTS)} ` : "";
      shifted = true;
      const exchange = r.pick([
        this.share,
        this.share,
        this.askAssistant,
        this.askHuman,
        this.plan,
        this.gossip,
        this.opinion,
      ]);
      exchange.call(this, out, lead);
      if (r.chance(0.15)) this.topic = r.pick(T.TOPICS); // drift inside a segment
    }
    return out;
  }

  /** A pick not yet used in this session when there is one (three tries). */
  fresh(list) {
    let value = this.r.pick(list);
    for (let i = 0; i < 3 && this.used.has(value); i++) value = this.r.pick(list);
    this.used.add(value);
    return value;
  }

  words() {
    const { r, topic } = this;
    return {
      thing: this.fresh(topic.things),
      did: this.fresh(topic.did),
      todo: this.fresh(topic.todo),
      adj: r.pick(topic.adj),
      when: r.pick(T.WHEN_PAST),
      next: r.pick(T.WHEN_NEXT),
    };
  }

  react(out, about) {
    const { r } = this;
    if (r.chance(0.55)) this.say(out, this.human(about), r.pick(T.REACTIONS));
    else if (r.chance(0.4)) {
      const w = this.words();
      this.say(
        out,
        null,
        r.pick([
          `That sounds ${r.pick(T.FEELS)}. If it helps, I can put together a short plan to ${w.todo}.`,
          `If you want to ${w.todo} ${w.next}, I can help you set it up.`,
          "Noted. Keeping a few notes as you go makes it easier to compare next time.",
        ]),
      );
    }
  }

  share(out, lead) {
    const { r } = this;
    const w = this.words();
    const speaker = this.human();
    const lines = [
      `${lead || (r.chance(0.5) ? `${r.pick(T.LEADS)} ` : "")}I ${w.did} ${w.when}.`,
      `${lead}I ${w.did} ${w.when}, and honestly it was ${w.adj}.`,
      `${lead}${lead ? w.when : cap(w.when)} I ${w.did}. Still recovering.`,
      `${lead}not sure why, but I ${w.did} ${w.when}. The whole thing was ${w.adj}.`,
    ];
    this.say(out, speaker, cap(r.pick(lines)));
    this.react(out, speaker);
  }

  askAssistant(out, lead) {
    const { r, topic } = this;
    const w = this.words();
    const speaker = this.human();
    const k = r.int(topic.asks.length);
    const specific = r.chance(0.6);
    const ask = specific ? topic.asks[k] : `Any tips on how to ${w.todo}?`;
    this.say(out, speaker, `${lead}${lead ? ask[0].toLowerCase() + ask.slice(1) : ask}`);
    const ack = r.pick(T.ACKS);
    const tip = specific ? topic.tips[k] : fill(r.pick(T.GENERIC_TIPS), w);
    const more = topic.tips[(k + 1) % topic.tips.length];
    const also = specific && r.chance(0.3) ? ` Also: ${more[0].toLowerCase()}${more.slice(1)}` : "";
    const follow = r.chance(0.6) ? ` ${fill(r.pick(T.FOLLOW_UPS), w)}` : "";
    this.say(out, null, `${ack ? `${ack} ` : ""}${tip}${also}${follow}`);
    if (r.chance(0.4))
      this.say(
        out,
        speaker,
        r.pick([
          "Thanks, that helps.",
          "Perfect, thank you!",
          "Oh, good idea.",
          "Hm, I'll try that.",
        ]),
      );
  }

  askHuman(out, lead) {
    const { r } = this;
    const w = this.words();
    const asker = this.human();
    const asked = this.human(asker);
    const [question, replies] = r.pick([
      [`${asked.name}, did you ever ${w.todo} in the end?`, T.REPLIES.ever],
      [`how's ${w.thing} going, ${asked.name}?`, T.REPLIES.how],
      [`${asked.name}, weren't you going to ${w.todo}?`, T.REPLIES.going],
    ]);
    this.say(out, asker, cap(`${lead}${question}`));
    this.say(out, asked, cap(fill(r.pick(replies), w)));
    if (r.chance(0.3)) this.react(out, asked);
  }

  plan(out, lead) {
    const { r } = this;
    const w = this.words();
    const speaker = this.human();
    this.say(
      out,
      speaker,
      cap(
        `${lead}${r.pick([
          `thinking of trying to ${w.todo} ${w.next}.`,
          `I keep meaning to ${w.todo}, but the weeks just disappear.`,
          `remind me to ${w.todo} ${w.next}, please.`,
        ])}`,
      ),
    );
    if (r.chance(0.5))
      this.say(out, null, `Noted: ${w.todo}, ${w.next}. I'll bring it up again then.`);
    else this.react(out, speaker);
  }

  gossip(out, lead) {
    const { r } = this;
    const w = this.words();
    const f = r.pick(this.friends);
    const speaker = this.human();
    this.say(
      out,
      speaker,
      cap(
        `${lead}${r.pick([
          `${f.name} told me ${f.he} ${w.did} ${w.when}.`,
          `${f.name} reckons ${w.thing} is ${w.adj}.`,
          `saw ${f.name} ${w.when}, ${f.he} says hi. Apparently ${f.he} wants to ${w.todo} too.`,
        ])}`,
      ),
    );
    this.react(out, speaker);
  }

  opinion(out, lead) {
    const { r } = this;
    const w = this.words();
    const speaker = this.human();
    this.say(
      out,
      speaker,
      cap(
        `${lead}${r.pick([
          `${w.thing} is ${w.adj}, honestly.`,
          `not going to lie, ${w.thing} has been ${w.adj} lately.`,
          `is it just me or is ${w.thing} ${w.adj}?`,
        ])}`,
      ),
    );
    if (r.chance(0.5)) {
      this.say(
        out,
        this.human(speaker),
        `${r.pick(["Agreed.", "Not just you.", "Ha, it really is.", "Hm, I quite like it."])} ${cap(r.pick(this.topic.did.map((d) => `I ${d} ${r.pick(T.WHEN_PAST)}.`)))}`,
      );
    } else this.react(out, speaker);
  }
}
