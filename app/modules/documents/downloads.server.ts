import { getDb } from "~/db/connection.server";
import type { Scope } from "~/modules/access/scope.server";
import type { EInvoiceFormat } from "~/modules/einvoice/model";
import { recordDocumentAccess, type AccessOrigin } from "./access-log.server";
import { getInvoiceEInvoice, getInvoicePdf, sha256, type DocumentFile } from "./invoice-files.server";
import { getOrderDocumentPdf, type OrderDocumentType } from "./order-documents.server";
import { rememberFormat } from "./preferences.server";
import { getStatementPdf, type StatementRange } from "./statement.server";

/**
 * What the document routes call: fetch the file through the scope, record the view or download in
 * the audit trail, and (for e-invoices) remember the format the contact chose. Null: not found.
 */

export type AccessMode = "view" | "download";

export async function openInvoicePdf(scope: Scope, invoiceId: string, origin: AccessOrigin, mode: AccessMode): Promise<DocumentFile | null> {
  const result = await getInvoicePdf(scope, invoiceId);
  if (!result) return null;
  const { file, doc } = result;
  await recordDocumentAccess(await getDb(), origin, mode === "view" ? "document.view" : "document.download", [
    { type: doc.model.kind, id: doc.model.id, number: doc.model.number, format: "pdf", fileName: file.fileName, sha256: file.sha256, source: file.source },
  ]);
  return file;
}

/** Throws EInvoiceRefusedError when the invoice cannot be a valid e-invoice in `format` (nothing is recorded then). */
export async function downloadInvoiceEInvoice(scope: Scope, invoiceId: string, format: EInvoiceFormat, origin: AccessOrigin): Promise<DocumentFile | null> {
  const result = await getInvoiceEInvoice(scope, invoiceId, format);
  if (!result) return null;
  const { file, doc } = result;
  await recordDocumentAccess(await getDb(), origin, "document.download", [
    { type: doc.model.kind, id: doc.model.id, number: doc.model.number, format, fileName: file.fileName, sha256: file.sha256, source: file.source },
  ]);
  // Staff viewing as the contact leave the contact's remembered choice alone (decision 035).
  if (!scope.impersonatorUserId) await rememberFormat(scope, format);
  return file;
}

export async function openOrderDocumentPdf(scope: Scope, type: OrderDocumentType, id: string, origin: AccessOrigin, mode: AccessMode): Promise<DocumentFile | null> {
  const result = await getOrderDocumentPdf(scope, type, id);
  if (!result) return null;
  await recordDocumentAccess(await getDb(), origin, mode === "view" ? "document.view" : "document.download", [
    { type, id, number: result.number, format: "pdf", fileName: result.file.fileName, sha256: result.file.sha256, source: result.file.source },
  ]);
  return result.file;
}

export async function openStatementPdf(scope: Scope, range: StatementRange, origin: AccessOrigin, mode: AccessMode): Promise<DocumentFile | null> {
  const result = await getStatementPdf(scope, range);
  if (!result) return null;
  const bytes = Buffer.from(result.bytes);
  const file: DocumentFile = { fileName: result.fileName, contentType: "application/pdf", bytes, sha256: sha256(bytes), source: "rendered" };
  await recordDocumentAccess(await getDb(), origin, mode === "view" ? "document.view" : "document.download", [
    { type: "statement", id: result.statement.accountId, number: `${result.statement.accountNumber} ${range.from}–${range.to}`, format: "pdf", fileName: file.fileName, sha256: file.sha256 },
  ]);
  return file;
}
