import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import type { DocumentType, SearchResult } from "../../../electric/replica/search";

/**
 * The server's answer to a search, for the first visit before the replica is synced and as the
 * baseline the replica is measured against (bench/search.bench.ts). Same result type as the
 * replica's FTS5 search; matching is substring (ILIKE) per term, every term must match.
 */
interface Source {
  type: DocumentType | "invoice_or_credit_note";
  finance?: boolean;
  /** SELECT … producing the SearchResult columns from alias `d`, plus a `haystack` text column. */
  select: string;
  alias: string;
}

const SOURCES: Source[] = [
  {
    type: "order",
    alias: "d",
    select: `SELECT 'order' AS type, d.id, d.number, d.customer_reference AS title, d.buyer_name AS subtitle, d.order_date::text AS date,
                    d.gross_amount::text AS amount, d.currency, d.status, d.id AS "orderId", d.number AS "orderNumber", d.location_id AS "locationId", d.cost_center_id AS "costCenterId",
                    concat_ws(' ', d.number, d.customer_reference, d.buyer_name, d.status,
                      (SELECT string_agg(concat_ws(' ', l.sku, l.description), ' ') FROM sales_order_lines l WHERE l.sales_order_id = d.id)) AS haystack
               FROM sales_orders d`,
  },
  {
    type: "invoice_or_credit_note",
    finance: true,
    alias: "d",
    select: `SELECT d.kind AS type, d.id, d.number, d.customer_reference AS title, o.number AS subtitle, d.issue_date::text AS date,
                    d.gross_amount::text AS amount, d.currency, d.status, d.sales_order_id AS "orderId", o.number AS "orderNumber", d.location_id AS "locationId", d.cost_center_id AS "costCenterId",
                    concat_ws(' ', d.number, d.customer_reference, o.number, d.status, d.payment_reference,
                      (SELECT string_agg(concat_ws(' ', l.sku, l.description), ' ') FROM invoice_lines l WHERE l.invoice_id = d.id)) AS haystack
               FROM invoices d LEFT JOIN sales_orders o ON o.id = d.sales_order_id`,
  },
  {
    type: "shipment",
    alias: "d",
    select: `SELECT 'shipment' AS type, d.id, d.number, d.carrier AS title, d.tracking_number AS subtitle, d.shipped_at::date::text AS date,
                    NULL AS amount, NULL AS currency, d.status, d.sales_order_id AS "orderId", o.number AS "orderNumber", d.location_id AS "locationId", NULL::uuid AS "costCenterId",
                    concat_ws(' ', d.number, d.carrier, d.tracking_number, o.number, d.status,
                      (SELECT string_agg(concat_ws(' ', l.sku, l.description), ' ') FROM shipment_lines l WHERE l.shipment_id = d.id)) AS haystack
               FROM shipments d LEFT JOIN sales_orders o ON o.id = d.sales_order_id`,
  },
  {
    type: "delivery_note",
    alias: "d",
    select: `SELECT 'delivery_note' AS type, d.id, d.number, NULL AS title, o.number AS subtitle, d.issue_date::text AS date,
                    NULL AS amount, NULL AS currency, NULL AS status, d.sales_order_id AS "orderId", o.number AS "orderNumber", d.location_id AS "locationId", NULL::uuid AS "costCenterId",
                    concat_ws(' ', d.number, o.number,
                      (SELECT string_agg(concat_ws(' ', l.sku, l.description), ' ') FROM delivery_note_lines l WHERE l.delivery_note_id = d.id)) AS haystack
               FROM delivery_notes d LEFT JOIN sales_orders o ON o.id = d.sales_order_id`,
  },
  {
    type: "order_confirmation",
    alias: "d",
    select: `SELECT 'order_confirmation' AS type, d.id, d.number, NULL AS title, o.number AS subtitle, d.issue_date::text AS date,
                    d.gross_amount::text AS amount, d.currency, NULL AS status, d.sales_order_id AS "orderId", o.number AS "orderNumber", d.location_id AS "locationId", NULL::uuid AS "costCenterId",
                    concat_ws(' ', d.number, o.number, o.customer_reference) AS haystack
               FROM order_confirmations d JOIN sales_orders o ON o.id = d.sales_order_id`,
  },
  {
    type: "quote",
    alias: "d",
    select: `SELECT 'quote' AS type, d.id, d.number, d.customer_reference AS title, NULL AS subtitle, d.issue_date::text AS date,
                    d.gross_amount::text AS amount, d.currency, d.status, d.sales_order_id AS "orderId", NULL AS "orderNumber", d.location_id AS "locationId", NULL::uuid AS "costCenterId",
                    concat_ws(' ', d.number, d.customer_reference, d.status,
                      (SELECT string_agg(concat_ws(' ', l.sku, l.description), ' ') FROM quote_lines l WHERE l.quote_id = d.id)) AS haystack
               FROM quotes d`,
  },
];

