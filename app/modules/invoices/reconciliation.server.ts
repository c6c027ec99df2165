import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { isUuid } from "~/modules/ids";

export interface ReconciliationLine {
  lineNo: number;
  sku: string | null;
  description: string;
  unit: string;
  invoicedQuantity: string;
  invoicedPrice: string;
  invoicedNet: string;
  orderedQuantity: string | null;
  orderPrice: string | null;
  shippedQuantity: string | null;
  /** Everything invoiced for the order line so far, this invoice included. */
  invoicedToDate: string | null;
  issues: ("price-differs" | "more-than-shipped" | "more-than-ordered" | "no-order-line")[];
}

export interface Reconciliation {
  invoice: { id: string; number: string; kind: string; issueDate: string; dueDate: string | null; currency: string; grossAmount: string; amountDue: string; status: string };
  order: { id: string; number: string; customerReference: string | null; grossAmount: string } | null;
  lines: ReconciliationLine[];
  credits: { id: string; number: string; issueDate: string; grossAmount: string }[];
  payments: { paidAt: string; amount: string; method: string | null; reference: string | null }[];
  /** gross − credit notes − payments − prepaid: what should still be open. */
  expectedOpen: string;
}

/**
 * Invoice against order against payments, line by line, for a contact disputing an invoice: which
 * prices differ from the order, what was invoiced beyond what shipped, which credits and payments
 * count against it.
 */
export async function getReconciliation(scope: Scope, invoiceId: string): Promise<Reconciliation | null> {
  if (!isUuid(invoiceId) || !contactCan(scope.role, "invoices.read")) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "i", 2);
  const invoice = (
    await db.query<Reconciliation["invoice"] & { salesOrderId: string | null; prepaid: string }>(
      `SELECT i.id, i.number, i.kind, i.issue_date AS "issueDate", i.due_date AS "dueDate", i.currency, i.gross_amount::text AS "grossAmount",
              i.amount_due::text AS "amountDue", i.status, i.sales_order_id AS "salesOrderId", i.prepaid_amount::text AS prepaid
         FROM invoices i WHERE i.id = $1 AND ${where.sql}`,
      [invoiceId, ...where.params],
    )
  ).rows[0];
  if (!invoice) return null;
  const [order, lines, credits, payments] = await Promise.all([
    invoice.salesOrderId
      ? db.query<NonNullable<Reconciliation["order"]>>(
          `SELECT id, number, customer_reference AS "customerReference", gross_amount::text AS "grossAmount" FROM sales_orders WHERE id = $1`,
          [invoice.salesOrderId],
        )
      : Promise.resolve({ rows: [], rowCount: 0 }),
    db.query<Omit<ReconciliationLine, "issues">>(
      `SELECT il.line_no AS "lineNo", il.sku, il.description, il.unit, il.quantity::text AS "invoicedQuantity",
              il.unit_price::text AS "invoicedPrice", il.net_amount::text AS "invoicedNet",
              ol.quantity_ordered::text AS "orderedQuantity", ol.unit_price::text AS "orderPrice", ol.quantity_shipped::text AS "shippedQuantity",
              (SELECT sum(x.quantity)::text FROM invoice_lines x JOIN invoices xi ON xi.id = x.invoice_id
                WHERE x.sales_order_line_id = ol.id AND xi.kind = 'invoice' AND xi.status <> 'cancelled' AND xi.issue_date <= $2) AS "invoicedToDate"
         FROM invoice_lines il LEFT JOIN sales_order_lines ol ON ol.id = il.sales_order_line_id
        WHERE il.invoice_id = $1 ORDER BY il.line_no`,
      [invoiceId, invoice.issueDate],
    ),
    db.query<Reconciliation["credits"][number]>(
      `SELECT id, number, issue_date AS "issueDate", gross_amount::text AS "grossAmount" FROM invoices
        WHERE preceding_invoice_id = $1 AND kind = 'credit_note' AND status <> 'cancelled' ORDER BY issue_date`,
      [invoiceId],
    ),
    db.query<Reconciliation["payments"][number]>(
      `SELECT paid_at AS "paidAt", amount::text AS amount, method, reference FROM payments WHERE invoice_id = $1 ORDER BY paid_at`,
      [invoiceId],
    ),
  ]);
  const cents = (value: string | null) => Math.round(Number(value ?? 0) * 100);
  const expectedOpen =
    cents(invoice.grossAmount) -
    cents(invoice.prepaid) -
    credits.rows.reduce((sum, c) => sum + cents(c.grossAmount), 0) -
    payments.rows.reduce((sum, p) => sum + cents(p.amount), 0);
  const { salesOrderId: _salesOrderId, prepaid: _prepaid, ...invoiceFields } = invoice;
  return {
    invoice: invoiceFields,
    order: order.rows[0] ?? null,
    lines: lines.rows.map((line) => ({ ...line, issues: lineIssues(line) })),
    credits: credits.rows,
    payments: payments.rows,
    expectedOpen: (expectedOpen / 100).toFixed(2),
  };
}

function lineIssues(line: Omit<ReconciliationLine, "issues">): ReconciliationLine["issues"] {
  if (line.orderedQuantity === null) return ["no-order-line"];
  const issues: ReconciliationLine["issues"] = [];
  if (line.orderPrice !== null && Number(line.orderPrice) !== Number(line.invoicedPrice)) issues.push("price-differs");
  if (line.shippedQuantity !== null && Number(line.invoicedToDate ?? line.invoicedQuantity) > Number(line.shippedQuantity)) issues.push("more-than-shipped");
  if (Number(line.invoicedToDate ?? line.invoicedQuantity) > Number(line.orderedQuantity)) issues.push("more-than-ordered");
  return issues;
}
