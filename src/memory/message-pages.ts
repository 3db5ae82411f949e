/**
 * Which seqs one page of a conversation's messages holds. Seqs are contiguous from 1 to
 * `last`, so a page is arithmetic on the cursor: no read, and the cost follows the page.
 */
export function pageSeqs(
  last: number,
  query: { order: "asc" | "desc"; limit: number; after?: number },
): { seqs: number[]; nextAfter: number | null } {
  const seqs: number[] = [];
  if (query.order === "asc") {
    for (let s = Math.max(query.after ?? 0, 0) + 1; s <= last && seqs.length < query.limit; s++)
      seqs.push(s);
  } else {
    const start = Math.min(query.after ?? last + 1, last + 1) - 1;
    for (let s = start; s >= 1 && seqs.length < query.limit; s--) seqs.push(s);
  }
  const end = seqs.at(-1);
  const more = end !== undefined && (query.order === "asc" ? end < last : end > 1);
  return { seqs, nextAfter: more ? (end as number) : null };
}
