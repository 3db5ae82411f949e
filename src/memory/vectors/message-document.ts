import { speakerOf } from "../context/passages";
import type { Role } from "../conversation";
import { similarityScale } from "../fusion";
import type { VectorHit } from "./search";

/**
 * What is embedded of a message: two documents, two vectors.
 *
 * - **The turn**, with its speaker ("Viktor: Shut my thumb in the garage door."), stored
 *   under the message's seq. In a chat "I" is the speaker, and questions name people
 *   ("Which part of the body did Viktor injure?"): a turn embedded without its speaker has
 *   lost who it is about.
 * - **The exchange**: the turn before it, then the turn ("Mateo: what name did you go
 *   for?\nViktor: Pretzel! It suits this little face."), stored under −seq. A reply often
 *   says nothing alone ("Pretzel!" is a puppy's name only after the question), and a
 *   statement is often named by its answer ("Congratulations on getting engaged!"). The
 *   turn before is cut to its last PREVIOUS_TURN_CHARS characters, so a long one never
 *   crowds the turn itself out of the model's window.
 *
 * Both, because each alone loses something: an exchange's vector sits between two turns,
 * and matches a question about either. So recall, which brings the turns around each hit,
 * asks both (`messageHits`), and search, which answers with single messages, asks the turns
 * alone (`turnHits`). Measured in docs/context.md (the dialogue benchmark, with the small
 * local model).
 */
export const MESSAGE_DOCUMENT_FORM = "speaker+exchange";

/** At most this much of the turn before goes into an exchange (its end: nearest the reply). */
export const PREVIOUS_TURN_CHARS = 300;

/**
 * The name a conversation's vectors are stored under: the model and the form of the
 * documents it embedded. Vectors of another model or another form are never compared with
 * a query (`nearestVectors`): a change of either embeds the conversation again.
 */
export const messageVectorModel = (model: string) => `${model}#${MESSAGE_DOCUMENT_FORM}`;

export interface SaidTurn {
  seq: number;
  role: Role;
  name?: string | null;
  content: string;
}

/**
 * The documents to embed for a message, given the one before it: the turn (id `seq`) and
 * the exchange (id `−seq`, only when both have text). None when the message has no text.
 */
export function messageDocuments(
  message: SaidTurn,
  previous?: SaidTurn,
): { id: number; text: string }[] {
  if (message.content.trim() === "") return [];
  const turn = `${speakerOf(message)}: ${message.content}`;
  const before = previous?.content.trim() ?? "";
  if (!previous || before === "") return [{ id: message.seq, text: turn }];
  const exchange = `${speakerOf(previous)}: ${lastChars(before, PREVIOUS_TURN_CHARS)}\n${turn}`;
  return [
    { id: message.seq, text: turn },
    { id: -message.seq, text: exchange },
  ];
}

/**
 * Vector hits as message hits, best first: each message once, at its better vector's
 * similarity. The two forms are not on one scale: an exchange, two turns in one vector,
 * sits nearer the middle of everything — its best hits score lower than a turn's best and
 * its ordinary ones higher (with the local model, over a benchmark dialogue's questions:
 * best 0.58 against 0.62, median 0.22 against 0.21). So the exchanges' similarities are
 * first carried onto the turns' scale: each keeps its place between its own list's median
 * and best (`similarityScale`), placed between the turns' median and best. Turns stay as
 * they are, so a message hit still compares with a memory's (one kind of text).
 */
export function messageHits(hits: readonly VectorHit[]): VectorHit[] {
  const seen = new Set<number>();
  const out: VectorHit[] = [];
  for (const hit of onTurnScale(hits)) {
    // A turn's vector has the message's seq, its exchange's −seq.
    const seq = Math.abs(hit.id);
    if (seen.has(seq)) continue;
    seen.add(seq);
    out.push({ ...hit, id: seq });
  }
  return out;
}

const SCALE_HITS = 4;

/** The hits with the exchanges' similarities carried onto the turns' scale, best first. */
function onTurnScale(hits: readonly VectorHit[]): VectorHit[] {
  const turnList = hits.filter((h) => h.id > 0).map((h) => h.similarity);
  const exchangeList = hits.filter((h) => h.id < 0).map((h) => h.similarity);
  // A median needs a few hits of each form (`similarityScale` measures shorter lists from 0).
  if (turnList.length < SCALE_HITS || exchangeList.length < SCALE_HITS) return [...hits];
  const turns = similarityScale(turnList);
  const exchanges = similarityScale(exchangeList);
  if (exchanges.top <= exchanges.floor || turns.top <= turns.floor) return [...hits];
  const ratio = (turns.top - turns.floor) / (exchanges.top - exchanges.floor);
  return hits
    .map((h) =>
      h.id > 0 ? h : { ...h, similarity: turns.floor + (h.similarity - exchanges.floor) * ratio },
    )
    .sort((a, b) => b.similarity - a.similarity);
}

/** The hits on turns alone, as message hits: which message says it. */
export const turnHits = (hits: readonly VectorHit[]): VectorHit[] => hits.filter((h) => h.id > 0);

/** The end of a text, at most `max` characters, starting at a word when it was cut. */
function lastChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(-max);
  const space = cut.search(/\s/);
  return `…${space >= 0 && space < max / 4 ? cut.slice(space + 1) : cut}`;
}
