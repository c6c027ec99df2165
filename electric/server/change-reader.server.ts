import type { Db, Queryable } from "~/db/db.server";
import { readSequencer } from "./sequencer.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import {
  assertIdentifier,
  conditionsSql,
  ELECTRIC_SESSION_SETTINGS_SQL,
  qualifiedTable,
  quoteIdent,
  requireColumn,
  rowJsonSql,
  rowKeySql,
  type TableSchema,
} from "./table-schema.server";

export type ChangeRead =
  | { kind: "must-refetch"; reason: string }
  | {
      kind: "changes";
      /** Serialised change messages, in log order. */
      messages: string[];
      /** Everything relevant up to this position has been read: the next offset. */
      offsetPosition: number;
      head: number;
      /** False when the read stopped at `limit` (at a transaction boundary): more follows at once. */
      complete: boolean;
    };

interface LogRow {
  position: number;
  txPosition: number;
  txid: string;
  operation: "insert" | "update" | "delete" | "truncate";
  newIn: boolean;
  oldIn: boolean;
  newValue: string | null;
  oldValue: string | null;
  newKey: string | null;
  oldKey: string | null;
  oldPk: string | null;
}

function logQuery(definition: ShapeRequestDefinition, schema: TableSchema): { sql: string; conditionParams: string[][] } {
  const table = qualifiedTable(definition.table);
  // Both conditions use the same parameters ($5…): the old row and the new row are tested alike.
  const inNew = conditionsSql("n", schema, definition.conditions, 5);
  const inOld = conditionsSql("o", schema, definition.conditions, 5);
  const newIn = `(l.new_row IS NOT NULL AND coalesce(${inNew.sql}, false))`;
  const oldIn = `(l.old_row IS NOT NULL AND coalesce(${inOld.sql}, false))`;
  const sql = `
    SELECT l.position, l.tx_position AS "txPosition", (l.xid::xid)::text AS txid, l.operation,
           ${newIn} AS "newIn", ${oldIn} AS "oldIn",
           CASE WHEN l.new_row IS NOT NULL THEN ${rowJsonSql("n", schema, definition.columns)} END AS "newValue",
           CASE WHEN l.old_row IS NOT NULL THEN ${rowJsonSql("o", schema, definition.columns)} END AS "oldValue",
           CASE WHEN l.new_row IS NOT NULL THEN ${rowKeySql("n", schema, definition.primaryKey)} END AS "newKey",
           CASE WHEN l.old_row IS NOT NULL THEN ${rowKeySql("o", schema, definition.primaryKey)} END AS "oldKey",
           CASE WHEN l.old_row IS NOT NULL THEN ${rowJsonSql("o", schema, definition.primaryKey)} END AS "oldPk"
      FROM sync_change_log l
      LEFT JOIN LATERAL jsonb_populate_record(NULL::${table}, l.new_row) n ON true
      LEFT JOIN LATERAL jsonb_populate_record(NULL::${table}, l.old_row) o ON true
     WHERE l.table_name = $1 AND l.position > $2 AND l.position <= $3
       AND (l.operation = 'truncate' OR ${newIn} OR ${oldIn})
     ORDER BY l.position
     LIMIT $4`;
  return { sql, conditionParams: inNew.params };
}

/**
 * The shape's changes after `fromPosition`, read in one REPEATABLE READ snapshot together with the
 * head and the compaction horizon (so a concurrent compaction can never make entries vanish
 * unnoticed between the horizon check and the read).
 */
export async function readChanges(
  db: Db,
  definition: ShapeRequestDefinition,
  schema: TableSchema,
  fromPosition: number,
  limit: number,
): Promise<ChangeRead> {
  const query = logQuery(definition, schema);
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    // Settings and the sequencer row in one round trip (a live wake-up runs this per waiting client).
    const { head, compactedThrough } = (
      await tx.query<{ head: number; compactedThrough: number }>(
        `SELECT s.head, s.compacted_through AS "compactedThrough" FROM sync_sequencer s, (${ELECTRIC_SESSION_SETTINGS_SQL}) settings WHERE s.id = 1`,
      )
    ).rows[0];
    if (fromPosition < compactedThrough) return { kind: "must-refetch", reason: "offset is older than the compacted change log" };
    if (fromPosition > head) return { kind: "must-refetch", reason: "offset is beyond the change log of this database" };
    if (fromPosition === head) return { kind: "changes", messages: [], offsetPosition: head, head, complete: true };

    const select = (from: number, to: number, max: number) =>
      tx.query<LogRow>(query.sql, [definition.table, from, to, max, ...query.conditionParams]).then((r) => r.rows);
    let rows = await select(fromPosition, head, limit + 1);
    let offsetPosition = head;
    let complete = true;
    if (rows.length > limit) {
      rows = rows.slice(0, limit);
      const last = rows[rows.length - 1];
      // Never end a chunk inside a transaction: take the rest of the last one.
      if (last.position < last.txPosition) rows.push(...(await select(last.position, last.txPosition, 1_000_000)));
      offsetPosition = last.txPosition;
      complete = false;
    }
    if (rows.some((row) => row.operation === "truncate")) return { kind: "must-refetch", reason: `${definition.table} was truncated` };
    return { kind: "changes", messages: toMessages(definition.table, rows), offsetPosition, head, complete };
  });
}

