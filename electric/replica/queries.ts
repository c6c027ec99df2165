import { findShape, type ShapeDefinition } from "../shapes/registry";
import type { SqlDriver, SqlParam } from "./driver";
import { PORTAL_HANDLERS, type PortalQueryMap } from "./portal-queries";
import { ReplicaQueryError } from "./query-error";
import { ident } from "./schema";

export { ReplicaQueryError };

/**
 * The named read queries the page may ask the worker for. The page never sends SQL: it names a
 * query and passes parameters, which are checked against the registry (shape and column names),
 * so the contract between page and worker stays small and versionable. Add domain queries here
 * (one function each) as clientLoaders need them; the portal pages' queries are in portal-queries.ts.
 */

/** A replica row: every column is Postgres text (or null). */
export type ReplicaRow = Record<string, string | null>;

export type RowFilter = Record<string, string | null | readonly string[]>;

export interface ListParams {
  shape: string;
  /** Equality per column; an array means IN, null means IS NULL. */
  where?: RowFilter;
  orderBy?: string;
  direction?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export interface ReadQueryMap extends PortalQueryMap {
  "rows.get": { params: { shape: string; id: string }; result: ReplicaRow | null };
  "rows.list": { params: ListParams; result: ReplicaRow[] };
  "rows.count": { params: { shape: string; where?: RowFilter }; result: number };
  "order.detail": {
    params: { id: string };
    result: {
      order: ReplicaRow; lines: ReplicaRow[]; milestones: ReplicaRow[]; confirmations: ReplicaRow[]; shipments: ReplicaRow[];
      deliveryNotes: ReplicaRow[]; invoices: ReplicaRow[];
    } | null;
  };
  "invoice.detail": {
    params: { id: string };
    result: { invoice: ReplicaRow; lines: ReplicaRow[]; taxBreakdown: ReplicaRow[]; allowanceCharges: ReplicaRow[]; payments: ReplicaRow[] } | null;
  };
  "shipment.detail": {
    params: { id: string };
    result: { shipment: ReplicaRow; lines: ReplicaRow[]; trackingEvents: ReplicaRow[] } | null;
  };
}

export type ReadQueryName = keyof ReadQueryMap;

function shapeOf(name: unknown): ShapeDefinition {
  const shape = typeof name === "string" ? findShape(name) : undefined;
  if (!shape) throw new ReplicaQueryError(`Unknown shape: ${String(name)}`);
  return shape;
}

function column(shape: ShapeDefinition, name: unknown): string {
  if (typeof name !== "string" || !shape.columns.includes(name)) throw new ReplicaQueryError(`Unknown column ${String(name)} of ${shape.name}`);
  return ident(name);
}

function whereClause(shape: ShapeDefinition, where: RowFilter | undefined, params: SqlParam[]): string {
  const parts = Object.entries(where ?? {}).map(([name, value]) => {
    const col = column(shape, name);
    if (value === null) return `${col} IS NULL`;
    if (typeof value === "string") {
      params.push(value);
      return `${col} = ?`;
    }
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      params.push(...value);
      return value.length > 0 ? `${col} IN (${value.map(() => "?").join(", ")})` : "0";
    }
    throw new ReplicaQueryError(`Filter on ${name} must be a string, an array of strings or null`);
  });
  return parts.length > 0 ? `WHERE ${parts.join(" AND ")}` : "";
}

function idParam(params: { id?: unknown }): string {
  if (typeof params.id !== "string" || params.id === "") throw new ReplicaQueryError("id must be a non-empty string");
  return params.id;
}

const children = (driver: SqlDriver, table: string, column: string, id: string, order = "id") =>
  driver.selectObjects<ReplicaRow>(`SELECT * FROM ${ident(table)} WHERE ${ident(column)} = ? ORDER BY ${order}`, [id]);

const one = (driver: SqlDriver, table: string, id: string) =>
  driver.selectObjects<ReplicaRow>(`SELECT * FROM ${ident(table)} WHERE "id" = ?`, [id])[0] ?? null;

