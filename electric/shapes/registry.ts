import type { ContactPermission } from "~/modules/access/permissions";
import type { Scope } from "~/modules/access/scope.server";

/**
 * The named shapes a browser may sync. The browser sends only a name; the table, the column list
 * and the row filter come from here and from the session's scope (DESIGN: "Shapes are named and
 * server-defined"). Column lists are explicit: ERP ids, secrets and staff-only columns never leave.
 */
export interface ShapeDefinition {
  name: string;
  table: string;
  /** Explicit projection; must include the primary key. */
  columns: readonly string[];
  primaryKey: readonly string[];
  /** Which column carries the account (for `accounts` itself: its id). */
  accountColumn: string;
  /** Which column a location-restricted contact is narrowed by; null when the table has no location. */
  locationColumn: string | null;
  /** Fixed conditions beyond the scope, e.g. staff-only ticket messages stay out. */
  fixed?: readonly ShapeCondition[];
  /**
   * Kept live (an SSE stream) even over HTTP/1.1, where the browser's six connections per host
   * allow only a few; the other shapes catch up in rounds (electric/replica/sync.ts).
   */
  live?: boolean;
  /**
   * A permission the contact's role needs on top of the scope. Without it the gateway serves the shape
   * empty (not 403: the replica syncs every shape and takes a refusal for lost access to the account).
   */
  permission?: ContactPermission;
}

/** One AND-ed condition: `column IN (values)`, values in Postgres text format. */
export interface ShapeCondition {
  column: string;
  values: readonly string[];
}

const money = ["currency", "net_amount", "tax_amount", "gross_amount"] as const;

function shape(
  name: string,
  table: string,
  columns: readonly string[],
  options: { accountColumn?: string; locationColumn?: string | null; fixed?: ShapeCondition[]; permission?: ContactPermission; live?: boolean } = {},
): ShapeDefinition {
  return {
    name,
    table,
    columns: ["id", ...columns.filter((c) => c !== "id")],
    primaryKey: ["id"],
    accountColumn: options.accountColumn ?? "account_id",
    locationColumn: options.locationColumn === undefined ? "location_id" : options.locationColumn,
    fixed: options.fixed,
    permission: options.permission,
    live: options.live,
  };
}

