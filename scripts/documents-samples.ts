/**
 * `npm run documents:samples -- <dir>`: writes, for every case of the e-invoice case table and for
 * a spread of seeded invoices and credit notes, the PDF, the hybrid ZUGFeRD PDFs and the XML in
 * every e-invoice format into <dir>, so external validators (KoSIT, Mustang, veraPDF …) can be run
 * over them. File names say number, kind and format; a refused format gets a .REFUSED.txt naming
 * the rules instead of a file. Uses DATABASE_URL, else the embedded database under DATA_DIR.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/db/connection.server";
import { invoiceCases } from "~/modules/einvoice/cases";
import { buildEInvoiceXml, eInvoiceFileName, safeFileName } from "~/modules/einvoice/formats";
import { loadInvoiceDocumentForStaff, loadSeller } from "~/modules/einvoice/load.server";
import { EINVOICE_FORMATS, FORMAT_INFO, type EInvoiceFormat, type InvoiceModel } from "~/modules/einvoice/model";
import { EInvoiceRefusedError } from "~/modules/einvoice/validate";
import { renderHybridInvoicePdf, renderInvoicePdf } from "~/modules/pdf/render.server";
import type { InvoicePdfData } from "~/modules/pdf/templates/invoice";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run documents:samples -- <output directory>");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const db = await getDb();
const seller = await loadSeller(db);
let written = 0;
let refused = 0;

async function writeAll(invoice: InvoiceModel, pdfData: InvoicePdfData, createdAt: Date, prefix: string) {
  const kind = invoice.kind === "credit_note" ? "credit-note" : "invoice";
  const base = `${prefix}${safeFileName(invoice.number)}_${kind}`;
  writeFileSync(path.join(dir, `${base}.pdf`), await renderInvoicePdf(pdfData, createdAt));
  written += 1;
  for (const format of EINVOICE_FORMATS as readonly EInvoiceFormat[]) {
    const name = `${prefix}${eInvoiceFileName(invoice, format)}`;
    try {
      const bytes = FORMAT_INFO[format].container === "pdf" ? (await renderHybridInvoicePdf(pdfData, format, createdAt)).pdf : buildEInvoiceXml(invoice, format);
      writeFileSync(path.join(dir, name), bytes);
      written += 1;
    } catch (error) {
      if (!(error instanceof EInvoiceRefusedError)) throw error;
      writeFileSync(path.join(dir, `${name}.REFUSED.txt`), error.violations.map((v) => `[${v.rule}] ${v.term}: ${v.message}`).join("\n") + "\n");
      refused += 1;
    }
  }
}

// Every case of the case table (file names start with "case-<id>_").
for (const c of invoiceCases()) {
  const data: InvoicePdfData = { invoice: c.invoice, seller: { ...seller, party: c.invoice.seller }, lang: "de", accountNumber: "CASE", status: "open", amountDueNow: c.invoice.totals.due, paidAmount: "0.00" };
  await writeAll(c.invoice, data, new Date(`${c.invoice.issueDate}T00:00:00Z`), `case-${c.id}_`);
}

// A spread of seeded documents: one per VAT situation, currency, kind and payment state.
const { rows } = await db.query<{ id: string }>(
  `SELECT DISTINCT ON (a.country_code, i.kind, i.status, (i.prepaid_amount > 0), (coalesce(i.buyer_reference, a.buyer_reference) IS NOT NULL)) i.id
     FROM invoices i JOIN accounts a ON a.id = i.account_id
    ORDER BY a.country_code, i.kind, i.status, (i.prepaid_amount > 0), (coalesce(i.buyer_reference, a.buyer_reference) IS NOT NULL), i.issue_date DESC`,
);
for (const { id } of rows) {
  const doc = (await loadInvoiceDocumentForStaff(db, id))!;
  const data: InvoicePdfData = { invoice: doc.model, seller, lang: doc.language, accountNumber: doc.accountNumber, status: doc.status, amountDueNow: doc.amountDueNow, paidAmount: doc.paidAmount };
  await writeAll(doc.model, data, doc.updatedAt, "");
}

console.log(`documents:samples: ${written} files and ${refused} refusals (.REFUSED.txt) for ${invoiceCases().length} cases and ${rows.length} seeded documents in ${path.resolve(dir)}`);
await db.close();
