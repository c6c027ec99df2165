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
  /** One serialised insert message per row. */
  messages: string[];
  stamped: StampResult;
}

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
  const where = conditionsSql("t", schema, definition.conditions, 1);
  const sql = `SELECT ${rowKeySql("t", schema, definition.primaryKey)} AS key,
                      ${rowJsonSql("t", schema, definition.columns)} AS value
                 FROM ${qualifiedTable(definition.table)} t
                WHERE ${where.sql}`;
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    await tx.query(SEQUENCER_LOCK_SQL);
    await applyElectricSessionSettings(tx);
    const stamped = await stampLocked(tx);
    const handle = mintHandle(definitionHash);
    await recordHandle(tx, { handle, shapeName: definition.name, definitionHash, snapshotPosition: stamped.head });
    const { rows } = await tx.query<{ key: string; value: string }>(sql, where.params);
    const headers = `{"operation":"insert","relation":["public",${JSON.stringify(definition.table)}]}`;
    const messages = rows.map((row) => `{"key":${JSON.stringify(row.key)},"value":${row.value},"headers":${headers}}`);
    return { handle, position: stamped.head, messages, stamped };
  });
}
