import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { contactCan } from "~/modules/access/permissions";
import { listInvoices, type InvoiceRow } from "~/modules/invoices/invoices.server";
import { listOrders, type OrderRow } from "~/modules/orders/orders.server";

export interface Overview {
  openOrderCount: number;
  shipmentsInTransit: number;
  /** Per currency: what is still owed, and the part of it past due. */
  balances: { currency: string; openAmount: string; overdueAmount: string; openCount: number; overdueCount: number }[];
  recentOrders: OrderRow[];
  overdueInvoices: InvoiceRow[];
}

const OPEN_ORDER_STATUSES = ["open", "confirmed", "in_production", "partially_shipped", "on_hold"];

export async function getOverview(scope: Scope): Promise<Overview> {
  const db = await getDb();
  const orders = scopeFilter(scope, "o", 1);
  const shipments = scopeFilter(scope, "s", 1);
  const invoices = scopeFilter(scope, "i", 1);
  const seesMoney = contactCan(scope.role, "invoices.read");
  const [openOrders, inTransit, balances, recentOrders, overdueInvoices] = await Promise.all([
    db.query<{ count: number }>(
      `SELECT count(*) AS count FROM sales_orders o WHERE ${orders.sql} AND o.status = ANY($${orders.params.length + 1})`,
      [...orders.params, OPEN_ORDER_STATUSES],
    ),
    db.query<{ count: number }>(
      `SELECT count(*) AS count FROM shipments s WHERE ${shipments.sql} AND s.status IN ('in_transit','out_for_delivery')`,
      shipments.params,
    ),
    seesMoney ? db.query<Overview["balances"][number]>(
      `SELECT i.currency,
              sum(i.amount_due)::numeric(14,2)::text AS "openAmount",
              coalesce(sum(i.amount_due) FILTER (WHERE i.due_date < current_date), 0)::numeric(14,2)::text AS "overdueAmount",
              count(*) AS "openCount",
              count(*) FILTER (WHERE i.due_date < current_date) AS "overdueCount"
         FROM invoices i
        WHERE ${invoices.sql} AND i.kind = 'invoice' AND i.status IN ('open','partially_paid')
        GROUP BY i.currency ORDER BY i.currency`,
      invoices.params,
    ) : { rows: [], rowCount: 0 },
    listOrders(scope, { limit: 8 }),
    listInvoices(scope, { state: "overdue", limit: 8 }),
  ]);
  return {
    openOrderCount: openOrders.rows[0]?.count ?? 0,
    shipmentsInTransit: inTransit.rows[0]?.count ?? 0,
    balances: balances.rows,
    recentOrders,
    overdueInvoices,
  };
}