interface PendingMessage {
  txPosition: number;
  render: (last: boolean) => string;
}

/**
 * Log entries → Electric change messages for this shape. An update that moves a row out of the
 * shape's conditions becomes a delete, one that moves it in an insert; a primary-key change becomes
 * delete + insert. Inserts and updates carry the whole projected row (the client upserts); deletes
 * carry the primary key, as with Electric's default replica mode.
 */
export function toMessages(table: string, rows: readonly LogRow[]): string[] {
  const relation = `["public",${JSON.stringify(table)}]`;
  const pending: PendingMessage[] = [];
  const add = (row: LogRow, operation: string, key: string, value: string, extra = "") =>
    pending.push({
      txPosition: row.txPosition,
      render: (last) =>
        `{"key":${JSON.stringify(key)},"value":${value},"headers":{"operation":"${operation}","relation":${relation},` +
        `"lsn":"${row.txPosition}","op_position":${row.position},"txids":[${row.txid}]${extra},"last":${last}}}`,
    });
  for (const row of rows) {
    const { newIn, oldIn, newKey, oldKey, newValue, oldValue, oldPk } = row;
    if (newIn && oldIn && newKey !== null && oldKey !== null && newValue !== null) {
      if (newKey !== oldKey) {
        add(row, "delete", oldKey, oldPk ?? "{}", `,"key_change_to":${JSON.stringify(newKey)}`);
        add(row, "insert", newKey, newValue, `,"key_change_from":${JSON.stringify(oldKey)}`);
      } else if (newValue !== oldValue) {
        add(row, "update", newKey, newValue);
      } // else: only columns outside the projection changed
    } else if (newIn && newKey !== null && newValue !== null) {
      add(row, "insert", newKey, newValue);
    } else if (oldIn && oldKey !== null) {
      add(row, "delete", oldKey, oldPk ?? "{}");
    }
  }
  return pending.map((message, i) => message.render(pending[i + 1]?.txPosition !== message.txPosition));
}

export async function currentHead(db: Queryable): Promise<number> {
  return (await readSequencer(db)).head;
}

/*
 * The shared read of live long-polls (live-hub.server.ts): one query per table and position range
 * returns every entry with the values all waiting definitions need, and each definition is
 * filtered in memory. Conditions are compared as canonical text (each value cast to the column's
 * type and back, in Postgres), which is the type's equality only for the types below; a
 * definition with another condition type is left to readChanges().
 */
const TEXT_EQUALITY_TYPES = new Set(["uuid", "bool", "int2", "int4", "int8", "text", "varchar", "bpchar", "date"]);

export function canFilterInMemory(definition: ShapeRequestDefinition, schema: TableSchema): boolean {
  return definition.conditions.every((condition) => {
    const column = schema.columns.get(condition.column);
    return column !== undefined && column.dims === 0 && TEXT_EQUALITY_TYPES.has(column.typname);
  });
}

/** A definition's condition values as Postgres prints them after a cast to the column's type. */
export type CanonicalConditions = { column: string; values: ReadonlySet<string> }[];

export async function canonicalConditions(db: Queryable, definition: ShapeRequestDefinition, schema: TableSchema): Promise<CanonicalConditions> {
  const result: CanonicalConditions = [];
  for (const condition of definition.conditions) {
    const column = requireColumn(schema, condition.column);
    const { rows } = await db.query<{ values: string[] | null }>(`SELECT ($1::text[]::${column.castType}[])::text[] AS values`, [
      [...condition.values],
    ]);
    result.push({ column: condition.column, values: new Set(rows[0].values ?? []) });
  }
  return result;
}

interface TableLogRow {
  position: number;
  txPosition: number;
  txid: string;
  operation: LogRow["operation"];
  /** JSON text { column: output-format text } of the new / old row (null when absent). */
  newValues: string | null;
  oldValues: string | null;
  /** JSON text { condition column: typed value::text }. */
  newConditions: string | null;
  oldConditions: string | null;
}

export interface TableLogEntry {
  position: number;
  txPosition: number;
  txid: string;
  operation: LogRow["operation"];
  newValues: Record<string, string | null> | null;
  oldValues: Record<string, string | null> | null;
  newConditions: Record<string, string | null> | null;
  oldConditions: Record<string, string | null> | null;
}

export type TableLogRead =
  | { kind: "entries"; head: number; compactedThrough: number; entries: TableLogEntry[]; from: number }
  /** More than `limit` entries after `from`: the waiters read their own chunks (readChanges). */
  | { kind: "overflow"; head: number; compactedThrough: number; from: number };

