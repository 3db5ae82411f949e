/**
 * A query's rows as plain objects made here from the cursor's `raw()` arrays. The
 * runtime's own row objects (`toArray()`, iterating the cursor) cost twice as much to
 * make: 200 rows of 11 columns took 0.48 ms against 0.22 ms — a context reads its whole
 * working set on every request. Same keys in column order, same values.
 */
export function rowsOf<T extends Record<string, SqlStorageValue>>(
  cursor: SqlStorageCursor<T>,
): T[] {
  const names = cursor.columnNames;
  const rows: T[] = [];
  for (const values of cursor.raw()) {
    const row: Record<string, SqlStorageValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i] as SqlStorageValue;
    rows.push(row as T);
  }
  return rows;
}
