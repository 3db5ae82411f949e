// The planted facts of bench/lib/dialogues.mjs: small stories about one speaker (P), told in
// one or more sessions, each with the questions it answers and distractor turns that share
// the questions' words but not their answers (another person's dog, another trip).
//
// A story returns
//   events:      [{ gap, turns }]: turns told together; `gap` = at least this many sessions
//                after the previous event (0: the same session or later);
//   questions:   [{ category, text, answers | dateOf, evidence }]: `evidence` names turn tags,
//                `answers` strings that must all appear, `dateOf` a tag whose session date is
//                the answer (temporal questions);
//   distractors: [turns]: each a run of consecutive turns placed anywhere in the conversation.
// A turn is { who, text, tag? } with `who` one of P (the subject), O (another speaker),
// X (any speaker but P), A (the assistant).
//
// Categories: paraphrase — the answer turn shares no content word with the question (at most
// a name), though a neighbouring turn often does (the assistant's echo, the question a friend
// asked); multi-session — two evidence turns in sessions at least three apart, or an update
// whose newer value is the answer; temporal — "when" questions answered by the session date
// of the evidence turn; lexical — a control that shares its key words with the answer turn.

import { ACROSS_SESSIONS } from "./stories-across-sessions.mjs";
import { ONE_SESSION } from "./stories-one-session.mjs";

export const STORIES = [...ONE_SESSION, ...ACROSS_SESSIONS];
