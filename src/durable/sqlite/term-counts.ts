import { stemmer } from "stemmer";
import { MAX_QUERY_TERMS, wordTerm } from "../../memory/search-query";
import { knownPieces } from "../../memory/words";

/**
 * A word in more documents than this says little about any of them, and BM25 scores
 * every document a query word is in: such words are left out while rarer ones remain.
 */
export const COMMON_DOCS = 2_000;
/** When every word of a query is that common, only its latest this many documents are ranked. */
export const COMMON_WINDOW = 2_000;
/** At most this many query words are ranked: the rarest, which carry most of BM25's weight. */
export const MAX_RANKED_TERMS = 8;

/**
 * What BM25 ranks for a query: the documents an FTS5 MATCH expression finds, or only the
 * `latest` of them (highest rowids: rowids grow with time); -1 means all (SQLite's LIMIT).
 * Rank them in an outer query over `SELECT … ORDER BY rowid DESC LIMIT latest`: FTS5's own
 * `ORDER BY rank` plan scores every match whatever rowid bounds the query has.
 */
export interface RankedQuery {
  match: string;
  latest: number;
}

/** Most vocabulary lookups a query's unknown words may make for their pieces (`knownPieces`). */
export const PIECE_LOOKUPS = 64;

/**
 * Bounds the cost of a BM25 query by the index's document counts, not its size: the
 * rarest (at most MAX_RANKED_TERMS) words found in at most COMMON_DOCS documents are
 * ranked; when every word is more common than that, the rarest one alone, in its latest
 * COMMON_WINDOW documents. A word found in no document never takes a slot: a long
 * question keeps the words that match. A Thai, Lao, Khmer or Burmese word found in no
 * document is asked as the words of the index it is made of (`knownPieces`), unless
 * `pieces` is false (an index that holds those scripts unbroken). Null when no word can
 * match anything.
 */
export function rankedQuery(
  terms: readonly string[],
  counts: DocumentCounts,
  pieces = true,
): RankedQuery | null {
  let lookups = PIECE_LOOKUPS;
  const isKnown = (piece: string) => lookups-- > 0 && counts.docsWith(`"${piece}"`) > 0;
  const counted = new Map<string, number>();
  for (const term of terms) {
    const docs = counts.docsWith(term);
    if (docs !== 0) counted.set(term, docs);
    else if (pieces) {
      for (const piece of knownPieces(term.slice(1, -1), isKnown)) {
        counted.set(`"${piece}"`, counts.docsWith(`"${piece}"`));
      }
    }
  }
  const ranked = [...counted]
    .map(([term, docs]) => ({ term, docs }))
    .sort((a, b) => a.docs - b.docs);
  const rarest = ranked[0];
  if (!rarest) return null;
  const selective = ranked.filter((t) => t.docs <= COMMON_DOCS).slice(0, MAX_RANKED_TERMS);
  if (selective.length > 0) {
    return { match: selective.map((t) => t.term).join(" OR "), latest: -1 };
  }
  return { match: rarest.term, latest: COMMON_WINDOW };
}

/** The count of a word the vocabulary table cannot tell (sorts as the rarest). */
export const UNCOUNTED = -1;

/** Words whose count is remembered per object; past this the memory starts afresh. */
const REMEMBERED_WORDS = 4_096;

/**
 * How many documents of a full-text index contain each query word, remembered between
 * requests: fts5vocab counts a word by walking its whole posting list, which at 100,000
 * documents costs more than the search itself. The owner counts the documents it adds
 * and removes; a remembered count is re-read only when those could have carried it
 * across COMMON_DOCS, so which words are left out is exactly what a fresh read would say.
 */
export class DocumentCounts {
  private readonly known = new Map<string, { docs: number; added: number; removed: number }>();
  /** Documents added to the index so far (any monotone count; only differences matter). */
  added = 0;
  /** Documents removed from the index so far. */
  removed = 0;
  private base: { docs: number; added: number; removed: number } | null = null;

  constructor(
    private readonly sql: SqlStorage,
    /** An `fts5vocab(…, 'row')` table over the index. */
    private readonly vocabTable: string,
    /** The FTS5 table itself, which settles a word the vocabulary does not list. */
    private readonly ftsTable: string,
  ) {}

  /** Documents in the index: counted once (`countAll`), then followed by the owner's counts. */
  total(countAll: () => number): number {
    this.base ??= { docs: countAll(), added: this.added, removed: this.removed };
    return this.base.docs + (this.added - this.base.added) - (this.removed - this.base.removed);
  }

  /** Documents holding `term`; UNCOUNTED when the vocabulary table cannot tell. */
  docsWith(term: string): number {
    const known = this.known.get(term);
    // "In no document" holds only while no document was added since it was read.
    if (known && !(known.docs === 0 && this.added > known.added)) {
      const most = known.docs + (this.added - known.added);
      const least = known.docs - (this.removed - known.removed);
      if (least > COMMON_DOCS || most <= COMMON_DOCS) return known.docs;
      this.known.delete(term);
    }
    if (this.known.size >= REMEMBERED_WORDS) this.known.clear();
    const docs = this.read(term);
    this.known.set(term, { docs, added: this.added, removed: this.removed });
    return docs;
  }

  /**
   * The count as the index stores the word: a Latin word diacritics folded and
   * Porter-stemmed, a word of another script as it is. Phrases (CJK pairs) and words the
   * index spells otherwise are UNCOUNTED when some document matches them, which ranks as
   * the rarest: at worst a common word is kept, never a rare one dropped. A term no
   * document matches counts 0, in any script.
   */
  private read(term: string): number {
    const phrase = term.slice(1, -1);
    const folded = phrase.normalize("NFD").replace(/\p{M}/gu, "");
    const stored = /^[a-z0-9]+$/.test(folded) ? stemmer(folded) : phrase;
    const row = /\s|"/.test(stored)
      ? undefined
      : this.sql
          .exec<{ doc: number }>(`SELECT doc FROM ${this.vocabTable} WHERE term = ?`, stored)
          .toArray()[0];
    if (row) return row.doc;
    // Not listed so: ask the index, whose own tokenizer decides what matches.
    const found = this.sql
      .exec(`SELECT rowid FROM ${this.ftsTable} WHERE ${this.ftsTable} MATCH ? LIMIT 1`, term)
      .toArray();
    return found.length === 0 ? 0 : UNCOUNTED;
  }
}

/**
 * BM25's idf of a content word (`contentTerms`) by an index's document counts, for
 * `wordCoverage`: rare words weigh most, a word in `documents` of them next to nothing, a
 * word in no document nothing (no hit of this index can hold it). A word the vocabulary
 * cannot count weighs as a rare one. Each word is counted once per call of the result, and
 * at most `lookups` words are (a search ranks no more): the rest weigh the mean of those.
 */
export function idfWeight(
  counts: Pick<DocumentCounts, "docsWith">,
  documents: number,
  lookups = MAX_QUERY_TERMS,
): (term: string) => number {
  const known = new Map<string, number>();
  let sum = 0;
  return (term) => {
    let weight = known.get(term);
    if (weight !== undefined) return weight;
    if (known.size >= lookups) return sum / known.size;
    const docs = counts.docsWith(wordTerm(term));
    const holding = Math.max(1, docs);
    const all = Math.max(documents, holding);
    weight = docs === 0 ? 0 : Math.log(1 + (all - holding + 0.5) / (holding + 0.5));
    known.set(term, weight);
    sum += weight;
    return weight;
  };
}
