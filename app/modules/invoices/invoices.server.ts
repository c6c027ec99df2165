import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { contactCan } from "~/modules/access/permissions";
import { isUuid } from "~/modules/ids";

export interface InvoiceRow {
  id: string;
  kind: "invoice" | "credit_note";
  number: string;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  grossAmount: string;
  amountDue: string;
  status: string;
  /** open or partially paid, past its due date (derived, never stored). */
  overdue: boolean;
  /** The order's id when the contact may see the order (the list links the order number to it). */
  orderId: string | null;
  orderNumber: string | null;
}

import type { InvoiceState } from "./states";
import { LIST_LIMIT } from "~/modules/lists";
export type { InvoiceState } from "./states";

const OVERDUE_SQL = `(i.status IN ('open','partially_paid') AND i.due_date < current_date)`;

export async function listInvoices(
  scope: Scope,
  filters: { q?: string; state?: InvoiceState; limit?: number } = {},
): Promise<InvoiceRow[]> {
  if (!contactCan(scope.role, "invoices.read")) return [];
  const db = await getDb();
  const where = scopeFilter(scope, "i", 1);
  const params = [...where.params];
  let sql = `SELECT i.id, i.kind, i.number, i.issue_date AS "issueDate", i.due_date AS "dueDate", i.currency,
                    i.gross_amount AS "grossAmount", i.amount_due AS "amountDue", i.status,
                    ${OVERDUE_SQL} AS overdue, o.id AS "orderId", o.number AS "orderNumber"
               FROM invoices i LEFT JOIN sales_orders o ON o.id = i.sales_order_id
              WHERE ${where.sql}`;
  if (filters.q) {
    params.push(`%${filters.q}%`);
    sql += ` AND (i.number ILIKE $${params.length} OR o.number ILIKE $${params.length})`;
  }
  if (filters.state === "open") sql += ` AND i.kind = 'invoice' AND i.status IN ('open','partially_paid')`;
  if (filters.state === "partially_paid") sql += ` AND i.kind = 'invoice' AND i.status = 'partially_paid'`;
  if (filters.state === "overdue") sql += ` AND i.kind = 'invoice' AND ${OVERDUE_SQL}`;
  if (filters.state === "paid") sql += ` AND i.status = 'paid'`;
  if (filters.state === "credit_note") sql += ` AND i.kind = 'credit_note'`;
  params.push(filters.limit ?? LIST_LIMIT);
  sql += ` ORDER BY i.issue_date DESC, i.number DESC LIMIT $${params.length}`;
  return (await db.query<InvoiceRow>(sql, params)).rows;
}

export interface InvoiceDetail extends InvoiceRow {
  netAmount: string;
  taxAmount: string;
  paidAmount: string;
  paymentTerms: string | null;
  precedingInvoice: { id: string; number: string } | null;
  salesOrderId: string | null;
  lines: { lineNo: number; sku: string | null; description: string; quantity: string; unit: string; unitPrice: string; netAmount: string; vatRate: string }[];
  taxBreakdown: { vatCategory: string; vatRate: string; taxableAmount: string; taxAmount: string }[];
  payments: { paidAt: string; amount: string; method: string | null; reference: string | null }[];
}

export async function getInvoice(scope: Scope, invoiceId: string): Promise<InvoiceDetail | null> {
  if (!isUuid(invoiceId) || !contactCan(scope.role, "invoices.read")) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "i", 2);
  const { rows } = await db.query<InvoiceDetail & { precedingId: string | null; precedingNumber: string | null }>(
    `SELECT i.id, i.kind, i.number, i.issue_date AS "issueDate", i.due_date AS "dueDate", i.currency,
            i.gross_amount AS "grossAmount", i.amount_due AS "amountDue", i.status, ${OVERDUE_SQL} AS overdue,
            o.id AS "orderId", o.number AS "orderNumber", i.sales_order_id AS "salesOrderId", i.net_amount AS "netAmount",
            i.tax_amount AS "taxAmount", i.paid_amount AS "paidAmount", i.payment_terms AS "paymentTerms",
            p.id AS "precedingId", p.number AS "precedingNumber"
       FROM invoices i LEFT JOIN sales_orders o ON o.id = i.sales_order_id
       LEFT JOIN invoices p ON p.id = i.preceding_invoice_id
      WHERE i.id = $1 AND ${where.sql}`,
    [invoiceId, ...where.params],
  );
  const row = rows[0];
  if (!row) return null;
  const [lines, taxBreakdown, payments] = await Promise.all([
    db.query<InvoiceDetail["lines"][number]>(
      `SELECT line_no AS "lineNo", sku, description, quantity, unit, unit_price AS "unitPrice", net_amount AS "netAmount", vat_rate AS "vatRate"
         FROM invoice_lines WHERE invoice_id = $1 ORDER BY line_no`,
      [invoiceId],
    ),
    db.query<InvoiceDetail["taxBreakdown"][number]>(
      `SELECT vat_category AS "vatCategory", vat_rate AS "vatRate", taxable_amount AS "taxableAmount", tax_amount AS "taxAmount"
         FROM invoice_tax_breakdown WHERE invoice_id = $1 ORDER BY vat_rate DESC, vat_category`,
      [invoiceId],
    ),
    db.query<InvoiceDetail["payments"][number]>(
      `SELECT paid_at AS "paidAt", amount, method, reference FROM payments WHERE invoice_id = $1 ORDER BY paid_at`,
      [invoiceId],
    ),
  ]);
  const { precedingId, precedingNumber, ...invoice } = row;
  return {
    ...invoice,
    precedingInvoice: precedingId && precedingNumber ? { id: precedingId, number: precedingNumber } : null,
    lines: lines.rows,
    taxBreakdown: taxBreakdown.rows,
    payments: payments.rows,
  };
}
