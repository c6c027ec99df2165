import { createHash } from "node:crypto";
import type { Queryable } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import type { Scope } from "~/modules/access/scope.server";
import { getBlobStore, sniffType } from "~/modules/blobs/blob-store.server";
import { buildEInvoiceXml, checkEInvoiceFormats, eInvoiceFileName, safeFileName, type FormatAvailability } from "~/modules/einvoice/formats";
import { loadInvoiceDocument, loadSeller, type InvoiceDocument } from "~/modules/einvoice/load.server";
import { FORMAT_INFO, type EInvoiceFormat } from "~/modules/einvoice/model";
import { renderInPool } from "~/modules/pdf/render-pool.server";
import type { InvoicePdfData } from "~/modules/pdf/templates/invoice";
import { getPreferredFormat } from "./preferences.server";
import { renderCached } from "./render-cache.server";

/**
 * Invoice and credit-note files: the PDF (the ERP's original when it supplied one, else rendered
 * and cached), the e-invoice XML (validated, never emitted invalid) and the hybrid ZUGFeRD PDF.
 */

export interface DocumentFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
  source: "erp" | "cache" | "rendered" | "built";
}

export async function getInvoicePdf(scope: Scope, invoiceId: string): Promise<{ file: DocumentFile; doc: InvoiceDocument } | null> {
  const db = await getDb();
  const doc = await loadInvoiceDocument(db, scope, invoiceId);
  if (!doc) return null;
  return { file: await invoicePdfFile(db, doc), doc };
}

/** Throws EInvoiceRefusedError (with the rules) when the invoice cannot be a valid e-invoice of `format`. */
export async function getInvoiceEInvoice(scope: Scope, invoiceId: string, format: EInvoiceFormat): Promise<{ file: DocumentFile; doc: InvoiceDocument } | null> {
  const db = await getDb();
  const doc = await loadInvoiceDocument(db, scope, invoiceId);
  if (!doc) return null;
  return { file: await invoiceEInvoiceFile(db, doc, format), doc };
}

export interface InvoiceDownloads {
  formats: FormatAvailability[];
  preferred: EInvoiceFormat;
}

/** What the invoice page offers: each format, whether it can be exported and why not, and the contact's format. */
export async function describeInvoiceDownloads(scope: Scope, invoiceId: string): Promise<InvoiceDownloads | null> {
  const db = await getDb();
  const doc = await loadInvoiceDocument(db, scope, invoiceId);
  if (!doc) return null;
  return { formats: checkEInvoiceFormats(doc.model, scope.language), preferred: (await getPreferredFormat(scope)).format };
}

export function pdfFileName(doc: Pick<InvoiceDocument, "model">): string {
  return `${safeFileName(doc.model.number)}_${doc.model.kind === "credit_note" ? "credit-note" : "invoice"}.pdf`;
}

export async function pdfDataFor(db: Queryable, doc: InvoiceDocument): Promise<InvoicePdfData> {
  return {
    invoice: doc.model,
    seller: await loadSeller(db),
    lang: doc.language,
    accountNumber: doc.accountNumber,
    status: doc.status,
    amountDueNow: doc.amountDueNow,
    paidAmount: doc.paidAmount,
  };
}

/** The invoice PDF for an already scope-checked document. */
export async function invoicePdfFile(db: Queryable, doc: InvoiceDocument): Promise<DocumentFile> {
  const fileName = pdfFileName(doc);
  const original = await erpOriginal(db, doc);
  if (original) return { fileName, contentType: "application/pdf", bytes: original.bytes, sha256: original.sha256, source: "erp" };
  const rendered = await renderCached(db, { documentType: doc.model.kind, documentId: doc.model.id, documentVersion: doc.version, language: doc.language, format: "pdf" }, async () =>
    renderInPool({ kind: "invoice", data: await pdfDataFor(db, doc), createdAt: doc.updatedAt }),
  );
  return { fileName, contentType: "application/pdf", bytes: rendered.bytes, sha256: rendered.sha256, source: rendered.cached ? "cache" : "rendered" };
}

export async function invoiceEInvoiceFile(db: Queryable, doc: InvoiceDocument, format: EInvoiceFormat): Promise<DocumentFile> {
  const info = FORMAT_INFO[format];
  const fileName = eInvoiceFileName(doc.model, format);
  if (info.container === "xml") {
    const bytes = Buffer.from(buildEInvoiceXml(doc.model, format), "utf8");
    return { fileName, contentType: "application/xml; charset=utf-8", bytes, sha256: sha256(bytes), source: "built" };
  }
  // Validate before touching the cache: a refused invoice never gets a hybrid file.
  buildEInvoiceXml(doc.model, format);
  const rendered = await renderCached(db, { documentType: doc.model.kind, documentId: doc.model.id, documentVersion: doc.version, language: doc.language, format: format as "zugferd-en16931" | "zugferd-xrechnung" }, async () =>
    renderInPool({ kind: "hybrid", data: await pdfDataFor(db, doc), format, createdAt: doc.updatedAt }),
  );
  return { fileName, contentType: "application/pdf", bytes: rendered.bytes, sha256: rendered.sha256, source: rendered.cached ? "cache" : "rendered" };
}

const warnedMissing = new Set<string>();

/** The ERP-supplied PDF of this invoice, when the ERP sent one and its bytes are in the blob store. */
async function erpOriginal(db: Queryable, doc: InvoiceDocument): Promise<{ bytes: Buffer; sha256: string } | null> {
  const { rows } = await db.query<{ sha256: string }>(
    `SELECT sha256 FROM document_files
      WHERE document_type = $1 AND document_id = $2 AND content_type = 'application/pdf'
      ORDER BY erp_version DESC, updated_at DESC LIMIT 1`,
    [doc.model.kind, doc.model.id],
  );
  const row = rows[0];
  if (!row) return null;
  const bytes = await getBlobStore().read(row.sha256);
  if (!bytes || sniffType(bytes) !== "application/pdf") {
    if (!warnedMissing.has(row.sha256)) {
      warnedMissing.add(row.sha256);
      console.warn(`document_files names an ERP PDF ${row.sha256} for ${doc.model.number}, but the blob store has ${bytes ? "no PDF" : "no file"} under it; rendering instead.`);
    }
    return null;
  }
  return { bytes, sha256: row.sha256 };
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
