import { INVOICE_STATES, type InvoiceState } from "~/modules/invoices/states";
import type { Scope } from "~/modules/access/scope.server";
import { listInvoices } from "~/modules/invoices/invoices.server";
import { MAX_BULK_DOCUMENTS } from "./bulk-zip.server";
import { listDocuments } from "./documents.server";

/**
 * "Select all results": the ids of every row a list search shows, from the list's own scoped query
 * (invoices with q and state, documents with q), capped at the bulk limit + 1 so an oversized
 * selection is refused by the request schema rather than cut silently.
 */
export async function selectionFromList(scope: Scope, form: FormData): Promise<string[]> {
  const list = String(form.get("list"));
  const q = String(form.get("q") ?? "").slice(0, 100) || undefined;
  const limit = MAX_BULK_DOCUMENTS + 1;
  if (list === "invoices") {
    const state = String(form.get("state") ?? "");
    const rows = await listInvoices(scope, { q, limit, state: (INVOICE_STATES as readonly string[]).includes(state) ? (state as InvoiceState) : undefined });
    return rows.map((r) => `${r.kind}:${r.id}`);
  }
  if (list === "documents") {
    const rows = await listDocuments(scope, { q, limit });
    return rows.filter((r) => r.type !== "file").map((r) => `${r.type}:${r.id}`);
  }
  return [];
}
