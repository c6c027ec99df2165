import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { getDb } from "~/db/connection.server";
import type { Scope } from "~/modules/access/scope.server";
import { listInvoices } from "~/modules/invoices/invoices.server";
import { INVOICE_STATES } from "~/modules/invoices/states";
import { listOrders } from "~/modules/orders/orders.server";
import { listQuotes } from "~/modules/quotes/quotes.server";
import { listShipments } from "~/modules/shipments/shipments.server";
import { recordDocumentEvent, type AccessOrigin } from "./access-log.server";
import { listDocuments } from "./documents.server";

/**
 * CSV export of any list, with the filters the list page has (its query string). Each list's own
 * scoped query runs unchanged, so an export shows exactly the rows the page shows, up to 10,000.
 * Audited as document.export.
 */

export const EXPORT_LIMIT = 10_000;

export const ExportQuerySchema = z.object({
  list: z.enum(["invoices", "documents", "orders", "shipments", "quotes"]),
  q: z.string().max(100).optional(),
  state: z.enum(INVOICE_STATES).optional(),
  status: z.string().max(40).optional(),
});
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

type Cell = string | number | Date | null | undefined;

export async function exportListCsv(scope: Scope, query: ExportQuery, origin: AccessOrigin): Promise<{ csv: string; fileName: string; rows: number }> {
  const filters = { q: query.q || undefined, limit: EXPORT_LIMIT };
  let header: string[];
  let rows: Cell[][];
  switch (query.list) {
    case "invoices": {
      const list = await listInvoices(scope, { ...filters, state: query.state });
      header = ["number", "kind", "issue_date", "due_date", "order", "status", "overdue", "currency", "gross_amount", "amount_due"];
      rows = list.map((r) => [r.number, r.kind, r.issueDate, r.dueDate, r.orderNumber, r.status, r.overdue ? "yes" : "no", r.currency, r.grossAmount, r.amountDue]);
      break;
    }
    case "documents": {
      const list = await listDocuments(scope, filters);
      header = ["type", "number", "issue_date", "order"];
      rows = list.map((r) => [r.type, r.number, r.issueDate, r.orderNumber]);
      break;
    }
    case "orders": {
      const list = await listOrders(scope, { ...filters, status: query.status || undefined });
      header = ["number", "your_reference", "order_date", "status", "location", "buyer", "currency", "gross_amount"];
      rows = list.map((r) => [r.number, r.customerReference, r.orderDate, r.status, r.locationName, r.buyerName, r.currency, r.grossAmount]);
      break;
    }
    case "shipments": {
      const list = await listShipments(scope, filters);
      header = ["number", "order", "carrier", "tracking_number", "status", "shipped_at", "estimated_delivery_at", "delivered_at"];
      rows = list.map((r) => [r.number, r.orderNumber, r.carrier, r.trackingNumber, r.status, r.shippedAt, r.estimatedDeliveryAt, r.deliveredAt]);
      break;
    }
    case "quotes": {
      const list = await listQuotes(scope, filters);
      header = ["number", "issue_date", "valid_until", "status", "your_reference", "currency", "gross_amount"];
      rows = list.map((r) => [r.number, r.issueDate, r.validUntil, r.status, r.customerReference, r.currency, r.grossAmount]);
      break;
    }
  }
  const csv = stringify(
    rows.map((r) => r.map(cellText)),
    { header: true, columns: header },
  );
  await recordDocumentEvent(await getDb(), origin, "document.export", { list: query.list, filters: { q: query.q, state: query.state, status: query.status }, count: rows.length });
  return { csv: `\uFEFF${csv}`, fileName: `${query.list}_${new Date().toISOString().slice(0, 10)}.csv`, rows: rows.length };
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  return /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
}
