import type { Queryable } from "~/db/db.server";

/**
 * What the engine needs to know about a synced table: column types (for `electric-schema`, for
 * typed condition comparisons and for the definition hash, so a migration that changes a synced
 * column invalidates the shapes built on it) and the primary key.
 */
export interface ColumnInfo {
  name: string;
  /** pg_type.typname; for arrays the element's typname (Electric's convention, with `dims`). */
  typname: string;
  dims: number;
  notNull: boolean;
  /** Position in the primary key, null when not part of it. */
  pkIndex: number | null;
  typmod: number;
  /** A type name usable in a cast without a length modifier (bpchar, not `character` = char(1)). */
  castType: string;
}

export interface TableSchema {
  table: string;
  columns: Map<string, ColumnInfo>;
  primaryKey: string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Registry names only; anything else is a programming error, never client input. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`shape engine: "${name}" is not a plain lower-case identifier`);
  return name;
}

export function quoteIdent(name: string): string {
  return `"${assertIdentifier(name)}"`;
}

export function qualifiedTable(table: string): string {
  return `"public".${quoteIdent(table)}`;
}

export async function loadTableSchema(db: Queryable, table: string): Promise<TableSchema> {
  assertIdentifier(table);
  const { rows } = await db.query<ColumnInfo>(
    `SELECT a.attname AS name,
            CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END AS typname,
            CASE WHEN t.typcategory = 'A' THEN greatest(a.attndims, 1) ELSE 0 END AS dims,
            a.attnotnull AS "notNull",
            a.atttypmod AS typmod,
            CASE WHEN tn.nspname = 'pg_catalog' THEN 'pg_catalog.' || quote_ident(t.typname)
                 ELSE format_type(a.atttypid, NULL) END AS "castType",
            (SELECT (k.ord - 1)::int
               FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum) AS "pkIndex"
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_type et ON et.oid = t.typelem
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [`public.${table}`],
  );
  if (rows.length === 0) throw new Error(`shape engine: table public.${table} does not exist`);
  const columns = new Map(rows.map((row) => [row.name, row]));
  const primaryKey = rows
    .filter((row) => row.pkIndex !== null)
    .sort((a, b) => (a.pkIndex ?? 0) - (b.pkIndex ?? 0))
    .map((row) => row.name);
  return { table, columns, primaryKey };
}

/** Electric's `electric-schema` header value for the projected columns (sync-service schema.ex). */
export function electricSchema(schema: TableSchema, columns: readonly string[]): Record<string, Record<string, unknown>> {
  const result: Record<string, Record<string, unknown>> = {};
  for (const name of columns) {
    const column = requireColumn(schema, name);
    const info: Record<string, unknown> = { type: column.typname };
    if (column.dims > 0) info.dims = column.dims;
    if (column.notNull) info.not_null = true;
    if (column.pkIndex !== null) info.pk_index = column.pkIndex;
    if (column.typmod >= 0 && column.dims === 0) {
      if (column.typname === "numeric") {
        info.precision = ((column.typmod - 4) >> 16) & 0xffff;
        info.scale = (column.typmod - 4) & 0xffff;
      } else if (column.typname === "bpchar") info.length = column.typmod - 4;
      else if (column.typname === "varchar") info.max_length = column.typmod - 4;
    }
    result[name] = info;
  }
  return result;
}

export function requireColumn(schema: TableSchema, name: string): ColumnInfo {
  const column = schema.columns.get(name);
  if (!column) throw new Error(`shape engine: column ${name} does not exist in public.${schema.table}`);
  return column;
}

// Types whose cast to text is not their output function: bool::text is 'true' (output: 't'),
// bpchar::text strips the padding, inet/cidr::text always print the netmask.
const CAST_DIFFERS_FROM_OUTPUT = new Set(["bool", "bpchar", "inet", "cidr"]);

/**
 * A value in Postgres text output format, as Electric sends it: `::text` where that is the output
 * function (cheapest), format('%s') (which calls the output function) for the exceptions.
 */
export function renderValueSql(alias: string, column: ColumnInfo): string {
  const ref = `${alias}.${quoteIdent(column.name)}`;
  if (column.dims > 0 || !CAST_DIFFERS_FROM_OUTPUT.has(column.typname)) return `${ref}::text`;
  return `CASE WHEN ${ref} IS NULL THEN NULL ELSE format('%s', ${ref}) END`;
}

function textArrayLiteral(values: readonly string[]): string {
  return `ARRAY[${values.map((v) => `'${assertIdentifier(v)}'`).join(", ")}]::text[]`;
}

/** A json object text { column: text value | null } built by Postgres (no per-value work in JS). */
export function rowJsonSql(alias: string, schema: TableSchema, columns: readonly string[]): string {
  const values = columns.map((c) => renderValueSql(alias, requireColumn(schema, c)));
  return `json_object(${textArrayLiteral(columns)}, ARRAY[${values.join(", ")}]::text[])::text`;
}

/** Electric's row key: "public"."table"/"pk1"/"pk2", with '/' inside values doubled. */
export function rowKeySql(alias: string, schema: TableSchema, primaryKey: readonly string[]): string {
  const parts = primaryKey.map((c) => `'/"' || replace(${renderValueSql(alias, requireColumn(schema, c))}, '/', '//') || '"'`);
  return `'"public"."${assertIdentifier(schema.table)}"' || ${parts.join(" || ")}`;
}

/**
 * The AND of `column IN (values)` conditions, compared as the column's own type (so indexes on
 * account_id serve snapshots). Values travel as one text[] parameter per condition.
 */
export function conditionsSql(
  alias: string,
  schema: TableSchema,
  conditions: readonly { column: string; values: readonly string[] }[],
  firstParam: number,
): { sql: string; params: string[][] } {
  const sql = conditionsWith(alias, schema, conditions, (_, i) => `$${firstParam + i}`);
  return { sql, params: conditions.map((c) => [...c.values]) };
}

/**
 * The same conditions with their values written into the SQL as quoted literals, for a statement
 * that takes no parameters (COPY). The values come from the session's scope, never from the URL,
 * and are quoted whatever they hold.
 */
export function conditionsLiteralSql(
  alias: string,
  schema: TableSchema,
  conditions: readonly { column: string; values: readonly string[] }[],
): string {
  return conditionsWith(alias, schema, conditions, (values) => `ARRAY[${values.map(quoteLiteral).join(", ")}]::text[]`);
}

function conditionsWith(
  alias: string,
  schema: TableSchema,
  conditions: readonly { column: string; values: readonly string[] }[],
  valuesSql: (values: readonly string[], index: number) => string,
): string {
  if (conditions.length === 0) return "true";
  const parts = conditions.map((condition, i) => {
    const column = requireColumn(schema, condition.column);
    return `${alias}.${quoteIdent(condition.column)} = ANY(${valuesSql(condition.values, i)}::text[]::${column.castType}[])`;
  });
  return `(${parts.join(" AND ")})`;
}

/** An SQL string literal; needs standard_conforming_strings (ELECTRIC_SESSION_SETTINGS_SQL sets it). */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("An SQL literal cannot hold a NUL character");
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Session settings under which Postgres prints values the way Electric does (sync-service
 * postgres.ex), whatever the server's or the pool's defaults are; transaction-local, in one round
 * trip. JIT off: see NO_JIT_SQL in sequencer.server.ts.
 */
export const ELECTRIC_SESSION_SETTINGS_SQL = `SELECT set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, DMY', true),
  set_config('IntervalStyle', 'iso_8601', true), set_config('extra_float_digits', '1', true),
  set_config('bytea_output', 'hex', true), set_config('jit', 'off', true),
  set_config('standard_conforming_strings', 'on', true)`;

export async function applyElectricSessionSettings(tx: Queryable): Promise<void> {
  await tx.query(ELECTRIC_SESSION_SETTINGS_SQL);
}
