import type { DocumentRow } from "~/modules/documents/documents.server";
import type { InvoiceDetail, InvoiceRow } from "~/modules/invoices/invoices.server";
import { INVOICE_STATES, type InvoiceState } from "~/modules/invoices/states";
import type { OrderDetail, OrderFilters, OrderListRow } from "~/modules/orders/orders.server";
import { sortFilterOptions, type OrderFilterOptions } from "~/modules/orders/filter-options";
import type { ShipmentDetail } from "~/modules/shipments/shipment-detail.server";
import { isUuid } from "~/modules/ids";
import { isInvoiceDocument } from "~/modules/documents/paths";
import type { Overview } from "~/modules/overview/overview.server";
import type { QuoteDetail, QuoteRow } from "~/modules/quotes/quotes.server";
import type { ReturnRequestRow } from "~/modules/returns/returns.server";
import type { TicketRow } from "~/modules/support/tickets.server";
import type { ShipmentRow } from "~/modules/shipments/shipments.server";
import type { SqlDriver, SqlParam } from "./driver";
import { replicaActivity, replicaAging, replicaInvoicedMonths } from "./portal-overview";
import { ReplicaQueryError } from "./query-error";
import { centsText, cents, contains, day, flag, id, limit, selectRows, Sql, str, text, timestamp, truth, txt, type Row } from "./portal-values";
import { LIST_LIMIT } from "~/modules/lists";

export { centsText, timestamp };

/**
 * The portal pages' read queries: the same filters, joins, sort orders and limits as the server
 * functions in app/modules/* (orders.server.ts and the others), run on the replica, returning the
 * very types those functions return — the values a page's clientLoader hands to the component are
 * indistinguishable from what its server loader would have sent (portal-queries.test.ts holds
 * both side by side for several contacts). Single fetch keeps `Date` across the wire, and so does
 * postMessage, so timestamps are `Date`s here too; dates stay 'YYYY-MM-DD', money stays the
 * Postgres decimal string, counts and line numbers are numbers, booleans are booleans.
 *
 * No scope filter: the replica holds only the signed-in scope's rows (the gateway filtered them).
 * What the replica cannot know comes as parameters: `today` (the server compares with Postgres'
 * `current_date`, in UTC) and `seesInvoices` (viewers get the invoice shapes empty, but finance
 * files arrive with the document_files shape and must be left out, as the server does).
 */

export interface ListFilters {
  q?: string;
  limit?: number;
}

export interface PortalQueryMap {
  "portal.overview": { params: { today: string; seesInvoices: boolean; since: string; firstVisit: boolean }; result: Overview };
  "portal.orders": { params: ListFilters & Omit<OrderFilters, "q" | "limit">; result: OrderListRow[] };
  /** null: not in the replica (the page asks the server, which answers 404 for a foreign id). */
  "portal.order": { params: { id: string; seesInvoices: boolean }; result: OrderDetail | null };
  "portal.order-filters": { params: Record<string, never>; result: OrderFilterOptions };
  "portal.invoices": { params: ListFilters & { state?: InvoiceState; today: string }; result: InvoiceRow[] };
  "portal.invoice": { params: { id: string; today: string }; result: InvoiceDetail | null };
  "portal.shipments": { params: ListFilters; result: ShipmentRow[] };
  "portal.shipment": { params: { id: string }; result: ShipmentDetail | null };
  "portal.documents": { params: ListFilters & { seesInvoices: boolean }; result: DocumentRow[] };
  "portal.quotes": { params: ListFilters; result: QuoteRow[] };
  "portal.quote": { params: { id: string }; result: QuoteDetail | null };
  "portal.returns": { params: Record<string, never>; result: ReturnRequestRow[] };
  "portal.tickets": { params: Record<string, never>; result: TicketRow[] };
}

export type PortalQueryName = keyof PortalQueryMap;