export interface ServerSearchOptions {
  types?: readonly DocumentType[];
  dateFrom?: string;
  dateTo?: string;
  status?: string;
  locationId?: string;
  costCenterId?: string;
  limit?: number;
}

export async function searchDocumentsOnServer(scope: Scope, query: string, options: ServerSearchOptions = {}): Promise<SearchResult[]> {
  const terms = query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const limit = Math.min(options.limit ?? 20, 100);
  const wanted = (type: Source["type"]) =>
    !options.types || (type === "invoice_or_credit_note" ? options.types.some((t) => t === "invoice" || t === "credit_note") : options.types.includes(type));
  const sources = SOURCES.filter((s) => wanted(s.type) && (!s.finance || contactCan(scope.role, "invoices.read")));
  if (sources.length === 0) return [];
  const params: unknown[] = [];
  const scopeParams = scopeFilter(scope, "d", 1).params;
  params.push(...scopeParams);
  const scopeSql = scopeFilter(scope, "d", 1).sql;
  const termParams = terms.map((term) => {
    params.push(`%${term.replace(/[%_\\]/g, "\\$&")}%`);
    return `$${params.length}`;
  });
  params.push(terms[0] ? `${terms[0].replace(/[%_\\]/g, "\\$&")}%` : "");
  const prefixParam = `$${params.length}`;
  params.push(limit);
  const union = sources.map((s) => `SELECT * FROM (${s.select} WHERE ${scopeSql}) x`).join("\nUNION ALL\n");
  const conditions = termParams.map((p) => `haystack ILIKE ${p}`);
  const filter = (sql: string, value: string | undefined) => {
    if (!value) return;
    params.splice(params.length - 1, 0, value);
    conditions.push(sql.replace("?", `$${params.length - 1}`));
  };
  if (options.types) {
    params.splice(params.length - 1, 0, options.types);
    conditions.push(`type = ANY($${params.length - 1}::text[])`);
  }
  filter(`date >= ?`, options.dateFrom);
  filter(`date <= ?`, options.dateTo);
  filter(`status = ?`, options.status);
  filter(`"locationId"::text = ?`, options.locationId);
  filter(`"costCenterId"::text = ?`, options.costCenterId);
  const termSql = conditions.join(" AND ") || "true";
  const db = await getDb();
  const { rows } = await db.query<Omit<SearchResult, "score"> & { score: number; costCenterId: string | null }>(
    `SELECT type, id, number, title, subtitle, date, amount, currency, status, "orderId", "orderNumber", "locationId",
            "costCenterId", CASE WHEN number ILIKE ${prefixParam} THEN 0 ELSE 1 END AS score
       FROM (${union}) docs
      WHERE ${termSql}
      ORDER BY score, date DESC NULLS LAST, number DESC
      LIMIT $${params.length}`,
    params,
  );
  return rows.map(({ costCenterId: _costCenterId, ...row }) => ({ ...row, score: terms.length > 0 ? row.score : null }));
}