/**
 * All entries of `table` after `fromPosition` with the `columns` (output format) and the
 * `conditionColumns` (canonical text) of new and old row, plus head and compaction horizon, in one
 * REPEATABLE READ snapshot.
 */
export async function readTableLog(
  db: Db,
  schema: TableSchema,
  options: { fromPosition: number; columns: readonly string[]; conditionColumns: readonly string[]; limit: number },
): Promise<TableLogRead> {
  const table = qualifiedTable(schema.table);
  const { columns, conditionColumns, fromPosition, limit } = options;
  const conditionJson = (alias: string) =>
    `json_object(ARRAY[${conditionColumns.map((c) => `'${assertIdentifier(c)}'`).join(", ")}]::text[], ` +
    `ARRAY[${conditionColumns.map((c) => `${alias}.${quoteIdent(c)}::text`).join(", ")}]::text[])::text`;
  const sql = `
    SELECT l.position, l.tx_position AS "txPosition", (l.xid::xid)::text AS txid, l.operation,
           CASE WHEN l.new_row IS NOT NULL THEN ${rowJsonSql("n", schema, columns)} END AS "newValues",
           CASE WHEN l.old_row IS NOT NULL THEN ${rowJsonSql("o", schema, columns)} END AS "oldValues",
           CASE WHEN l.new_row IS NOT NULL THEN ${conditionJson("n")} END AS "newConditions",
           CASE WHEN l.old_row IS NOT NULL THEN ${conditionJson("o")} END AS "oldConditions"
      FROM sync_change_log l
      LEFT JOIN LATERAL jsonb_populate_record(NULL::${table}, l.new_row) n ON true
      LEFT JOIN LATERAL jsonb_populate_record(NULL::${table}, l.old_row) o ON true
     WHERE l.table_name = $1 AND l.position > $2 AND l.position <= $3
     ORDER BY l.position
     LIMIT $4`;
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
    const { head, compactedThrough } = (
      await tx.query<{ head: number; compactedThrough: number }>(
        `SELECT s.head, s.compacted_through AS "compactedThrough" FROM sync_sequencer s, (${ELECTRIC_SESSION_SETTINGS_SQL}) settings WHERE s.id = 1`,
      )
    ).rows[0];
    if (fromPosition >= head) return { kind: "entries", head, compactedThrough, entries: [], from: fromPosition };
    const { rows } = await tx.query<TableLogRow>(sql, [schema.table, fromPosition, head, limit + 1]);
    if (rows.length > limit) return { kind: "overflow", head, compactedThrough, from: fromPosition };
    const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, string | null>));
    const entries = rows.map((row) => ({
      position: row.position,
      txPosition: row.txPosition,
      txid: row.txid,
      operation: row.operation,
      newValues: parse(row.newValues),
      oldValues: parse(row.oldValues),
      newConditions: parse(row.newConditions),
      oldConditions: parse(row.oldConditions),
    }));
    return { kind: "entries", head, compactedThrough, entries, from: fromPosition };
  });
}

/**
 * One definition's change messages from shared entries (those after `afterPosition`), exactly as
 * readChanges() + toMessages() would produce them: the same in/out tests, keys and projections.
 */
export function messagesFromEntries(
  definition: ShapeRequestDefinition,
  conditions: CanonicalConditions,
  entries: readonly TableLogEntry[],
  afterPosition: number,
): string[] {
  const matches = (values: Record<string, string | null> | null) =>
    values !== null && conditions.every((c) => values[c.column] !== null && c.values.has(values[c.column] as string));
  const project = (values: Record<string, string | null> | null, columns: readonly string[]) => {
    if (values === null) return null;
    const projected: Record<string, string | null> = {};
    for (const column of columns) projected[column] = values[column] ?? null;
    return JSON.stringify(projected);
  };
  const rows: LogRow[] = [];
  for (const entry of entries) {
    if (entry.position <= afterPosition || entry.operation === "truncate") continue;
    const newIn = matches(entry.newConditions);
    const oldIn = matches(entry.oldConditions);
    if (!newIn && !oldIn) continue;
    rows.push({
      position: entry.position,
      txPosition: entry.txPosition,
      txid: entry.txid,
      operation: entry.operation,
      newIn,
      oldIn,
      newValue: project(entry.newValues, definition.columns),
      oldValue: project(entry.oldValues, definition.columns),
      newKey: rowKey(definition, entry.newValues),
      oldKey: rowKey(definition, entry.oldValues),
      oldPk: project(entry.oldValues, definition.primaryKey),
    });
  }
  return toMessages(definition.table, rows);
}

/** rowKeySql in JS: "public"."table"/"pk1"/"pk2", '/' doubled; null when a key value is null. */
function rowKey(definition: ShapeRequestDefinition, values: Record<string, string | null> | null): string | null {
  if (values === null) return null;
  let key = `"public"."${definition.table}"`;
  for (const column of definition.primaryKey) {
    const value = values[column];
    if (value === null || value === undefined) return null;
    key += `/"${value.replaceAll("/", "//")}"`;
  }
  return key;
}