/** The shapes each query reads: a page answers from the replica only once all of them have synced. */
export const PORTAL_QUERY_SHAPES: Record<PortalQueryName, readonly string[]> = {
  "portal.overview": ["orders", "order_lines", "locations", "cost_centers", "shipments", "invoices"],
  "portal.orders": ["orders", "order_lines", "locations", "cost_centers"],
  "portal.order": [
    "orders", "locations", "order_lines", "order_milestones", "shipments", "invoices",
    "delivery_notes", "order_confirmations", "quotes", "document_files", "return_requests", "support_tickets",
  ],
  "portal.order-filters": ["orders", "locations", "cost_centers"],
  "portal.invoices": ["invoices", "orders"],
  "portal.invoice": ["invoices", "orders", "invoice_lines", "invoice_tax_breakdown", "payments"],
  "portal.shipments": ["shipments", "orders"],
  "portal.shipment": ["shipments", "locations", "orders", "shipment_lines", "order_lines", "tracking_events", "delivery_notes"],
  "portal.documents": ["invoices", "delivery_notes", "order_confirmations", "quotes", "document_files", "orders"],
  "portal.quotes": ["quotes"],
  "portal.quote": ["quotes", "quote_lines", "orders"],
  "portal.returns": ["return_requests", "orders"],
  "portal.tickets": ["support_tickets"],
};

// The server's sets (overview.server.ts, invoices.server.ts); the equality test catches a drift.
const OPEN_ORDER_STATUSES = ["open", "confirmed", "in_production", "partially_shipped", "on_hold"];
const UNPAID = `('open','partially_paid')`;

// ---- queries ----------------------------------------------------------------------------------

function date(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new ReplicaQueryError(`${name} must be a date (YYYY-MM-DD)`);
  return value;
}

const ORDER_COLUMNS = [
  "id", "number", "customer_reference", "order_date", "status", "currency", "gross_amount", "location_name", "buyer_name", "line_count",
  "location_id", "cost_center_id", "cost_center_name",
];

function listOrders(driver: SqlDriver, filters: OrderFilters): OrderListRow[] {
  const sql = new Sql();
  const where: string[] = [];
  // Like the server: an id that is no uuid matches nothing.
  if ((filters.locationId && !isUuid(filters.locationId)) || (filters.costCenterId && !isUuid(filters.costCenterId))) return [];
  if (filters.q) {
    const q = contains(filters.q);
    where.push(`(pg_ilike(o.number, ${sql.bind(q)}) OR pg_ilike(o.customer_reference, ${sql.bind(q)}))`);
  }
  if (filters.status) where.push(`o.status = ${sql.bind(filters.status)}`);
  if (filters.from) where.push(`o.order_date >= ${sql.bind(filters.from)}`);
  if (filters.to) where.push(`o.order_date <= ${sql.bind(filters.to)}`);
  if (filters.locationId) where.push(`o.location_id = ${sql.bind(filters.locationId)}`);
  if (filters.costCenterId) where.push(`o.cost_center_id = ${sql.bind(filters.costCenterId)}`);
  if (filters.buyer) where.push(`o.buyer_name = ${sql.bind(filters.buyer)}`);
  const rows = selectRows(
    driver,
    `SELECT o.id, o.number, o.customer_reference, o.order_date, o.status, o.currency, o.gross_amount, l.name AS location_name, o.buyer_name,
            (SELECT count(*) FROM sales_order_lines x WHERE x.sales_order_id = o.id) AS line_count,
            o.location_id, o.cost_center_id, cc.name AS cost_center_name
       FROM sales_orders o LEFT JOIN locations l ON l.id = o.location_id LEFT JOIN cost_centers cc ON cc.id = o.cost_center_id
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY o.order_date DESC NULLS FIRST, o.number DESC NULLS FIRST LIMIT ${sql.bind(filters.limit ?? LIST_LIMIT)}`,
    sql.params,
    ORDER_COLUMNS,
  );
  return rows.map((r) => ({
    id: txt(r.id), number: txt(r.number), customerReference: str(r.customer_reference), orderDate: txt(r.order_date),
    status: txt(r.status), currency: txt(r.currency), grossAmount: txt(r.gross_amount), locationName: str(r.location_name),
    buyerName: str(r.buyer_name), lineCount: Number(r.line_count),
    locationId: str(r.location_id), costCenterId: str(r.cost_center_id), costCenterName: str(r.cost_center_name),
  }));
}


