import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { contactCan } from "~/modules/access/permissions";
import { listInvoices, type InvoiceRow } from "~/modules/invoices/invoices.server";
import { listOrders, type OrderRow } from "~/modules/orders/orders.server";
import {
  ACTIVITY_LIMIT, completeAging, completeInvoicedMonths, invoicedSince,
  type Activity, type ActivityCounts, type AgingRow, type ChangedItem, type InvoicedMonths,
} from "./activity";

export interface Overview {
  openOrderCount: number;
  shipmentsInTransit: number;
  /** Per currency: what is still owed, and the part of it past due. */
  /**
   * Per currency: open invoices (amount, count, of them overdue) and, apart, what open credit notes
   * still owe the customer; the account's balance is the difference.
   */
  balances: { currency: string; openAmount: string; overdueAmount: string; openCount: number; overdueCount: number; openCredit: string }[];
  recentOrders: OrderRow[];
  overdueInvoices: InvoiceRow[];
  /** Open invoice amounts by how long they are overdue, per currency (finance roles only). */
  aging: AgingRow[];
  /** What changed since the contact's previous sign-in (or in the last 7 days on a first visit). */
  activity: Activity;
  /** Invoiced (net of credit notes) per month over the last year, per currency (finance roles only). */
  invoicedMonths: InvoicedMonths[];
}

/**
 * Where "what changed" starts: the previous sign-in, or on a first visit the start of the day a
 * week ago (UTC), so the server and the replica, asked in the same day, agree on it.
 */
export function activitySince(previousLoginAt: Date | null, now = new Date()): { since: Date; firstVisit: boolean } {
  if (previousLoginAt) return { since: previousLoginAt, firstVisit: false };
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 7));
  return { since: day, firstVisit: true };
}

const OPEN_ORDER_STATUSES = ["open", "confirmed", "in_production", "partially_shipped", "on_hold"];

