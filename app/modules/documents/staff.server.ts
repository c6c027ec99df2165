import { getDb } from "~/db/connection.server";
import { checkEInvoiceFormats, type FormatAvailability } from "~/modules/einvoice/formats";
import { loadInvoiceDocumentForStaff } from "~/modules/einvoice/load.server";
import { validateInvoice, type ValidationResult } from "~/modules/einvoice/validate";
import { firstCustomerViews, listDocumentAccess, type AccessEvent, type FirstView } from "./access-log.server";
import { getAccountDefaultFormat } from "./preferences.server";

/**
 * Staff views of documents (admin routes only; no customer scope): which invoices a customer has
 * opened and when first, and for one invoice what its e-invoice export needs fixing.
 */

export interface StaffDocumentRow {
  id: string;
  kind: string;
  number: string;
  issueDate: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  grossAmount: string;
  currency: string;
  status: string;
  firstView: FirstView | null;
}

export async function searchInvoicesForStaff(q: string | undefined, limit = 100): Promise<StaffDocumentRow[]> {
  const db = await getDb();
  const term = q?.trim() ? `%${q.trim()}%` : null;
  const { rows } = await db.query<Omit<StaffDocumentRow, "firstView">>(
    `SELECT i.id, i.kind, i.number, i.issue_date AS "issueDate", a.id AS "accountId", a.number AS "accountNumber", a.name AS "accountName",
            i.gross_amount AS "grossAmount", i.currency, i.status
       FROM invoices i JOIN accounts a ON a.id = i.account_id
      WHERE $1::text IS NULL OR i.number ILIKE $1 OR a.number ILIKE $1 OR a.name ILIKE $1
      ORDER BY i.issue_date DESC, i.number DESC LIMIT $2`,
    [term, limit],
  );
  const views = new Map<string, FirstView>();
  for (const kind of ["invoice", "credit_note"]) {
    const ids = rows.filter((r) => r.kind === kind).map((r) => r.id);
    for (const [id, view] of await firstCustomerViews(kind, ids)) views.set(id, view);
  }
  return rows.map((r) => ({ ...r, firstView: views.get(r.id) ?? null }));
}

export interface InvoiceReadiness {
  id: string;
  number: string;
  kind: string;
  accountId: string;
  accountNumber: string;
  buyerReference: string | null;
  en16931: ValidationResult;
  xrechnung: ValidationResult;
  formats: FormatAvailability[];
  accountDefault: string | null;
  firstView: FirstView | null;
  access: AccessEvent[];
}

export async function getInvoiceReadiness(invoiceId: string): Promise<InvoiceReadiness | null> {
  const db = await getDb();
  const doc = await loadInvoiceDocumentForStaff(db, invoiceId);
  if (!doc) return null;
  const [views, access, accountDefault] = await Promise.all([
    firstCustomerViews(doc.model.kind, [doc.model.id]),
    listDocumentAccess(doc.model.kind, doc.model.id),
    getAccountDefaultFormat(doc.accountId),
  ]);
  return {
    id: doc.model.id,
    number: doc.model.number,
    kind: doc.model.kind,
    accountId: doc.accountId,
    accountNumber: doc.accountNumber,
    buyerReference: doc.model.buyerReference,
    en16931: validateInvoice(doc.model, "en16931"),
    xrechnung: validateInvoice(doc.model, "xrechnung"),
    formats: checkEInvoiceFormats(doc.model, "en"),
    accountDefault,
    firstView: views.get(doc.model.id) ?? null,
    access,
  };
}
