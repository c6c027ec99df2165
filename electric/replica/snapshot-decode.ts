import type { SqlDriver } from "./driver";
import { ident } from "./schema";

/**
 * An initial snapshot response body (offset -1) turned into SQLite's binary JSON and checked, so
 * the commit can insert its rows by SQL straight from the blob (ShapeApplier.takeDecodedSnapshot).
 * Runs on any SQLite connection: the replica's own (the in-thread path) or the snapshot worker's
 * in-memory one (snapshot-worker.ts), which does it while the replica's thread applies other shapes.
 * Plain data only, so it crosses postMessage as is (the blob's buffer is transferred, not copied).
 */
export interface DecodedSnapshot {
  /** The whole body as binary JSON; null once `image` holds the rows instead. */
  jsonb: Uint8Array | null;
  /**
   * The rows already inserted into a one-table database (the replica's own CREATE TABLE), as its
   * file image: the commit attaches it and copies the table with `INSERT INTO t SELECT * FROM
   * image.t`, which SQLite does record by record without decoding a value (its transfer
   * optimisation). See buildSnapshotImage.
   */
  image: Uint8Array | null;
  /** Insert messages in the blob (all of its messages but the trailing control messages). */
  rows: number;
  /** The shape's columns present in the first row (the parsed path takes a run's columns from its first message too). */
  columns: string[];
  /** Of those, the bool columns (from `electric-schema`): normalised to t/f like PG_TEXT_PARSER does. */
  bools: string[];
  /** The control messages after the inserts, as a JSON array text: what the client gets to parse. */
  controls: string;
}

type Schema = Record<string, { type: string; dims?: number } | undefined>;

/**
 * Converts `body` (the response text, or its UTF-8 bytes: `CAST(? AS TEXT)` reads a bound blob as
 * text inside SQLite, so the bytes never become a JavaScript string) and checks it: only inserts,
 * each with a non-empty text id, any control messages after them, no array columns (the client
 * would turn those into JavaScript arrays). Null when the body does not qualify: the client then
 * gets the whole body as usual. A body SQLite cannot read as JSON also gives null (the client's
 * own parse then reports it the usual way).
 */
export function decodeSnapshot(
  driver: SqlDriver,
  body: string | Uint8Array,
  schemaHeader: string | null,
  shapeColumns: readonly string[],
): DecodedSnapshot | null {
  if (!schemaHeader) return null;
  let schema: Schema;
  try {
    schema = JSON.parse(schemaHeader) as Schema;
  } catch {
    return null;
  }
  if (shapeColumns.some((c) => (schema[c]?.dims ?? 0) > 0)) return null;
  let jsonb: unknown;
  try {
    jsonb = typeof body === "string" ? driver.selectValue("SELECT jsonb(?)", [body]) : driver.selectValue("SELECT jsonb(CAST(? AS TEXT))", [body]);
  } catch (error) {
    if (/malformed JSON/i.test((error as Error).message)) return null;
    throw error;
  }
  if (!(jsonb instanceof Uint8Array) || driver.selectValue("SELECT json_type(?)", [jsonb]) !== "array") return null;
  const keys = new Set(driver.selectObjects<{ key: string }>("SELECT key FROM jsonb_each(?, '$[0].value')", [jsonb]).map((r) => r.key));
  const columns = shapeColumns.filter((c) => keys.has(c));
  if (!columns.includes("id")) return null;
  const check = driver.selectObjects<{ inserts: number; bad: number; last_insert: number | null; first_control: number | null; controls: string }>(
    `SELECT coalesce(sum(op = 'insert'), 0) AS inserts,
            coalesce(sum(op IS NOT NULL AND (op <> 'insert' OR typeof(id) <> 'text' OR id = '')), 0) AS bad,
            max(CASE WHEN op = 'insert' THEN k END) AS last_insert,
            min(CASE WHEN op IS NULL THEN k END) AS first_control,
            json_group_array(CASE WHEN op IS NULL THEN json(v) END) FILTER (WHERE op IS NULL) AS controls
       FROM (SELECT j.key AS k, j.value AS v, j.value ->> '$.headers.operation' AS op, j.value ->> '$.value.id' AS id FROM jsonb_each(?) j)`,
    [jsonb],
  )[0];
  if (check.bad > 0 || check.inserts === 0 || (check.first_control !== null && check.last_insert !== null && check.first_control < check.last_insert)) return null;
  return { jsonb, image: null, rows: check.inserts, columns, bools: columns.filter((c) => schema[c]?.type === "bool"), controls: check.controls };
}

/**
 * Inserts (or upserts) a decoded snapshot's insert messages, in their order, from its binary JSON
 * (the one bound parameter) into `target` (a qualified table name).
 */
export function jsonbInsertSql(target: string, decoded: Pick<DecodedSnapshot, "columns" | "bools">, upsert: boolean): string {
  const bools = new Set(decoded.bools);
  const values = decoded.columns.map((c) => {
    const value = `j.value ->> ${sqlText(`$.value.${JSON.stringify(c)}`)}`;
    return bools.has(c) ? `CASE WHEN ${value} IS NULL THEN NULL WHEN ${value} IN ('t', 'true') THEN 't' ELSE 'f' END` : value;
  });
  return `INSERT INTO ${target} (${decoded.columns.map(ident).join(", ")})
          SELECT ${values.join(", ")} FROM jsonb_each(?) j WHERE j.value ->> '$.headers.operation' = 'insert'
          ${upsert ? onConflict(decoded.columns) : ""}`;
}

/** The upsert clause of a snapshot insert: a later row with the same id wins, as in the parsed path. */
export function onConflict(columns: readonly string[]): string {
  const rest = columns.filter((c) => c !== "id");
  return `ON CONFLICT ("id") ${rest.length > 0 ? `DO UPDATE SET ${rest.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(", ")}` : "DO NOTHING"}`;
}

const IMAGE_SCHEMA = "snapshot_image";

/**
 * Moves the rows of `decoded` from its binary JSON into a database image holding one table made
 * by `createTable` (the replica table's CREATE TABLE, from its sqlite_schema), rows in message
 * order. The work of the insert that needs the values (JSON lookups, bool normalisation, record
 * encoding) is done here, by the snapshot worker; the replica's thread only copies records. The
 * result's `jsonb` is dropped (the image is a third of its size).
 */
export function buildSnapshotImage(driver: SqlDriver, decoded: DecodedSnapshot, table: string, createTable: string): DecodedSnapshot {
  if (!decoded.jsonb) throw new Error("buildSnapshotImage: no binary JSON to read the rows from");
  const open = createTable.indexOf("(");
  if (!/^CREATE TABLE\s/i.test(createTable) || open < 0) throw new Error(`Not a CREATE TABLE statement: ${createTable.slice(0, 60)}`);
  driver.exec(`ATTACH ':memory:' AS ${IMAGE_SCHEMA}`);
  try {
    driver.exec(`CREATE TABLE ${IMAGE_SCHEMA}.${ident(table)} ${createTable.slice(open)}`);
    driver.run(jsonbInsertSql(`${IMAGE_SCHEMA}.${ident(table)}`, decoded, false), [decoded.jsonb]);
    return { ...decoded, jsonb: null, image: driver.exportImage(IMAGE_SCHEMA) };
  } finally {
    driver.exec(`DETACH ${IMAGE_SCHEMA}`);
  }
}

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;
