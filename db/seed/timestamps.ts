import type { Row, Tables } from "./generate";

/**
 * Demo rows would otherwise all carry the seeding instant as created_at / updated_at, so "what
 * changed since your last visit" would list every document. Give the documents the time their
 * story last moved instead: an order its latest milestone, an invoice its latest payment.
 * Inserts do not fire the updated_at trigger, so these values stay.
 */
export function stampDocumentTimes(tables: Tables): void {
  const latest = (rows: Row[], key: string, at: string) => {
    const byParent = new Map<string, string>();
    for (const row of rows) {
      const parent = row[key] as string | null;
      const value = row[at] as string | null;
      if (parent && value && value > (byParent.get(parent) ?? "")) byParent.set(parent, value);
    }
    return byParent;
  };
  const morning = (date: unknown) => `${String(date).slice(0, 10)}T09:00:00Z`;
  const stamp = (row: Row, created: string, updated: string) => {
    row.created_at = created;
    row.updated_at = updated > created ? updated : created;
  };
  const milestones = latest(tables.order_milestones, "sales_order_id", "occurred_at");
  for (const order of tables.sales_orders) {
    stamp(order, morning(order.order_date), milestones.get(order.id as string) ?? morning(order.order_date));
  }
  const payments = latest(tables.payments, "invoice_id", "paid_at");
  for (const invoice of tables.invoices) {
    const paid = payments.get(invoice.id as string);
    stamp(invoice, morning(invoice.issue_date), paid ? morning(paid) : morning(invoice.issue_date));
  }
  for (const shipment of tables.shipments) {
    const at = (shipment.delivered_at ?? shipment.shipped_at) as string | null;
    if (shipment.shipped_at) stamp(shipment, String(shipment.shipped_at), at ?? String(shipment.shipped_at));
  }
  for (const quote of tables.quotes) stamp(quote, morning(quote.issue_date), morning(quote.issue_date));
}