type Handlers = { [N in ReadQueryName]: (driver: SqlDriver, params: ReadQueryMap[N]["params"]) => ReadQueryMap[N]["result"] };

const HANDLERS: Handlers = {
  ...PORTAL_HANDLERS,
  "rows.get": (driver, params) => one(driver, shapeOf(params.shape).table, idParam(params)),
  "rows.list": (driver, params) => {
    const shape = shapeOf(params.shape);
    const values: SqlParam[] = [];
    const where = whereClause(shape, params.where, values);
    const order = params.orderBy ? `${column(shape, params.orderBy)} ${params.direction === "desc" ? "DESC" : "ASC"}, "id"` : `"id"`;
    const limit = Math.min(Math.max(Math.trunc(Number(params.limit ?? 100)), 1), 5000);
    const offset = Math.max(Math.trunc(Number(params.offset ?? 0)), 0);
    return driver.selectObjects<ReplicaRow>(`SELECT * FROM ${ident(shape.table)} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, [...values, limit, offset]);
  },
  "rows.count": (driver, params) => {
    const shape = shapeOf(params.shape);
    const values: SqlParam[] = [];
    const where = whereClause(shape, params.where, values);
    return Number(driver.selectValue(`SELECT count(*) FROM ${ident(shape.table)} ${where}`, values) ?? 0);
  },
  "order.detail": (driver, params) => {
    const id = idParam(params);
    const order = one(driver, "sales_orders", id);
    if (!order) return null;
    return {
      order,
      lines: children(driver, "sales_order_lines", "sales_order_id", id, "CAST(line_no AS INTEGER)"),
      milestones: children(driver, "order_milestones", "sales_order_id", id, "coalesce(occurred_at, expected_at)"),
      confirmations: children(driver, "order_confirmations", "sales_order_id", id, "issue_date"),
      shipments: children(driver, "shipments", "sales_order_id", id, "shipped_at"),
      deliveryNotes: children(driver, "delivery_notes", "sales_order_id", id, "issue_date"),
      invoices: children(driver, "invoices", "sales_order_id", id, "issue_date"),
    };
  },
  "invoice.detail": (driver, params) => {
    const id = idParam(params);
    const invoice = one(driver, "invoices", id);
    if (!invoice) return null;
    return {
      invoice,
      lines: children(driver, "invoice_lines", "invoice_id", id, "CAST(line_no AS INTEGER)"),
      taxBreakdown: children(driver, "invoice_tax_breakdown", "invoice_id", id, "vat_category, CAST(vat_rate AS REAL)"),
      allowanceCharges: children(driver, "invoice_allowance_charges", "invoice_id", id, "CAST(seq AS INTEGER)"),
      payments: children(driver, "payments", "invoice_id", id, "paid_at"),
    };
  },
  "shipment.detail": (driver, params) => {
    const id = idParam(params);
    const shipment = one(driver, "shipments", id);
    if (!shipment) return null;
    return {
      shipment,
      lines: children(driver, "shipment_lines", "shipment_id", id, "CAST(line_no AS INTEGER)"),
      trackingEvents: children(driver, "tracking_events", "shipment_id", id, "occurred_at"),
    };
  },
};

export function isReadQueryName(name: unknown): name is ReadQueryName {
  return typeof name === "string" && Object.hasOwn(HANDLERS, name);
}

export function runReadQuery<N extends ReadQueryName>(driver: SqlDriver, name: N, params: ReadQueryMap[N]["params"]): ReadQueryMap[N]["result"] {
  if (!isReadQueryName(name)) throw new ReplicaQueryError(`Unknown read query: ${String(name)}`);
  if (typeof params !== "object" || params === null) throw new ReplicaQueryError("params must be an object");
  return (HANDLERS[name] as (driver: SqlDriver, params: unknown) => ReadQueryMap[N]["result"])(driver, params);
}
