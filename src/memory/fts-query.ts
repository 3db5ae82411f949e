/**
 * A full-text query from free user text: every word becomes a quoted FTS5 term, OR-ed,
 * so any word may match and no character of the input can inject query syntax.
 * Returns null when the text has no searchable word.
 */
export function ftsOrQuery(text: string, maxTerms = 32): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words)].slice(0, maxTerms);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"`).join(" OR ");
}