export const SHAPES: readonly ShapeDefinition[] = [
  shape("accounts", "accounts", ["number", "name", "parent_id", "country_code", "language", "currency", "buyer_reference", "city", "payment_terms_days"], {
    accountColumn: "id",
    locationColumn: null,
  }),
  shape("locations", "locations", ["account_id", "code", "name", "street", "postal_code", "city", "country_code", "is_default_ship_to"], {
    locationColumn: "id",
  }),
  shape("cost_centers", "cost_centers", ["account_id", "code", "name"], { locationColumn: null }),
  shape("orders", "sales_orders", [
    "account_id", "location_id", "cost_center_id", "number", "customer_reference", "buyer_name", "status", "order_date",
    "requested_delivery_date", "promised_delivery_date", ...money, "incoterms", "shipping_address", "updated_at",
  ], { live: true }),
  shape("order_lines", "sales_order_lines", [
    "account_id", "location_id", "sales_order_id", "line_no", "sku", "description", "unit", "quantity_ordered", "quantity_shipped",
    "quantity_backordered", "quantity_cancelled", "quantity_invoiced", "unit_price", "discount_percent", "vat_rate", "net_amount",
    "requested_date", "promised_date", "status",
  ]),
  shape("order_milestones", "order_milestones", ["account_id", "location_id", "sales_order_id", "kind", "occurred_at", "expected_at", "note"]),
  shape("order_confirmations", "order_confirmations", [
    "account_id", "location_id", "sales_order_id", "number", "issue_date", ...money, "promised_delivery_date", "note",
  ]),
  shape("shipments", "shipments", [
    "account_id", "location_id", "sales_order_id", "number", "carrier", "service", "tracking_number", "tracking_url", "status",
    "shipped_at", "estimated_delivery_at", "delivered_at", "package_count", "gross_weight_kg", "ship_to",
  ], { live: true }),
  shape("shipment_lines", "shipment_lines", ["account_id", "location_id", "shipment_id", "sales_order_line_id", "line_no", "sku", "description", "quantity", "unit"]),
  shape("tracking_events", "tracking_events", ["account_id", "location_id", "shipment_id", "occurred_at", "status_code", "description", "place"]),
  shape("delivery_notes", "delivery_notes", ["account_id", "location_id", "sales_order_id", "shipment_id", "number", "issue_date", "ship_to", "note"]),
  shape("delivery_note_lines", "delivery_note_lines", [
    "account_id", "location_id", "delivery_note_id", "line_no", "sales_order_line_id", "sku", "description", "quantity_delivered", "quantity_backordered", "unit",
  ]),
  // Invoices and credit notes share one table (kind distinguishes them), so one shape carries both.
  shape("invoices", "invoices", [
    "account_id", "location_id", "cost_center_id", "sales_order_id", "kind", "type_code", "number", "issue_date", "due_date",
    "delivery_date", "service_period_start", "service_period_end", "currency", "buyer_reference", "customer_reference",
    "preceding_invoice_id", "line_net_total", "allowance_total", "charge_total", "net_amount", "tax_amount", "gross_amount",
    "prepaid_amount", "paid_amount", "amount_due", "status", "payment_terms", "payment_reference", "updated_at",
  ], { permission: "invoices.read", live: true }),
  shape("invoice_lines", "invoice_lines", [
    "account_id", "location_id", "invoice_id", "line_no", "sales_order_line_id", "sku", "description", "quantity", "unit", "unit_price",
    "price_base_quantity", "line_allowance_amount", "line_charge_amount", "net_amount", "vat_category", "vat_rate",
  ], { permission: "invoices.read" }),
  shape("invoice_tax_breakdown", "invoice_tax_breakdown", ["account_id", "location_id", "invoice_id", "vat_category", "vat_rate", "taxable_amount", "tax_amount", "exemption_reason"], { permission: "invoices.read" }),
  shape("invoice_allowance_charges", "invoice_allowance_charges", ["account_id", "location_id", "invoice_id", "seq", "is_charge", "amount", "base_amount", "percent", "reason", "vat_category", "vat_rate"], { permission: "invoices.read" }),
  shape("payments", "payments", ["account_id", "location_id", "invoice_id", "paid_at", "amount", "currency", "method", "reference"], { permission: "invoices.read" }),
  shape("quotes", "quotes", ["account_id", "location_id", "sales_order_id", "number", "issue_date", "valid_until", "status", ...money, "customer_reference", "note", "decided_at"]),
  shape("quote_lines", "quote_lines", ["account_id", "location_id", "quote_id", "line_no", "sku", "description", "quantity", "unit", "unit_price", "discount_percent", "vat_rate", "net_amount"]),
  shape("statements", "statements", ["account_id", "number", "period_start", "period_end", "opening_balance", "closing_balance", "currency", "issue_date"], {
    locationColumn: null,
    permission: "statements.read", // the statements page is for admin and finance contacts only
  }),
  shape("document_files", "document_files", ["account_id", "location_id", "document_type", "document_id", "sales_order_id", "title", "file_name", "content_type", "byte_size", "issued_at"]),
  shape("return_requests", "return_requests", ["account_id", "location_id", "number", "sales_order_id", "delivery_note_id", "invoice_id", "reason", "comment", "status", "decided_at", "decision_note", "created_at", "updated_at"]),
  shape("support_tickets", "support_tickets", ["account_id", "location_id", "number", "subject", "category", "priority", "status", "related_entity_type", "related_entity_id", "created_at", "updated_at", "closed_at"]),
  shape("ticket_messages", "ticket_messages", ["account_id", "location_id", "ticket_id", "body", "created_at"], {
    fixed: [{ column: "is_internal", values: ["f"] }],
  }),
];

const byName = new Map(SHAPES.map((s) => [s.name, s]));

export function findShape(name: string): ShapeDefinition | undefined {
  return byName.get(name);
}

/** The scope's row filter for a shape: AND of IN-lists, evaluated by the built-in engine or sent to Electric. */
export function shapeConditions(shape: ShapeDefinition, scope: Pick<Scope, "accountIds" | "locationIds">): ShapeCondition[] {
  const conditions: ShapeCondition[] = [{ column: shape.accountColumn, values: [...scope.accountIds].sort() }];
  if (shape.locationColumn && scope.locationIds) {
    conditions.push({ column: shape.locationColumn, values: [...scope.locationIds].sort() });
  }
  return [...conditions, ...(shape.fixed ?? [])];
}

/** The same filter as Electric's `where` + positional `params` (never string-interpolated values). */
export function conditionsToWhere(conditions: readonly ShapeCondition[]): { where: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  let n = 0;
  const parts = conditions.map((condition) => {
    const placeholders = condition.values.map((value) => {
      n += 1;
      params[String(n)] = value;
      return `$${n}`;
    });
    return `"${condition.column}" IN (${placeholders.join(", ")})`;
  });
  return { where: parts.join(" AND "), params };
}