export async function getOverview(scope: Scope, activityFrom: { since: Date; firstVisit: boolean }): Promise<Overview> {
  const db = await getDb();
  const orders = scopeFilter(scope, "o", 1);
  const shipments = scopeFilter(scope, "s", 1);
  const invoices = scopeFilter(scope, "i", 1);
  const seesMoney = contactCan(scope.role, "invoices.read");
  const [openOrders, inTransit, balances, recentOrders, overdueInvoices, aging, activity, invoicedMonths] = await Promise.all([
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
              coalesce(sum(i.amount_due) FILTER (WHERE i.kind = 'invoice'), 0)::numeric(14,2)::text AS "openAmount",
              coalesce(sum(i.amount_due) FILTER (WHERE i.kind = 'invoice' AND i.due_date < current_date), 0)::numeric(14,2)::text AS "overdueAmount",
              count(*) FILTER (WHERE i.kind = 'invoice') AS "openCount",
              count(*) FILTER (WHERE i.kind = 'invoice' AND i.due_date < current_date) AS "overdueCount",
              coalesce(sum(i.amount_due) FILTER (WHERE i.kind = 'credit_note'), 0)::numeric(14,2)::text AS "openCredit"
         FROM invoices i
        WHERE ${invoices.sql} AND i.kind IN ('invoice', 'credit_note') AND i.status IN ('open','partially_paid')
        GROUP BY i.currency ORDER BY i.currency`,
      invoices.params,
    ) : { rows: [], rowCount: 0 },
    listOrders(scope, { limit: 8 }),
    listInvoices(scope, { state: "overdue", limit: 8 }),
    seesMoney ? agingOf(scope) : Promise.resolve([]),
    activityOf(scope, activityFrom, seesMoney),
    seesMoney ? invoicedMonthsOf(scope) : Promise.resolve([]),
  ]);
  return {
    openOrderCount: openOrders.rows[0]?.count ?? 0,
    shipmentsInTransit: inTransit.rows[0]?.count ?? 0,
    balances: balances.rows,
    recentOrders,
    overdueInvoices,
    aging,
    activity,
    invoicedMonths,
  };
}

async function invoicedMonthsOf(scope: Scope): Promise<InvoicedMonths[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "i", 1);
  const today = (await db.query<{ today: string }>(`SELECT current_date::text AS today`)).rows[0].today;
  const { rows } = await db.query<{ currency: string; month: string; amount: string; count: number }>(
    `SELECT i.currency, to_char(i.issue_date, 'YYYY-MM') AS month,
            sum(CASE WHEN i.kind = 'credit_note' THEN -i.gross_amount ELSE i.gross_amount END)::numeric(14,2)::text AS amount,
            count(*)::int AS count
       FROM invoices i
      WHERE ${where.sql} AND i.kind IN ('invoice', 'credit_note') AND i.issue_date >= $${where.params.length + 1}::date
        AND i.issue_date <= $${where.params.length + 2}::date
      GROUP BY 1, 2`,
    [...where.params, invoicedSince(today), today],
  );
  return completeInvoicedMonths(rows, today);
}

async function agingOf(scope: Scope): Promise<AgingRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "i", 1);
  const { rows } = await db.query<{ currency: string; bucket: string; amount: string; count: number }>(
    `SELECT i.currency,
            CASE WHEN i.due_date IS NULL OR i.due_date >= current_date THEN 'current'
                 WHEN current_date - i.due_date <= 30 THEN '1-30'
                 WHEN current_date - i.due_date <= 60 THEN '31-60'
                 WHEN current_date - i.due_date <= 90 THEN '61-90'
                 ELSE '90+' END AS bucket,
            sum(i.amount_due)::numeric(14,2)::text AS amount, count(*)::int AS count
       FROM invoices i
      WHERE ${where.sql} AND i.kind = 'invoice' AND i.status IN ('open','partially_paid')
      GROUP BY 1, 2`,
    where.params,
  );
  return completeAging(rows);
}

async function activityOf(scope: Scope, from: { since: Date; firstVisit: boolean }, seesMoney: boolean): Promise<Activity> {
  const db = await getDb();
  const o = scopeFilter(scope, "o", 2);
  const i = scopeFilter(scope, "i", 2);
  const s = scopeFilter(scope, "s", 2);
  // The three filters number their parameters alike ($2, $3), so one parameter list serves all.
  const params = [from.since, ...o.params];
  // After an ERP bulk import everything "changed" this week: count in SQL and send only the newest.
  const { rows } = await db.query<ChangedItem & ActivityCounts>(
    `SELECT type, id, number, status, at,
            count(*) FILTER (WHERE type = 'order') OVER () AS orders,
            count(*) FILTER (WHERE type IN ('invoice', 'credit_note')) OVER () AS invoices,
            count(*) FILTER (WHERE type = 'shipment') OVER () AS shipments
       FROM (
       SELECT 'order' AS type, o.id, o.number, o.status, o.updated_at AS at FROM sales_orders o WHERE ${o.sql} AND o.updated_at > $1
       UNION ALL
       SELECT i.kind, i.id, i.number, i.status, i.updated_at FROM invoices i WHERE ${i.sql} AND i.updated_at > $1 AND ${seesMoney}
       UNION ALL
       SELECT 'shipment', s.id, s.number, s.status, coalesce(s.delivered_at, s.shipped_at) FROM shipments s
        WHERE ${s.sql} AND coalesce(s.delivered_at, s.shipped_at) > $1
     ) changed ORDER BY at DESC, number DESC LIMIT ${ACTIVITY_LIMIT}`,
    params,
  );
  return {
    since: from.since,
    firstVisit: from.firstVisit,
    items: rows.map(({ type, id, number, status, at }) => ({ type, id, number, status, at })),
    counts: { orders: Number(rows[0]?.orders ?? 0), invoices: Number(rows[0]?.invoices ?? 0), shipments: Number(rows[0]?.shipments ?? 0) },
  };
}
