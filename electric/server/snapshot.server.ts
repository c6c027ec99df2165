import type { Db } from "~/db/db.server";
import { mintHandle, recordHandle } from "./handles.server";
import { SEQUENCER_LOCK_SQL, stampLocked, type StampResult } from "./sequencer.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import {
  applyElectricSessionSettings,
  conditionsSql,
  qualifiedTable,
  rowJsonSql,
  rowKeySql,
  type TableSchema,
} from "./table-schema.server";

export interface Snapshot {
  handle: string;
  /** The log position the rows are consistent with: changes after it follow through the log. */
  position: number;
  /**
   * The rows' insert messages as UTF-8, comma-separated within a part (a JSON array's inside, in
   * pieces); empty parts are left out.
   */
  parts: Buffer[];
  stamped: StampResult;
}

/** Rows per FETCH: one JavaScript string per batch instead of one per row. */
const FETCH_ROWS = 2000;

/**
 * Reads a shape's rows exactly as of a log position. In one REPEATABLE READ transaction that holds
 * the sequencer lock, it first stamps every committed change (so the head position covers exactly
 * the transactions this snapshot sees), then reads the rows. Nothing can be both in the snapshot and
 * served again after it, or missing from both.
 */
export async function takeSnapshot(
  db: Db,
  definition: ShapeRequestDefinition,
  schema: TableSchema,
  definitionHash: string,
): Promise<Snapshot> {
  const where = conditionsSql("t", schema, definition.conditions, 2);
  // Postgres writes each whole message, so the portal handles one string per FETCH, turns it into
  // a Buffer at once and never holds the rows as strings: with one string per row, a 100k-document
  // sync cost the portal ~3.7 s of CPU, half of it garbage collection of promoted strings
  // (docs/decisions/005, addendum). The cursor makes the same SQL work on PGlite.
  const sql = `SELECT '{"key":' || to_json(${rowKeySql("t", schema, definition.primaryKey)})::text
                      || ',"value":' || ${rowJsonSql("t", schema, definition.columns)}
                      || ',"headers":' || $1::text || '}' AS message
                 FROM ${qualifiedTable(definition.table)} t
                WHERE ${where.sql}`;
  const headers = `{"operation":"insert","relation":["public",${JSON.stringify(definition.table)}]}`;
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    await tx.query(SEQUENCER_LOCK_SQL);
    await applyElectricSessionSettings(tx);
    const stamped = await stampLocked(tx);
    const handle = mintHandle(definitionHash);
    await recordHandle(tx, { handle, shapeName: definition.name, definitionHash, snapshotPosition: stamped.head });
    await tx.query(`DECLARE shape_snapshot NO SCROLL CURSOR FOR ${sql}`, [headers, ...where.params]);
    const parts: Buffer[] = [];
    for (;;) {
      const batch = await tx.query<{ message: string }>(`FETCH ${FETCH_ROWS} FROM shape_snapshot`);
      if (batch.rows.length === 0) break;
      parts.push(Buffer.from(batch.rows.map((row) => row.message).join(",")));
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await tx.query(`CLOSE shape_snapshot`);
    return { handle, position: stamped.head, parts, stamped };
  });
}
