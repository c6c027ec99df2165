import type { Queryable } from "../../app/db/db.server";

/**
 * Inserts plain row objects in bulk: one statement per chunk, the rows travel as one JSON parameter
 * and json_populate_recordset turns them into the table's row type (so uuid, date, numeric, jsonb
 * and array columns convert in the database, identically on Postgres and PGlite). Columns are the
 * union of the rows' keys; a key a row lacks becomes NULL.
 */
export async function insertRows(db: Queryable, table: string, rows: Record<string, unknown>[], chunkSize = 2000): Promise<number> {
  if (rows.length === 0) return 0;
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`insertRows: bad table name ${table}`);
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  for (const column of columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`insertRows: bad column name ${table}.${column}`);
  }
  const list = [...columns].map((c) => `"${c}"`).join(", ");
  for (let i = 0; i < rows.length; i += chunkSize) {
    const chunk = rows.slice(i, i + chunkSize);
    await db.query(
      `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, $1::json)`,
      [JSON.stringify(chunk)],
    );
  }
  return rows.length;
}
