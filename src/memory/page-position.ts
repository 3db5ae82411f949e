/**
 * Where a page of a list ordered by (createdAt DESC, id DESC) starts: the last item of
 * the page before. Inserts between two calls shift nothing (keyset pagination).
 */
export interface PagePosition {
  createdAt: string;
  id: string;
}
