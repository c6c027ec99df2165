import type { z } from "zod";
import type { Queryable } from "~/db/db.server";

export type Row = Record<string, unknown>;

/** Tables a record can reference by ERP id. */
export type RefTable =
  | "accounts"
  | "locations"
  | "cost_centers"
  | "sales_orders"
  | "sales_order_lines"
  | "shipments"
  | "invoices"
  | "delivery_notes"
  | "order_confirmations"
  | "quotes"
  | "statements"
  | "users";

/** A row found by its ERP id. */
export interface RefRow {
  id: string;
  account_id: string | null;
  location_id: string | null;
  kind?: string | null;
}

export interface RefSpec {
  /** The record's (or line's) field holding the ERP id, e.g. accountErpId. */
  field: string;
  /** The referenced table; a function when it depends on the record (document files). */
  table: RefTable | ((record: Row) => RefTable | null);
  /** Where the found row's id goes; null when only `provides` is wanted. */
  column: string | null;
  /** For reasons: "account", "location". */
  label: string;
  required?: boolean;
  /** The referenced row must belong to the record's account (composite FKs, and no cross-account links). */
  sameAccount?: boolean;
  /** Copies these from the referenced row (a payment takes its invoice's account and location). */
  provides?: readonly ("account_id" | "location_id")[];
}

export interface ChildSpec {
  /** The record's array field, e.g. lines. */
  field: string;
  table: string;
  /** The child's column pointing at the header, e.g. invoice_id. */
  parentColumn: string;
  /**
   * Keyed children are upserted by erp_id and keep their ids (other rows point at sales order lines);
   * the others are replaced. For keyed children, rows whose (keyColumns) differ are deleted first.
   */
  keyColumns?: readonly string[];
  /** The ERP id of a child the ERP sent without one. */
  defaultErpId?: (parentErpId: string, item: Row, index: number) => string;
  refs?: RefSpec[];
  /** Header columns every child carries too (account_id, location_id). */
  inherit: readonly string[];
  /** Extra columns computed per child (seq, erp_version). */
  extra?: (item: Row, index: number, header: Row) => Row;
  /** An absent array leaves the existing children alone (an empty one removes them). */
  keepWhenAbsent?: boolean;
}

export interface SelfRefSpec {
  field: string;
  column: string;
  label: string;
}

/** Contacts span users and memberships: applied record by record. */
export interface CustomApplier {
  /** Applies one valid record; returns what happened, or throws a FieldErrorsError. */
  apply(tx: Queryable, record: Row, version: number): Promise<"inserted" | "updated" | "unchanged">;
  /** Deletes (or, for contacts, disables) one record; false when there was nothing newer to delete. */
  remove(tx: Queryable, erpId: string, version: number): Promise<boolean>;
}

export interface EntityDef {
  /** The API path segment and CLI argument: invoices, credit-notes, sales-orders, … */
  name: string;
  /** One record, for reasons: "invoice". */
  label: string;
  description: string;
  table: string;
  /** Parses and completes a record (refinements, computed totals). */
  schema: z.ZodType;
  /** The plain object shape (documentation, CSV columns). */
  shape: z.ZodObject;
  refs: RefSpec[];
  selfRefs: SelfRefSpec[];
  children: ChildSpec[];
  /** Constant header columns (kind of invoices vs credit notes). */
  fixed: Row;
  /** Runs in the write transaction with the header rows just inserted, updated or deleted. */
  afterWrite?: (tx: Queryable, rows: Row[]) => Promise<void>;
  custom?: CustomApplier;
  /** Which array field one CSV / SQL row fills (one row per line). */
  rowCollection?: string;
}

export interface FieldError {
  path: string;
  message: string;
}

/** A record-level failure with field reasons (bad reference, cycle, database rule). */
export class FieldErrorsError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join("; "));
  }
}