const overdueSql = (sql: Sql, today: string) => `(i.status IN ${UNPAID} AND i.due_date < ${sql.bind(today)})`;

const invoiceRow = (r: Row): InvoiceRow => ({
  id: txt(r.id), kind: txt(r.kind) as InvoiceRow["kind"], number: txt(r.number), issueDate: txt(r.issue_date),
  dueDate: str(r.due_date), currency: txt(r.currency), grossAmount: txt(r.gross_amount), amountDue: txt(r.amount_due),
  status: txt(r.status),
  // NULL, like the server's, for an unpaid document without a due date (an open credit note).
  overdue: truth(r.overdue) as boolean,
  orderId: str(r.order_id),
  orderNumber: str(r.order_number),
});

function listInvoices(driver: SqlDriver, filters: { q?: string; state?: InvoiceState; limit?: number; today: string }): InvoiceRow[] {
  const sql = new Sql();
  const overdue = overdueSql(sql, filters.today);
  const where: string[] = [];
  if (filters.q) {
    const q = contains(filters.q);
    where.push(`(pg_ilike(i.number, ${sql.bind(q)}) OR pg_ilike(o.number, ${sql.bind(q)}))`);
  }
  if (filters.state === "open") where.push(`i.kind = 'invoice' AND i.status IN ${UNPAID}`);
  if (filters.state === "partially_paid") where.push(`i.kind = 'invoice' AND i.status = 'partially_paid'`);
  if (filters.state === "overdue") where.push(`i.kind = 'invoice' AND ${overdueSql(sql, filters.today)}`);
  if (filters.state === "paid") where.push(`i.status = 'paid'`);
  if (filters.state === "credit_note") where.push(`i.kind = 'credit_note'`);
  const rows = selectRows(
    driver,
    `SELECT i.id, i.kind, i.number, i.issue_date, i.due_date, i.currency, i.gross_amount, i.amount_due, i.status,
            ${overdue} AS overdue, o.id AS order_id, o.number AS order_number
       FROM invoices i LEFT JOIN sales_orders o ON o.id = i.sales_order_id
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY i.issue_date DESC NULLS FIRST, i.number DESC NULLS FIRST LIMIT ${sql.bind(filters.limit ?? LIST_LIMIT)}`,
    sql.params,
    ["id", "kind", "number", "issue_date", "due_date", "currency", "gross_amount", "amount_due", "status", "overdue", "order_id", "order_number"],
  );
  return rows.map(invoiceRow);
}

function overview(driver: SqlDriver, params: { today: string; seesInvoices: boolean; since: string; firstVisit: boolean }): Overview {
  const count = (query: string, values: SqlParam[] = []) => Number(driver.selectValue(query, values) ?? 0);
  const balances = params.seesInvoices
    ? driver.selectObjects<Row>(
        `SELECT i.currency, coalesce(sum(CASE WHEN i.kind = 'invoice' THEN ${cents("i.amount_due")} END), 0) AS open_cents,
                coalesce(sum(CASE WHEN i.kind = 'invoice' AND i.due_date < ?1 THEN ${cents("i.amount_due")} END), 0) AS overdue_cents,
                count(CASE WHEN i.kind = 'invoice' THEN 1 END) AS open_count,
                count(CASE WHEN i.kind = 'invoice' AND i.due_date < ?1 THEN 1 END) AS overdue_count,
                coalesce(sum(CASE WHEN i.kind = 'credit_note' THEN ${cents("i.amount_due")} END), 0) AS credit_cents
           FROM invoices i WHERE i.kind IN ('invoice', 'credit_note') AND i.status IN ${UNPAID}
          GROUP BY i.currency ORDER BY i.currency`,
        [params.today],
      )
    : [];
  return {
    openOrderCount: count(`SELECT count(*) FROM sales_orders WHERE status IN (${OPEN_ORDER_STATUSES.map(() => "?").join(", ")})`, OPEN_ORDER_STATUSES),
    shipmentsInTransit: count(`SELECT count(*) FROM shipments WHERE status IN ('in_transit', 'out_for_delivery')`),
    balances: balances.map((b) => ({
      currency: txt(b.currency), openAmount: centsText(b.open_cents) as string, overdueAmount: centsText(b.overdue_cents) as string,
      openCount: Number(b.open_count), overdueCount: Number(b.overdue_count), openCredit: centsText(b.credit_cents) as string,
    })),
    recentOrders: listOrders(driver, { limit: 8 }),
    overdueInvoices: params.seesInvoices ? listInvoices(driver, { state: "overdue", limit: 8, today: params.today }) : [],
    aging: params.seesInvoices ? replicaAging(driver, params.today) : [],
    activity: replicaActivity(driver, params, timestamp),
    invoicedMonths: params.seesInvoices ? replicaInvoicedMonths(driver, params.today) : [],
  };
}

