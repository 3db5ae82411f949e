import { isToolOutput } from "../chat/messages";
import { chatCompletion, type OpenAICompatibleOptions, withRetries } from "./openai";
import type { ChatMessage, ExtractedFact, FactExtractor, LeavingMessage } from "./summarizer";

export interface FactExtractorOptions extends Omit<OpenAICompatibleOptions, "fallback"> {
  /** At most this many facts per call. Default 20. */
  maxFacts?: number;
  /** Facts longer than this many characters are dropped, not cut. Default 500. */
  maxFactLength?: number;
}

/**
 * Extracts facts the user stated about themselves (preferences, biography, plans) from
 * messages leaving working memory, with the ids of the messages they came from. Only
 * user messages with an id are offered to the model, and a fact whose sources are not
 * among them is dropped: a model cannot invent provenance. Never rejects; on failure
 * it returns no facts, so nothing half-extracted is stored.
 */
export function openAIFactExtractor(options: FactExtractorOptions): FactExtractor {
  const maxFacts = options.maxFacts ?? 20;
  const maxLength = options.maxFactLength ?? 500;
  return {
    name: "openai",
    async extract(leaving: readonly LeavingMessage[]): Promise<ExtractedFact[]> {
      const offered = leaving.filter(
        (m): m is LeavingMessage & { id: string } =>
          m.role === "user" && !!m.id && !isToolOutput(m),
      );
      if (offered.length === 0) return [];
      try {
        const answer = await withRetries(
          () => chatCompletion(options, factPrompt(offered), { temperature: 0 }),
          options,
        );
        return parseFacts(answer, new Set(offered.map((m) => m.id)), maxFacts, maxLength);
      } catch (error) {
        options.onFallback?.(error instanceof Error ? error.message : String(error));
        return [];
      }
    },
  };
}

export function factPrompt(messages: readonly (LeavingMessage & { id: string })[]): ChatMessage[] {
  const system = [
    "Extract durable facts the user states about themselves: identity, relationships,",
    "preferences, constraints, plans with dates. Ignore questions, small talk, and anything",
    "the user only asks about or quotes. Write each fact as one short self-contained sentence",
    'in the third person ("The user is vegetarian."). Answer with JSON only:',
    '{"facts":[{"text":"…","sources":["<message id>"]}]} — sources are the ids of the',
    'messages that state the fact. No facts: {"facts":[]}.',
  ].join(" ");
  const user = messages.map((m) => `[${m.id}] ${m.content}`).join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

/** Reads the model's JSON leniently (code fences, prose around it) and strictly validates it. */
export function parseFacts(
  answer: string,
  knownIds: ReadonlySet<string>,
  maxFacts = 20,
  maxLength = 500,
): ExtractedFact[] {
  const start = answer.indexOf("{");
  const end = answer.lastIndexOf("}");
  if (start < 0 || end <= start) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch {
    return [];
  }
  const raw = (parsed as { facts?: unknown })?.facts;
  if (!Array.isArray(raw)) return [];
  const facts: ExtractedFact[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    const text = typeof entry?.text === "string" ? entry.text.trim() : "";
    const sources: unknown[] = Array.isArray(entry?.sources) ? entry.sources : [];
    const sourceIds = [
      ...new Set(sources.filter((s): s is string => typeof s === "string" && knownIds.has(s))),
    ];
    const key = text.toLowerCase();
    if (!text || text.length > maxLength || sourceIds.length === 0 || seen.has(key)) continue;
    seen.add(key);
    facts.push({ text, sourceIds });
    if (facts.length >= maxFacts) break;
  }
  return facts;
}
