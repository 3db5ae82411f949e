import { speakerOf } from "../context/passages";
import type { Role } from "../conversation";

/**
 * How a message is written for its embedding: who said it, then what they said
 * ("Viktor: Shut my thumb in the garage door."). In a chat "I" is the speaker, and
 * questions name people ("Which part of the body did Viktor injure?"): a turn embedded
 * without its speaker has lost who it is about. Measured in docs/context.md (the dialogue
 * benchmark, with the small local model).
 */
export const MESSAGE_DOCUMENT_FORM = "speaker";

/**
 * The name a conversation's vectors are stored under: the model and the form of the
 * documents it embedded. Vectors of another model or another form are never compared with
 * a query (`nearestVectors`): a change of either embeds the conversation again.
 */
export const messageVectorModel = (model: string) => `${model}#${MESSAGE_DOCUMENT_FORM}`;

/** The text embedded for a message; empty (nothing to embed) when it has no text. */
export function messageDocument(message: {
  role: Role;
  name?: string | null;
  content: string;
}): string {
  if (message.content.trim() === "") return "";
  return `${speakerOf(message)}: ${message.content}`;
}
