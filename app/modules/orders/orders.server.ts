import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { contactCan } from "~/modules/access/permissions";
import { isUuid } from "~/modules/ids";
import { sortFilterOptions, type OrderFilterOptions } from "./filter-options";
import { LIST_LIMIT } from "~/modules/lists";
import { listDocuments, type DocumentRow } from "~/modules/documents/documents.server";
import { isInvoiceDocument } from "~/modules/documents/paths";
import { listReturnRequests, type ReturnRequestRow } from "~/modules/returns/returns.server";
import { listTickets, type TicketRow } from "~/modules/support/tickets.server";
export type { OrderFilterOptions } from "./filter-options";

export interface OrderRow {
  id: string;
  number: string;
  customerReference: string | null;
  orderDate: string;
  status: string;
  currency: string;
  grossAmount: string;
  locationName: string | null;
  buyerName: string | null;
  lineCount: number;
}

/** A list row also carries what the list filters by. */
export interface OrderListRow extends OrderRow {
  locationId: string | null;
  costCenterId: string | null;
  costCenterName: string | null;
}

export interface OrderFilters {
  q?: string;
  status?: string;
  /** Order dates from / to, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  locationId?: string;
  costCenterId?: string;
  /** The buyer's name, exactly. */
  buyer?: string;
  limit?: number;
}

export async function listOrders(scope: Scope, filters: OrderFilters = {}): Promise<OrderListRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "o", 1);
  const params = [...where.params];
  let sql = `SELECT o.id, o.number, o.customer_reference AS "customerReference", o.order_date AS "orderDate", o.status,
                    o.currency, o.gross_amount AS "grossAmount", l.name AS "locationName", o.buyer_name AS "buyerName",
                    (SELECT count(*) FROM sales_order_lines x WHERE x.sales_order_id = o.id) AS "lineCount",
                    o.location_id AS "locationId", o.cost_center_id AS "costCenterId", cc.name AS "costCenterName"
               FROM sales_orders o LEFT JOIN locations l ON l.id = o.location_id LEFT JOIN cost_centers cc ON cc.id = o.cost_center_id
              WHERE ${where.sql}`;
  if (filters.q) {
    params.push(`%${filters.q}%`);
    sql += ` AND (o.number ILIKE $${params.length} OR o.customer_reference ILIKE $${params.length})`;
  }
  if (filters.status) {
    params.push(filters.status);
    sql += ` AND o.status = $${params.length}`;
  }
  if (filters.from) {
    params.push(filters.from);
    sql += ` AND o.order_date >= $${params.length}::date`;
  }
  if (filters.to) {
    params.push(filters.to);
    sql += ` AND o.order_date <= $${params.length}::date`;
  }
  if (filters.locationId) {
    if (!isUuid(filters.locationId)) return [];
    params.push(filters.locationId);
    sql += ` AND o.location_id = $${params.length}`;
  }
  if (filters.costCenterId) {
    if (!isUuid(filters.costCenterId)) return [];
    params.push(filters.costCenterId);
    sql += ` AND o.cost_center_id = $${params.length}`;
  }
  if (filters.buyer) {
    params.push(filters.buyer);
    sql += ` AND o.buyer_name = $${params.length}`;
  }
  params.push(filters.limit ?? LIST_LIMIT);
  sql += ` ORDER BY o.order_date DESC, o.number DESC LIMIT $${params.length}`;
  return (await db.query<OrderListRow>(sql, params)).rows;
}

/** Every location, cost center and buyer of the contact's orders' accounts, for the list's filters. */
export async function listOrderFilterOptions(scope: Scope): Promise<OrderFilterOptions> {
  const db = await getDb();
  const orders = scopeFilter(scope, "o", 1);
  const accounts = [scope.accountIds];
  const [locations, costCenters, buyers] = await Promise.all([
    // A contact restricted to some locations sees only those (as the locations shape does).
    db.query<{ id: string; name: string }>(
      `SELECT l.id, l.name FROM locations l WHERE l.account_id = ANY($1::uuid[]) AND ($2::uuid[] IS NULL OR l.id = ANY($2::uuid[]))`,
      [scope.accountIds, scope.locationIds],
    ),
    db.query<{ id: string; name: string }>(`SELECT cc.id, cc.name FROM cost_centers cc WHERE cc.account_id = ANY($1::uuid[])`, accounts),
    db.query<{ buyer: string }>(`SELECT DISTINCT o.buyer_name AS buyer FROM sales_orders o WHERE ${orders.sql} AND o.buyer_name IS NOT NULL`, orders.params),
  ]);
  return sortFilterOptions({ locations: locations.rows, costCenters: costCenters.rows, buyers: buyers.rows.map((r) => r.buyer) });
}

