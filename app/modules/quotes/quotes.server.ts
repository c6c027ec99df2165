import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { isUuid } from "~/modules/ids";

export interface QuoteRow {
  id: string;
  number: string;
  issueDate: string;
  validUntil: string | null;
  status: string;
  currency: string;
  grossAmount: string;
  customerReference: string | null;
}

export async function listQuotes(scope: Scope, filters: { q?: string; limit?: number } = {}): Promise<QuoteRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "q", 1);
  const params = [...where.params];
  let sql = `SELECT q.id, q.number, q.issue_date AS "issueDate", q.valid_until AS "validUntil", q.status, q.currency,
                    q.gross_amount AS "grossAmount", q.customer_reference AS "customerReference"
               FROM quotes q WHERE ${where.sql}`;
  if (filters.q) {
    params.push(`%${filters.q}%`);
    sql += ` AND (q.number ILIKE $${params.length} OR q.customer_reference ILIKE $${params.length})`;
  }
  params.push(filters.limit ?? 500);
  sql += ` ORDER BY q.issue_date DESC, q.number DESC LIMIT $${params.length}`;
  return (await db.query<QuoteRow>(sql, params)).rows;
}

export interface QuoteDetail extends QuoteRow {
  netAmount: string;
  taxAmount: string;
  note: string | null;
  decidedAt: Date | null;
  /** The order an accepted quote became, when the contact can open it. */
  orderId: string | null;
  orderNumber: string | null;
  lines: {
    lineNo: number;
    sku: string | null;
    description: string;
    quantity: string;
    unit: string;
    unitPrice: string;
    discountPercent: string;
    netAmount: string;
  }[];
}

/** One quote with its lines; null when it is not in the scope (404). */
export async function getQuote(scope: Scope, quoteId: string): Promise<QuoteDetail | null> {
  if (!isUuid(quoteId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "q", 2);
  // The same scope for the order: a quote's order outside it (another location) is not linked.
  const orderInScope = scopeFilter(scope, "o", 2);
  const { rows } = await db.query<Omit<QuoteDetail, "lines">>(
    `SELECT q.id, q.number, q.issue_date AS "issueDate", q.valid_until AS "validUntil", q.status, q.currency,
            q.gross_amount AS "grossAmount", q.customer_reference AS "customerReference",
            q.net_amount AS "netAmount", q.tax_amount AS "taxAmount", q.note, q.decided_at AS "decidedAt",
            o.id AS "orderId", o.number AS "orderNumber"
       FROM quotes q LEFT JOIN sales_orders o ON o.id = q.sales_order_id AND ${orderInScope.sql}
      WHERE q.id = $1 AND ${where.sql}`,
    [quoteId, ...where.params],
  );
  const quote = rows[0];
  if (!quote) return null;
  const lines = await db.query<QuoteDetail["lines"][number]>(
    `SELECT line_no AS "lineNo", sku, description, quantity, unit, unit_price AS "unitPrice",
            discount_percent AS "discountPercent", net_amount AS "netAmount"
       FROM quote_lines WHERE quote_id = $1 ORDER BY line_no`,
    [quoteId],
  );
  return { ...quote, lines: lines.rows };
}
