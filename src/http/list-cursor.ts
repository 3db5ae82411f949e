import { decodeCursor, encodeCursor } from "../memory/cursor";
import type { PagePosition } from "../memory/page-position";
import { invalidField } from "./errors";

/**
 * The filter a listing's cursor is bound to, under its one-letter key (`u` for a userId,
 * `t` for a tenant, `s` for a scope), so a cursor cannot be replayed on another listing.
 */
export type ListFilter = Readonly<Record<string, string | null>>;

type ListCursor = { c: string; i: string } & Record<string, unknown>;

const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as ListCursor).c === "string" &&
  typeof (v as ListCursor).i === "string";

const boundTo = (cursor: ListCursor, filter: ListFilter) =>
  Object.entries(filter).every(([key, value]) => cursor[key] === value);

/** Where the page a `cursor` names starts; a cursor not issued for this listing is a 400. */
export function readListCursor(
  cursor: string | undefined,
  filter: ListFilter,
): PagePosition | undefined {
  if (!cursor) return undefined;
  const decoded = decodeCursor(cursor, isListCursor);
  if (!decoded || !boundTo(decoded, filter)) {
    throw invalidField("cursor", "not a cursor of this listing");
  }
  return { createdAt: decoded.c, id: decoded.i };
}

/** The `nextCursor` of a page (null on the last page). */
export const listCursor = (next: PagePosition | null, filter: ListFilter): string | null =>
  next ? encodeCursor({ c: next.createdAt, i: next.id, ...filter }) : null;
