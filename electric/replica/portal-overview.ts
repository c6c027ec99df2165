import {
  ACTIVITY_LIMIT, completeAging, completeInvoicedMonths, invoicedSince, type Activity, type AgingRow, type ChangedItem, type InvoicedMonths,
} from "~/modules/overview/activity";
import type { SqlDriver } from "./driver";

/**
 * The overview's aging and "what changed" on the replica, equal to overview.server.ts (checked
 * side by side in portal-queries.test.ts). Timestamps in the replica are Postgres text in UTC
 * ('2026-11-20 10:00:00.123456+00'), so `since` is compared in that same form.
 */
type Row = Record<string, string | number | null>;

const cents = (column: string) => `CAST(replace(${column}, '.', '') AS INTEGER)`;

function centsText(value: string | number | null): string {
  const n = BigInt(value ?? 0);
  const abs = n < 0n ? -n : n;
  return `${n < 0n ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export function replicaAging(driver: SqlDriver, today: string): AgingRow[] {
  const rows = driver.selectObjects<Row>(
    `SELECT i.currency,
            CASE WHEN i.due_date IS NULL OR i.due_date >= ?1 THEN 'current'
                 WHEN julianday(?1) - julianday(i.due_date) <= 30 THEN '1-30'
                 WHEN julianday(?1) - julianday(i.due_date) <= 60 THEN '31-60'
                 WHEN julianday(?1) - julianday(i.due_date) <= 90 THEN '61-90'
                 ELSE '90+' END AS bucket,
            sum(${cents("i.amount_due")}) AS amount_cents, count(*) AS n
       FROM invoices i WHERE i.kind = 'invoice' AND i.status IN ('open','partially_paid')
      GROUP BY 1, 2`,
    [today],
  );
  return completeAging(rows.map((r) => ({ currency: String(r.currency), bucket: String(r.bucket), amount: centsText(r.amount_cents), count: Number(r.n) })));
}

export function replicaInvoicedMonths(driver: SqlDriver, today: string): InvoicedMonths[] {
  const rows = driver.selectObjects<Row>(
    `SELECT i.currency, substr(i.issue_date, 1, 7) AS month,
            sum(CASE WHEN i.kind = 'credit_note' THEN -${cents("i.gross_amount")} ELSE ${cents("i.gross_amount")} END) AS amount_cents, count(*) AS n
       FROM invoices i WHERE i.kind IN ('invoice', 'credit_note') AND i.issue_date >= ?1 AND i.issue_date <= ?2
      GROUP BY 1, 2`,
    [invoicedSince(today), today],
  );
  return completeInvoicedMonths(
    rows.map((r) => ({ currency: String(r.currency), month: String(r.month), amount: centsText(r.amount_cents), count: Number(r.n) })),
    today,
  );
}

/** Postgres' text form of an instant in UTC, as the replica stores timestamptz. */
function postgresUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error("since must be an ISO timestamp");
  const micros = date.getUTCMilliseconds() ? `.${String(date.getUTCMilliseconds()).padStart(3, "0")}` : "";
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}${micros}+00`;
}

export function replicaActivity(
  driver: SqlDriver,
  params: { since: string; firstVisit: boolean; seesInvoices: boolean },
  toDate: (value: string | number | null) => Date | null,
): Activity {
  const since = postgresUtc(params.since);
  // Counted in SQL, only the newest leave SQLite (overview.server.ts does the same).
  const rows = driver.selectObjects<Row>(
    `SELECT type, id, number, status, at,
            count(*) FILTER (WHERE type = 'order') OVER () AS orders,
            count(*) FILTER (WHERE type IN ('invoice', 'credit_note')) OVER () AS invoices,
            count(*) FILTER (WHERE type = 'shipment') OVER () AS shipments
       FROM (
       SELECT 'order' AS type, o.id, o.number, o.status, o.updated_at AS at FROM sales_orders o WHERE o.updated_at > ?1
       UNION ALL
       SELECT i.kind, i.id, i.number, i.status, i.updated_at FROM invoices i WHERE i.updated_at > ?1 AND ?2
       UNION ALL
       SELECT 'shipment', s.id, s.number, s.status, coalesce(s.delivered_at, s.shipped_at) FROM shipments s
        WHERE coalesce(s.delivered_at, s.shipped_at) > ?1
     ) ORDER BY at DESC, number DESC LIMIT ${ACTIVITY_LIMIT}`,
    [since, params.seesInvoices ? 1 : 0],
  );
  const items: ChangedItem[] = rows.map((r) => ({
    type: String(r.type) as ChangedItem["type"],
    id: String(r.id),
    number: String(r.number),
    status: String(r.status),
    at: toDate(r.at) as Date,
  }));
  return {
    since: new Date(params.since),
    firstVisit: params.firstVisit,
    items,
    counts: { orders: Number(rows[0]?.orders ?? 0), invoices: Number(rows[0]?.invoices ?? 0), shipments: Number(rows[0]?.shipments ?? 0) },
  };
}
