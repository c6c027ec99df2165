import type { SqlDriver } from "./driver";

/**
 * An initial snapshot response body (offset -1) turned into SQLite's binary JSON and checked, so
 * the commit can insert its rows by SQL straight from the blob (ShapeApplier.takeDecodedSnapshot).
 * Runs on any SQLite connection: the replica's own (the in-thread path) or the snapshot worker's
 * in-memory one (snapshot-worker.ts), which does it while the replica's thread applies other shapes.
 * Plain data only, so it crosses postMessage as is (the blob's buffer is transferred, not copied).
 */
export interface DecodedSnapshot {
  jsonb: Uint8Array;
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
  return { jsonb, rows: check.inserts, columns, bools: columns.filter((c) => schema[c]?.type === "bool"), controls: check.controls };
}
