import type { z } from "zod";
import type { ChildSpec, EntityDef, FieldError, RefRow, RefSpec, RefTable, Row } from "./types";

/**
 * Turns a parsed record into table rows: camelCase fields become snake_case columns, ERP-id
 * references become portal ids (checked: they exist and belong to the record's account), lines
 * become child rows that carry the header's account and location.
 */

export interface Prepared {
  /** Position in the batch. */
  index: number;
  erpId: string;
  version: number;
  header: Row;
  /** Child rows per child table; undefined: leave that table's rows alone. */
  children: Map<string, Row[] | undefined>;
  /** Same-table references by ERP id, resolved in the write (the target may be in the batch). */
  selfRefs: Map<string, string | null>;
}

/** Looks up referenced rows by ERP id; filled in bulk for a whole batch (refs.server.ts). */
export interface RefLookup {
  want(table: RefTable, erpId: string): void;
  get(table: RefTable, erpId: string): RefRow | undefined;
}

export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

type AnySchema = z.ZodType & { _zod: { def: { type: string; innerType?: AnySchema; in?: AnySchema; element?: AnySchema; shape?: Record<string, AnySchema> } } };

/** The object inside optional / default / pipe / array wrappers. */
export function objectShapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  let current = schema as AnySchema;
  for (let i = 0; i < 10; i++) {
    const def = current._zod.def;
    if (def.type === "object" && def.shape) return def.shape;
    current = (def.type === "array" ? def.element : def.type === "pipe" ? def.in : def.innerType) as AnySchema;
    if (!current) break;
  }
  throw new Error("objectShapeOf: no object schema inside");
}

const columnCache = new WeakMap<object, [string, string][]>();

/**
 * [field, column] pairs of the plain fields of an object shape (references and arrays excluded),
 * once per entity or child spec: the shape and the skipped fields are only worked out on the first
 * call (this runs for every record and child collection of every batch).
 */
function plainColumns(owner: object, shape: () => Record<string, z.ZodType>, skip: () => Set<string>): [string, string][] {
  let pairs = columnCache.get(owner);
  if (!pairs) {
    const skipped = skip();
    pairs = Object.keys(shape())
      .filter((k) => !skipped.has(k))
      .map((k) => [k, snakeCase(k)]);
    columnCache.set(owner, pairs);
  }
  return pairs;
}

function headerSkip(def: EntityDef): Set<string> {
  return new Set(["erpUpdatedAt", "erpVersion", ...def.refs.map((r) => r.field), ...def.selfRefs.map((s) => s.field), ...def.children.map((c) => c.field)]);
}

function refTable(spec: RefSpec, record: Row): RefTable | null {
  return typeof spec.table === "function" ? spec.table(record) : spec.table;
}

/** Registers every ERP id the record refers to, so the batch looks them up in one query per table. */
export function collectRefs(def: EntityDef, record: Row, lookup: RefLookup): void {
  const want = (spec: RefSpec, item: Row) => {
    const value = item[spec.field];
    const table = refTable(spec, item);
    if (typeof value === "string" && table) lookup.want(table, value);
  };
  for (const spec of def.refs) want(spec, record);
  for (const self of def.selfRefs) {
    const value = record[self.field];
    if (typeof value === "string") lookup.want(def.table as RefTable, value);
  }
  for (const child of def.children) {
    const items = record[child.field];
    if (!Array.isArray(items)) continue;
    for (const spec of child.refs ?? []) for (const item of items as Row[]) want(spec, item);
  }
}

/** Resolves one reference into `row`; returns the reason when it cannot. */
function resolveRef(spec: RefSpec, item: Row, row: Row, accountId: unknown, lookup: RefLookup, path: string): FieldError | null {
  const value = item[spec.field];
  if (value == null) {
    if (spec.column) row[spec.column] = null;
    return spec.required ? { path, message: `is required (the ERP id of the ${spec.label})` } : null;
  }
  const table = refTable(spec, item);
  if (!table) return { path, message: `cannot name a ${spec.label} here` };
  const found = lookup.get(table, String(value));
  if (!found) return { path, message: `no ${spec.label} with ERP id "${String(value)}" (send it first)` };
  if (table === "users" && found.kind !== "contact") return { path, message: `"${String(value)}" is not a customer contact` };
  if (spec.sameAccount && accountId != null && found.account_id !== accountId) {
    return { path, message: `${spec.label} "${String(value)}" belongs to another account` };
  }
  if (spec.column) row[spec.column] = found.id;
  for (const column of spec.provides ?? []) row[column] = found[column];
  return null;
}

function buildChildren(def: EntityDef, spec: ChildSpec, record: Row, header: Row, lookup: RefLookup, errors: FieldError[]): Row[] | undefined {
  const items = record[spec.field] as Row[] | undefined;
  if (items === undefined) return spec.keepWhenAbsent ? undefined : [];
  const columns = plainColumns(
    spec,
    () => objectShapeOf(def.shape.shape[spec.field]),
    () => new Set((spec.refs ?? []).map((r) => r.field)),
  );
  return items.map((item, i) => {
    const row: Row = {};
    for (const [field, column] of columns) row[column] = item[field] ?? null;
    if (spec.defaultErpId && row.erp_id == null) row.erp_id = spec.defaultErpId(String(record.erpId), item, i);
    for (const ref of spec.refs ?? []) {
      const error = resolveRef(ref, item, row, header.account_id, lookup, `${spec.field}.${i}.${ref.field}`);
      if (error) errors.push(error);
    }
    for (const column of spec.inherit) row[column] = header[column] ?? null;
    if (spec.extra) Object.assign(row, spec.extra(item, i, header));
    return row;
  });
}

/**
 * Builds the rows of one valid record. `batchErpIds` are the valid records of the batch, which a
 * same-table reference (a parent account, a preceding invoice) may also name.
 */
export function prepareRecord(
  def: EntityDef,
  record: Row,
  index: number,
  version: number,
  lookup: RefLookup,
  batchErpIds: Set<string>,
): { ok: true; prepared: Prepared } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const header: Row = {};
  for (const [field, column] of plainColumns(def, () => def.shape.shape, () => headerSkip(def))) header[column] = record[field] ?? null;
  header.erp_version = version;
  Object.assign(header, def.fixed);
  for (const spec of def.refs) {
    const error = resolveRef(spec, record, header, header.account_id, lookup, spec.field);
    if (error) errors.push(error);
  }
  const selfRefs = new Map<string, string | null>();
  for (const self of def.selfRefs) {
    const value = record[self.field];
    if (typeof value === "string" && !batchErpIds.has(value) && !lookup.get(def.table as RefTable, value)) {
      errors.push({ path: self.field, message: `no ${self.label} with ERP id "${value}" (send it first, or in the same batch)` });
    }
    selfRefs.set(self.column, typeof value === "string" ? value : null);
  }
  const children = new Map<string, Row[] | undefined>();
  for (const spec of def.children) children.set(spec.table, buildChildren(def, spec, record, header, lookup, errors));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, prepared: { index, erpId: String(record.erpId), version, header, children, selfRefs } };
}
