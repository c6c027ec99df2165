import { FieldErrorsError, type EntityDef, type FieldError } from "../entities/types";

/**
 * Turns what the database refused about one record into field reasons. The schemas catch almost
 * everything first; what is left are facts only the database knows (a number another record has, a
 * record still referenced by others).
 */

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message: string;
}

/** Errors that concern the record (not the connection): the record is rejected, the rest goes on. */
export function isRecordError(error: unknown): boolean {
  if (error instanceof FieldErrorsError) return true;
  const code = (error as PgError)?.code;
  return typeof code === "string" && (code.startsWith("23") || code.startsWith("22"));
}

/** Transient conflicts worth another try. */
export function isRetryable(error: unknown): boolean {
  const code = (error as PgError)?.code;
  return code === "40001" || code === "40P01";
}

function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The record field a column came from (location_id → locationErpId). */
function fieldOf(def: EntityDef, column: string): string {
  const ref = def.refs.find((r) => r.column === column) ?? def.selfRefs.find((s) => s.column === column);
  return ref ? ref.field : camelCase(column);
}

export function recordErrors(def: EntityDef, error: unknown): FieldError[] {
  if (error instanceof FieldErrorsError) return error.errors;
  const e = error as PgError;
  const detail = e.detail ?? "";
  if (e.code === "23505") {
    const m = /^Key \((.+?)\)=\((.*)\) already exists/.exec(detail);
    const columns = m ? m[1].split(", ") : [];
    const field = columns.length ? fieldOf(def, columns[columns.length - 1]) : "record";
    const where = e.table && e.table !== def.table ? ` in ${e.table}` : "";
    return [{ path: field, message: `"${m?.[2] ?? "?"}" is already used by another record${where}` }];
  }
  if (e.code === "23503") {
    const referencing = /is still referenced from table "(\w+)"/.exec(detail);
    if (referencing) return [{ path: "erpId", message: `is still referenced by ${referencing[1]}: delete or move those first` }];
    const m = /^Key \((.+?)\)=/.exec(detail);
    const columns = m ? m[1].split(", ") : [];
    return [{ path: columns.length ? fieldOf(def, columns[0]) : "record", message: `refers to a record that does not exist or belongs to another account (${detail})` }];
  }
  if (e.code === "23514") return [{ path: "record", message: `breaks the rule ${e.constraint ?? ""}: ${e.message}` }];
  if (e.code === "23502") return [{ path: e.column ? fieldOf(def, e.column) : "record", message: "is required" }];
  return [{ path: "record", message: e.message }];
}