function order(driver: SqlDriver, params: { id: string; seesInvoices: boolean }): OrderDetail | null {
  const [o] = driver.selectObjects<Row>(
    `SELECT o.*, l.name AS location_name FROM sales_orders o LEFT JOIN locations l ON l.id = o.location_id WHERE o.id = ?`,
    [params.id],
  );
  if (!o) return null;
  const children = (query: string) => driver.selectObjects<Row>(query, [params.id]);
  return {
    id: txt(o.id), number: txt(o.number), customerReference: str(o.customer_reference), orderDate: txt(o.order_date),
    status: txt(o.status), currency: txt(o.currency), grossAmount: txt(o.gross_amount), netAmount: txt(o.net_amount),
    taxAmount: txt(o.tax_amount), locationName: str(o.location_name), buyerName: str(o.buyer_name), lineCount: 0,
    requestedDeliveryDate: str(o.requested_delivery_date), promisedDeliveryDate: str(o.promised_delivery_date),
    shippingAddress: str(o.shipping_address),
    lines: children(`SELECT * FROM sales_order_lines WHERE sales_order_id = ? ORDER BY CAST(line_no AS INTEGER) NULLS LAST`).map((l) => ({
      lineNo: Number(l.line_no), sku: txt(l.sku), description: txt(l.description), unit: txt(l.unit),
      quantityOrdered: txt(l.quantity_ordered), quantityShipped: txt(l.quantity_shipped),
      quantityBackordered: txt(l.quantity_backordered), quantityInvoiced: txt(l.quantity_invoiced),
      unitPrice: txt(l.unit_price), netAmount: txt(l.net_amount),
    })),
    milestones: children(`SELECT * FROM order_milestones WHERE sales_order_id = ? ORDER BY coalesce(occurred_at, expected_at) NULLS LAST`).map((m) => ({
      kind: txt(m.kind), occurredAt: timestamp(m.occurred_at), expectedAt: timestamp(m.expected_at), note: str(m.note),
    })),
    shipments: children(`SELECT * FROM shipments WHERE sales_order_id = ? ORDER BY shipped_at NULLS LAST`).map((s) => ({
      id: txt(s.id), number: txt(s.number), carrier: txt(s.carrier), trackingNumber: str(s.tracking_number),
      trackingUrl: str(s.tracking_url), status: txt(s.status), shippedAt: timestamp(s.shipped_at),
    })),
    invoices: params.seesInvoices
      ? children(`SELECT * FROM invoices WHERE sales_order_id = ? ORDER BY issue_date NULLS LAST`).map((i) => ({
          id: txt(i.id), number: txt(i.number), kind: txt(i.kind), issueDate: txt(i.issue_date),
          grossAmount: txt(i.gross_amount), currency: txt(i.currency), status: txt(i.status),
        }))
      : [],
    documents: listDocuments(driver, { orderId: params.id, seesInvoices: params.seesInvoices }).filter((d) => !isInvoiceDocument(d)),
    returns: listReturnRequests(driver, { orderId: params.id }),
    tickets: listTickets(driver, { orderId: params.id }),
  };
}

