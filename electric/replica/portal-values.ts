import type { SqlDriver, SqlParam } from "./driver";
import { ReplicaQueryError } from "./query-error";
import { ident } from "./schema";
import { LIST_LIMIT } from "~/modules/lists";

/**
 * The replica queries' building blocks (portal-queries.ts): positional parameters, parameter
 * checks, rows as one JSON text, and Postgres text values turned into what node-postgres gives the
 * server.
 */

export type Row = Record<string, string | number | null>;

/** Collects positional parameters next to the SQL that uses them. */
export class Sql {
  readonly params: SqlParam[] = [];
  bind(value: SqlParam): string {
    this.params.push(value);
    return "?";
  }
}

// ---- parameters -------------------------------------------------------------------------------

export function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new ReplicaQueryError(`${name} must be a string`);
  return value;
}

export function limit(value: unknown): number {
  if (value === undefined) return LIST_LIMIT;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new ReplicaQueryError("limit must be a whole number ≥ 0");
  return value;
}

export function day(value: unknown): string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new ReplicaQueryError("today must be a date (YYYY-MM-DD)");
  return value;
}

export function flag(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw new ReplicaQueryError(`${name} must be true or false`);
  return value;
}

export function id(value: unknown): string {
  if (typeof value !== "string" || value === "") throw new ReplicaQueryError("id must be a non-empty string");
  return value;
}

/**
 * The rows of a list query (up to 500), built into one JSON text by SQLite and parsed once: reading
 * a result column by column across the WASM boundary cost three to four times the query itself
 * (orders: 17 ms → 4.6 ms for 500 rows). `columns` are the query's output column names; the
 * aggregate keeps the query's ORDER BY (its LIMIT keeps SQLite from dropping it).
 */
export function selectRows(driver: SqlDriver, sql: string, params: readonly SqlParam[], columns: readonly string[]): Row[] {
  const object = columns.map((c) => `'${c}', ${ident(c)}`).join(", ");
  const json = driver.selectValue(`SELECT json_group_array(json_object(${object})) FROM (${sql})`, params);
  return JSON.parse(String(json ?? "[]")) as Row[];
}

/** `ILIKE '%q%'` as the server builds it (q unescaped: `%` and `_` are wildcards on both sides). */
export const contains = (q: string) => `%${q}%`;

// ---- values: Postgres text → what node-postgres gives the server (app/db/db.server.ts PARSERS) ----

/** A text column as it is (replica columns are TEXT, so already the string node-postgres gives). */
export const txt = (value: string | number | null): string => value as string;
export const str = (value: string | number | null): string | null => value as string | null;
/** A SQLite truth value (1/0/NULL from a comparison) as Postgres' three-valued boolean. */
export const truth = (value: string | number | null): boolean | null => (value === null ? null : Number(value) !== 0);

/**
 * A timestamptz in Postgres text output ('2026-01-01 10:00:00.123456+00') as the Date the server's
 * parser makes of it (`new Date(text)`: milliseconds, the rest truncated). Rewritten to ISO 8601
 * first, because only V8 parses Postgres' own format.
 */
export function timestamp(value: string | number | null): Date | null {
  if (value === null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(String(value));
  if (!m) return new Date(String(value)); // 'infinity' and the like: whatever the server's parser made of it
  const ms = (m[3] ?? "").slice(0, 3).padEnd(3, "0");
  return new Date(`${m[1]}T${m[2]}.${ms}${m[4] ? `${m[4]}:${m[5] ?? "00"}` : "Z"}`);
}

/** Sum of numeric(14,2) decimal strings as exact integer cents, in SQL. */
export const cents = (column: string) => `CAST(replace(${column}, '.', '') AS INTEGER)`;

/** Integer cents as Postgres prints numeric(14,2): '-0.50', '1234.00'. */
export function centsText(value: string | number | null): string | null {
  if (value === null) return null;
  const n = BigInt(value);
  const abs = n < 0n ? -n : n;
  return `${n < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}
