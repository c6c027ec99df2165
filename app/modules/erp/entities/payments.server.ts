import type { Queryable } from "~/db/db.server";
import type { Row } from "./types";

/**
 * A payment sent on its own settles its invoice: paid amount, amount due and status follow from all
 * of the invoice's payments (the server is authoritative for money). A cancelled invoice stays
 * cancelled. Runs in the transaction that wrote the payments.
 */
export async function recomputeInvoicePayments(tx: Queryable, payments: Row[]): Promise<void> {
  const invoiceIds = [...new Set(payments.map((p) => String(p.invoice_id)))];
  if (invoiceIds.length === 0) return;
  await tx.query(
    `UPDATE invoices i
        SET paid_amount = s.paid,
            amount_due  = i.gross_amount - i.prepaid_amount - s.paid,
            status      = CASE WHEN i.status = 'cancelled' THEN i.status
                               WHEN i.gross_amount - i.prepaid_amount - s.paid <= 0 THEN 'paid'
                               WHEN s.paid > 0 THEN 'partially_paid'
                               ELSE 'open' END
       FROM (SELECT inv.id, coalesce(sum(p.amount), 0) AS paid
               FROM invoices inv LEFT JOIN payments p ON p.invoice_id = inv.id
              WHERE inv.id = ANY($1::uuid[])
              GROUP BY inv.id) s
      WHERE i.id = s.id
        AND (i.paid_amount, i.amount_due, i.status) IS DISTINCT FROM
            (s.paid, i.gross_amount - i.prepaid_amount - s.paid,
             CASE WHEN i.status = 'cancelled' THEN i.status
                  WHEN i.gross_amount - i.prepaid_amount - s.paid <= 0 THEN 'paid'
                  WHEN s.paid > 0 THEN 'partially_paid'
                  ELSE 'open' END)`,
    [invoiceIds],
  );
}
