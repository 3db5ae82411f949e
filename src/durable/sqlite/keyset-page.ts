import type { PagePosition } from "../../memory/page-position";

export type { PagePosition };

/**
 * Keyset pagination over tables ordered by (created_at DESC, id DESC), most recent first:
 * a page ends where the next one starts, so inserts between calls shift nothing.
 */

/**
 * SQL condition for rows after `position` (parameters `?{n}` and `?{n+1}`; null: none).
 * `columns` names the ordering pair when it is not (created_at, id).
 */
export const afterPosition = (n: number, columns = "created_at, id") =>
  `(?${n} IS NULL OR (${columns}) < (?${n}, ?${n + 1}))`;

export const positionParams = (position: PagePosition | undefined) =>
  [position?.createdAt ?? null, position?.id ?? null] as const;

/**
 * One page out of `rows`, read with `LIMIT limit + 1`: the extra row only tells that a
 * next page exists, and the page's last row is where it starts.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  position: (row: T) => PagePosition,
): { page: T[]; next: PagePosition | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next: rows.length > limit && last ? position(last) : null };
}