export interface OrderDetail extends OrderRow {
  requestedDeliveryDate: string | null;
  promisedDeliveryDate: string | null;
  netAmount: string;
  taxAmount: string;
  shippingAddress: string | null;
  lines: {
    lineNo: number;
    sku: string;
    description: string;
    unit: string;
    quantityOrdered: string;
    quantityShipped: string;
    quantityBackordered: string;
    quantityInvoiced: string;
    unitPrice: string;
    netAmount: string;
  }[];
  milestones: { kind: string; occurredAt: Date | null; expectedAt: Date | null; note: string | null }[];
  shipments: { id: string; number: string; carrier: string; trackingNumber: string | null; trackingUrl: string | null; status: string; shippedAt: Date | null }[];
  invoices: { id: string; number: string; kind: string; issueDate: string; grossAmount: string; currency: string; status: string }[];
  /** Its confirmations, delivery notes, quote and ERP files (invoices are above, with their state). */
  documents: DocumentRow[];
  returns: ReturnRequestRow[];
  tickets: TicketRow[];
}

/** The order if it is in scope; null otherwise (the route answers 404 either way). */
export async function getOrder(scope: Scope, orderId: string): Promise<OrderDetail | null> {
  if (!isUuid(orderId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "o", 2);
  const { rows } = await db.query<Omit<OrderDetail, "lines" | "milestones" | "shipments" | "invoices">>(
    `SELECT o.id, o.number, o.customer_reference AS "customerReference", o.order_date AS "orderDate", o.status,
            o.currency, o.gross_amount AS "grossAmount", o.net_amount AS "netAmount", o.tax_amount AS "taxAmount",
            l.name AS "locationName", o.buyer_name AS "buyerName", 0 AS "lineCount",
            o.requested_delivery_date AS "requestedDeliveryDate", o.promised_delivery_date AS "promisedDeliveryDate",
            o.shipping_address AS "shippingAddress"
       FROM sales_orders o LEFT JOIN locations l ON l.id = o.location_id
      WHERE o.id = $1 AND ${where.sql}`,
    [orderId, ...where.params],
  );
  const order = rows[0];
  if (!order) return null;
  const [lines, milestones, shipments, invoices] = await Promise.all([
    db.query<OrderDetail["lines"][number]>(
      `SELECT line_no AS "lineNo", sku, description, unit, quantity_ordered AS "quantityOrdered",
              quantity_shipped AS "quantityShipped", quantity_backordered AS "quantityBackordered",
              quantity_invoiced AS "quantityInvoiced", unit_price AS "unitPrice", net_amount AS "netAmount"
         FROM sales_order_lines WHERE sales_order_id = $1 ORDER BY line_no`,
      [orderId],
    ),
    db.query<OrderDetail["milestones"][number]>(
      `SELECT kind, occurred_at AS "occurredAt", expected_at AS "expectedAt", note
         FROM order_milestones WHERE sales_order_id = $1 ORDER BY coalesce(occurred_at, expected_at)`,
      [orderId],
    ),
    db.query<OrderDetail["shipments"][number]>(
      `SELECT id, number, carrier, tracking_number AS "trackingNumber", tracking_url AS "trackingUrl", status, shipped_at AS "shippedAt"
         FROM shipments WHERE sales_order_id = $1 ORDER BY shipped_at NULLS LAST`,
      [orderId],
    ),
    db.query<OrderDetail["invoices"][number]>(
      `SELECT id, number, kind, issue_date AS "issueDate", gross_amount AS "grossAmount", currency, status
         FROM invoices WHERE sales_order_id = $1 ORDER BY issue_date`,
      [orderId],
    ),
  ]);
  const seesInvoices = contactCan(scope.role, "invoices.read");
  const [documents, returns, tickets] = await Promise.all([
    listDocuments(scope, { orderId }),
    listReturnRequests(scope, { orderId }),
    listTickets(scope, { orderId }),
  ]);
  return {
    ...order,
    lines: lines.rows,
    milestones: milestones.rows,
    shipments: shipments.rows,
    invoices: seesInvoices ? invoices.rows : [],
    documents: documents.filter((d) => !isInvoiceDocument(d)),
    returns,
    tickets,
  };
}