function invoice(driver: SqlDriver, params: { id: string; today: string }): InvoiceDetail | null {
  const sql = new Sql();
  const overdue = overdueSql(sql, params.today);
  const [i] = driver.selectObjects<Row>(
    `SELECT i.*, ${overdue} AS overdue, o.id AS order_id, o.number AS order_number, p.id AS preceding_id, p.number AS preceding_number
       FROM invoices i LEFT JOIN sales_orders o ON o.id = i.sales_order_id LEFT JOIN invoices p ON p.id = i.preceding_invoice_id
      WHERE i.id = ${sql.bind(params.id)}`,
    sql.params,
  );
  if (!i) return null;
  const children = (query: string) => driver.selectObjects<Row>(query, [params.id]);
  return {
    ...invoiceRow(i),
    salesOrderId: str(i.sales_order_id), netAmount: txt(i.net_amount), taxAmount: txt(i.tax_amount),
    paidAmount: txt(i.paid_amount), paymentTerms: str(i.payment_terms),
    precedingInvoice: i.preceding_id !== null && i.preceding_number !== null ? { id: txt(i.preceding_id), number: txt(i.preceding_number) } : null,
    lines: children(`SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY CAST(line_no AS INTEGER) NULLS LAST`).map((l) => ({
      lineNo: Number(l.line_no), sku: str(l.sku), description: txt(l.description), quantity: txt(l.quantity), unit: txt(l.unit),
      unitPrice: txt(l.unit_price), netAmount: txt(l.net_amount), vatRate: txt(l.vat_rate),
    })),
    taxBreakdown: children(
      `SELECT * FROM invoice_tax_breakdown WHERE invoice_id = ? ORDER BY CAST(vat_rate AS REAL) DESC NULLS FIRST, vat_category NULLS LAST`,
    ).map((t) => ({ vatCategory: txt(t.vat_category), vatRate: txt(t.vat_rate), taxableAmount: txt(t.taxable_amount), taxAmount: txt(t.tax_amount) })),
    payments: children(`SELECT * FROM payments WHERE invoice_id = ? ORDER BY paid_at NULLS LAST`).map((p) => ({
      paidAt: txt(p.paid_at), amount: txt(p.amount), method: str(p.method), reference: str(p.reference),
    })),
  };
}

function listShipments(driver: SqlDriver, filters: ListFilters): ShipmentRow[] {
  const sql = new Sql();
  let where = "";
  if (filters.q) {
    const q = contains(filters.q);
    where = `WHERE pg_ilike(s.number, ${sql.bind(q)}) OR pg_ilike(s.tracking_number, ${sql.bind(q)}) OR pg_ilike(o.number, ${sql.bind(q)})`;
  }
  const rows = selectRows(
    driver,
    `SELECT s.id, s.number, s.carrier, s.tracking_number, s.tracking_url, s.status, s.shipped_at, s.estimated_delivery_at, s.delivered_at,
            o.id AS order_id, o.number AS order_number
       FROM shipments s LEFT JOIN sales_orders o ON o.id = s.sales_order_id ${where}
      ORDER BY s.shipped_at DESC NULLS FIRST, s.number DESC NULLS FIRST LIMIT ${sql.bind(filters.limit ?? LIST_LIMIT)}`,
    sql.params,
    ["id", "number", "carrier", "tracking_number", "tracking_url", "status", "shipped_at", "estimated_delivery_at", "delivered_at", "order_id", "order_number"],
  );
  return rows.map((s) => ({
    id: txt(s.id), number: txt(s.number), carrier: txt(s.carrier), trackingNumber: str(s.tracking_number),
    trackingUrl: str(s.tracking_url), status: txt(s.status), shippedAt: timestamp(s.shipped_at),
    estimatedDeliveryAt: timestamp(s.estimated_delivery_at), deliveredAt: timestamp(s.delivered_at), orderId: str(s.order_id),
    orderNumber: str(s.order_number),
  }));
}

function shipment(driver: SqlDriver, params: { id: string }): ShipmentDetail | null {
  const [s] = driver.selectObjects<Row>(
    `SELECT s.*, l.name AS location_name, o.id AS order_id, o.number AS order_number, o.customer_reference
       FROM shipments s LEFT JOIN locations l ON l.id = s.location_id LEFT JOIN sales_orders o ON o.id = s.sales_order_id
      WHERE s.id = ?`,
    [params.id],
  );
  if (!s) return null;
  const children = (query: string, values: SqlParam[] = [params.id]) => driver.selectObjects<Row>(query, values);
  const siblings = s.order_id === null ? [] : children(`SELECT id FROM shipments WHERE sales_order_id = ? ORDER BY shipped_at NULLS LAST, number`, [s.order_id]);
  const index = siblings.findIndex((x) => x.id === params.id);
  const count = (value: string | number | null) => (value === null ? null : Number(value));
  return {
    id: txt(s.id), number: txt(s.number), carrier: txt(s.carrier), service: str(s.service), trackingNumber: str(s.tracking_number),
    trackingUrl: str(s.tracking_url), status: txt(s.status), shippedAt: timestamp(s.shipped_at), estimatedDeliveryAt: timestamp(s.estimated_delivery_at),
    deliveredAt: timestamp(s.delivered_at), packageCount: count(s.package_count), grossWeightKg: str(s.gross_weight_kg), shipTo: str(s.ship_to),
    locationName: str(s.location_name),
    order: s.order_id !== null && s.order_number !== null ? { id: txt(s.order_id), number: txt(s.order_number), customerReference: str(s.customer_reference) } : null,
    deliveryNotes: children(`SELECT id, number, issue_date FROM delivery_notes WHERE shipment_id = ? ORDER BY issue_date NULLS LAST`).map((d) => ({
      id: txt(d.id), number: txt(d.number), issueDate: txt(d.issue_date),
    })),
    lines: children(
      `SELECT sl.line_no, sl.sku, sl.description, sl.quantity, sl.unit, ol.quantity_ordered AS ordered
         FROM shipment_lines sl LEFT JOIN sales_order_lines ol ON ol.id = sl.sales_order_line_id
        WHERE sl.shipment_id = ? ORDER BY CAST(sl.line_no AS INTEGER) NULLS LAST, sl.sku NULLS LAST`,
    ).map((l) => ({ lineNo: count(l.line_no), sku: str(l.sku), description: txt(l.description), quantity: txt(l.quantity), unit: txt(l.unit), ordered: str(l.ordered) })),
    trackingEvents: children(`SELECT * FROM tracking_events WHERE shipment_id = ? ORDER BY occurred_at DESC NULLS FIRST`).map((e) => ({
      occurredAt: timestamp(e.occurred_at) as Date, statusCode: str(e.status_code), description: txt(e.description), place: str(e.place),
    })),
    partOfOrder: siblings.length > 1 && index >= 0 ? { index: index + 1, of: siblings.length } : null,
  };
}

/** The orders list's filter values: the replica holds exactly the locations and cost centers the contact may see. */
function orderFilterOptions(driver: SqlDriver): OrderFilterOptions {
  const named = (query: string) => driver.selectObjects<Row>(query).map((r) => ({ id: txt(r.id), name: txt(r.name) }));
  return sortFilterOptions({
    locations: named(`SELECT id, name FROM locations`),
    costCenters: named(`SELECT id, name FROM cost_centers`),
    buyers: driver.selectObjects<Row>(`SELECT DISTINCT buyer_name FROM sales_orders WHERE buyer_name IS NOT NULL`).map((r) => txt(r.buyer_name)),
  });
}

function listDocuments(driver: SqlDriver, filters: ListFilters & { seesInvoices: boolean; orderId?: string }): DocumentRow[] {
  const sql = new Sql();
  // Invoices, credit notes and statements (also as ERP files) are finance documents.
  // Every branch names its columns: the first one present names the union's.
  const sources = [
    ...(filters.seesInvoices ? [`SELECT i.id, i.kind AS type, i.number, i.issue_date AS issue_date, i.sales_order_id AS order_id FROM invoices i`] : []),
    `SELECT d.id, 'delivery_note' AS type, d.number, d.issue_date AS issue_date, d.sales_order_id AS order_id FROM delivery_notes d`,
    `SELECT c.id, 'order_confirmation' AS type, c.number, c.issue_date AS issue_date, c.sales_order_id AS order_id FROM order_confirmations c`,
    `SELECT q.id, 'quote' AS type, q.number, q.issue_date AS issue_date, q.sales_order_id AS order_id FROM quotes q`,
    // issued_at::date on the server, whose session runs in UTC like the replica's text.
    `SELECT df.id, 'file' AS type, df.title AS number, substr(df.issued_at, 1, 10) AS issue_date, df.sales_order_id AS order_id
       FROM document_files df ${filters.seesInvoices ? "" : `WHERE df.document_type NOT IN ('invoice', 'credit_note', 'statement')`}`,
  ];
  const where: string[] = [];
  if (filters.orderId) where.push(`docs.order_id = ${sql.bind(filters.orderId)}`);
  if (filters.q) {
    const q = contains(filters.q);
    where.push(`(pg_ilike(docs.number, ${sql.bind(q)}) OR pg_ilike(o.number, ${sql.bind(q)}))`);
  }
  const rows = selectRows(
    driver,
    `SELECT docs.*, o.number AS order_number FROM (${sources.join(" UNION ALL ")}) docs
       LEFT JOIN sales_orders o ON o.id = docs.order_id ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY docs.issue_date DESC NULLS LAST, docs.number DESC NULLS FIRST, docs.id LIMIT ${sql.bind(filters.limit ?? LIST_LIMIT)}`,
    sql.params,
    ["id", "type", "number", "issue_date", "order_id", "order_number"],
  );
  return rows.map((d) => ({
    id: txt(d.id), type: txt(d.type) as DocumentRow["type"], number: txt(d.number), issueDate: str(d.issue_date) as string,
    orderId: str(d.order_id), orderNumber: str(d.order_number),
  }));
}

function listQuotes(driver: SqlDriver, filters: ListFilters): QuoteRow[] {
  const sql = new Sql();
  let where = "";
  if (filters.q) {
    const q = contains(filters.q);
    where = `WHERE pg_ilike(q.number, ${sql.bind(q)}) OR pg_ilike(q.customer_reference, ${sql.bind(q)})`;
  }
  const rows = selectRows(
    driver,
    `SELECT * FROM quotes q ${where} ORDER BY q.issue_date DESC NULLS FIRST, q.number DESC NULLS FIRST LIMIT ${sql.bind(filters.limit ?? LIST_LIMIT)}`,
    sql.params,
    ["id", "number", "issue_date", "valid_until", "status", "currency", "gross_amount", "customer_reference"],
  );
  return rows.map((q) => ({
    id: txt(q.id), number: txt(q.number), issueDate: txt(q.issue_date), validUntil: str(q.valid_until), status: txt(q.status),
    currency: txt(q.currency), grossAmount: txt(q.gross_amount), customerReference: str(q.customer_reference),
  }));
}

/** The quote page (quotes.server.ts getQuote). */
function quote(driver: SqlDriver, params: { id: string }): QuoteDetail | null {
  const [q] = driver.selectObjects<Row>(
    `SELECT q.*, o.id AS order_id, o.number AS order_number FROM quotes q LEFT JOIN sales_orders o ON o.id = q.sales_order_id WHERE q.id = ?`,
    [params.id],
  );
  if (!q) return null;
  return {
    id: txt(q.id), number: txt(q.number), issueDate: txt(q.issue_date), validUntil: str(q.valid_until), status: txt(q.status),
    currency: txt(q.currency), grossAmount: txt(q.gross_amount), customerReference: str(q.customer_reference),
    netAmount: txt(q.net_amount), taxAmount: txt(q.tax_amount), note: str(q.note), decidedAt: timestamp(q.decided_at),
    orderId: str(q.order_id), orderNumber: str(q.order_number),
    lines: driver.selectObjects<Row>(`SELECT * FROM quote_lines WHERE quote_id = ? ORDER BY CAST(line_no AS INTEGER) NULLS LAST`, [params.id]).map((l) => ({
      lineNo: Number(l.line_no), sku: str(l.sku), description: txt(l.description), quantity: txt(l.quantity), unit: txt(l.unit),
      unitPrice: txt(l.unit_price), discountPercent: txt(l.discount_percent), netAmount: txt(l.net_amount),
    })),
  };
}

/** The Returns page (returns.server.ts listReturnRequests). */
function listReturnRequests(driver: SqlDriver, filters: { orderId?: string } = {}): ReturnRequestRow[] {
  const rows = selectRows(
    driver,
    `SELECT r.id, r.number, r.reason, r.status, r.created_at, o.id AS order_id, o.number AS order_number
       FROM return_requests r LEFT JOIN sales_orders o ON o.id = r.sales_order_id ${filters.orderId ? "WHERE r.sales_order_id = ?" : ""}
      ORDER BY r.created_at DESC, r.number DESC LIMIT ${LIST_LIMIT}`,
    filters.orderId ? [filters.orderId] : [],
    ["id", "number", "reason", "status", "created_at", "order_id", "order_number"],
  );
  return rows.map((r) => ({
    id: txt(r.id), number: txt(r.number), reason: txt(r.reason), status: txt(r.status), createdAt: timestamp(r.created_at) as Date,
    orderId: str(r.order_id), orderNumber: str(r.order_number),
  }));
}

/** The Support page (tickets.server.ts listTickets). */
function listTickets(driver: SqlDriver, filters: { orderId?: string } = {}): TicketRow[] {
  const rows = selectRows(
    driver,
    `SELECT * FROM support_tickets t ${filters.orderId ? "WHERE t.related_entity_type = 'sales_order' AND t.related_entity_id = ?" : ""}
      ORDER BY t.updated_at DESC, t.number DESC LIMIT ${LIST_LIMIT}`,
    filters.orderId ? [filters.orderId] : [],
    ["id", "number", "subject", "category", "priority", "status", "created_at", "updated_at"],
  );
  return rows.map((t) => ({
    id: txt(t.id), number: txt(t.number), subject: txt(t.subject), category: txt(t.category), priority: txt(t.priority), status: txt(t.status),
    createdAt: timestamp(t.created_at) as Date, updatedAt: timestamp(t.updated_at) as Date,
  }));
}

type Handlers = { [N in PortalQueryName]: (driver: SqlDriver, params: PortalQueryMap[N]["params"]) => PortalQueryMap[N]["result"] };


/** Registered in queries.ts; every handler checks its parameters (they come from the page). */
export const PORTAL_HANDLERS: Handlers = {
  "portal.overview": (driver, p) =>
    overview(driver, { today: day(p.today), seesInvoices: flag(p.seesInvoices, "seesInvoices"), since: String(p.since), firstVisit: flag(p.firstVisit, "firstVisit") }),
  "portal.orders": (driver, p) =>
    listOrders(driver, {
      q: text(p.q, "q"), status: text(p.status, "status"), from: date(p.from, "from"), to: date(p.to, "to"),
      locationId: text(p.locationId, "locationId"), costCenterId: text(p.costCenterId, "costCenterId"), buyer: text(p.buyer, "buyer"), limit: limit(p.limit),
    }),
  "portal.order-filters": (driver) => orderFilterOptions(driver),
  "portal.order": (driver, p) => order(driver, { id: id(p.id), seesInvoices: flag(p.seesInvoices, "seesInvoices") }),
  "portal.invoices": (driver, p) => {
    const state = text(p.state, "state");
    if (state !== undefined && !(INVOICE_STATES as readonly string[]).includes(state)) throw new ReplicaQueryError(`Unknown invoice state ${state}`);
    return listInvoices(driver, { q: text(p.q, "q"), state: state as InvoiceState, limit: limit(p.limit), today: day(p.today) });
  },
  "portal.invoice": (driver, p) => invoice(driver, { id: id(p.id), today: day(p.today) }),
  "portal.shipments": (driver, p) => listShipments(driver, { q: text(p.q, "q"), limit: limit(p.limit) }),
  "portal.shipment": (driver, p) => shipment(driver, { id: id(p.id) }),
  "portal.documents": (driver, p) => listDocuments(driver, { q: text(p.q, "q"), limit: limit(p.limit), seesInvoices: flag(p.seesInvoices, "seesInvoices") }),
  "portal.quotes": (driver, p) => listQuotes(driver, { q: text(p.q, "q"), limit: limit(p.limit) }),
  "portal.quote": (driver, p) => quote(driver, { id: id(p.id) }),
  "portal.returns": (driver) => listReturnRequests(driver),
  "portal.tickets": (driver) => listTickets(driver),
};
