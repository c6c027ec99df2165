/**
 * `npm run documents:samples -- <dir>`: writes, for every case of the e-invoice case table and for
 * a spread of seeded invoices and credit notes, the PDF, the hybrid ZUGFeRD PDFs and the XML in
 * every e-invoice format into <dir>, so external validators (KoSIT, Mustang, veraPDF …) can be run
 * over them. File names say number, kind and format; a refused format gets a .REFUSED.txt naming
 * the rules instead of a file. It also writes seeded quotes, order confirmations, delivery notes and
 * statements of account in English and German, to look at every template's layout in both
 * languages (`pdftoppm -png -r 80`). Uses DATABASE_URL, else the embedded database under DATA_DIR.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "~/db/connection.server";
import { invoiceCases } from "~/modules/einvoice/cases";
import { buildEInvoiceXml, eInvoiceFileName, safeFileName } from "~/modules/einvoice/formats";
import { loadInvoiceDocumentForStaff, loadSeller } from "~/modules/einvoice/load.server";
import { EINVOICE_FORMATS, FORMAT_INFO, type EInvoiceFormat, type InvoiceModel } from "~/modules/einvoice/model";
import { EInvoiceRefusedError } from "~/modules/einvoice/validate";
import { buildScope } from "~/modules/access/scope.server";
import { loadCommercialData, loadDeliveryNoteData } from "~/modules/documents/order-documents.server";
import { getStatement } from "~/modules/documents/statement.server";
import { renderCommercialPdf, renderDeliveryNotePdf, renderHybridInvoicePdf, renderInvoicePdf, renderStatementPdf } from "~/modules/pdf/render.server";
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

// Order documents and statements in both languages (file names end in _<type>.<lang>.pdf): the two
// documents of each type with the most lines, and a year's statement of two accounts.
const LANGS = ["en", "de"] as const;
let others = 0;
for (const [type, table, lineTable, key] of [
  ["quote", "quotes", "quote_lines", "quote_id"],
  ["order_confirmation", "order_confirmations", "sales_order_lines", "sales_order_id"],
  ["delivery_note", "delivery_notes", "delivery_note_lines", "delivery_note_id"],
] as const) {
  const joinKey = type === "order_confirmation" ? "d.sales_order_id" : "d.id";
  const docs = await db.query<{ id: string; number: string; updated_at: Date }>(
    `SELECT d.id, d.number, d.updated_at FROM ${table} d ORDER BY (SELECT count(*) FROM ${lineTable} l WHERE l.${key} = ${joinKey}) DESC, d.number LIMIT 2`,
  );
  for (const doc of docs.rows) {
    for (const lang of LANGS) {
      const bytes =
        type === "delivery_note"
          ? await renderDeliveryNotePdf({ ...(await loadDeliveryNoteData(db, doc.id)), lang }, doc.updated_at)
          : await renderCommercialPdf({ ...(await loadCommercialData(db, type, doc.id)), lang }, doc.updated_at);
      writeFileSync(path.join(dir, `${safeFileName(doc.number)}_${type.replace("_", "-")}.${lang}.pdf`), bytes);
      others += 1;
    }
  }
}
const contacts = await db.query<{ id: string; account_id: string; number: string; to: string }>(
  `SELECT DISTINCT ON (a.language) u.id, m.account_id, a.number, (SELECT max(issue_date)::text FROM invoices WHERE account_id = a.id) AS to
     FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id
    WHERE m.role IN ('admin', 'finance') AND a.status = 'active' AND EXISTS (SELECT 1 FROM invoices WHERE account_id = a.id)
    ORDER BY a.language, a.number`,
);
for (const c of contacts.rows) {
  const scope = (await buildScope(db, { id: c.id, language: "en" }, c.account_id))!;
  const to = c.to.slice(0, 10);
  const range = { from: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}`, to };
  const statement = (await getStatement(scope, range))!;
  for (const lang of LANGS) {
    writeFileSync(path.join(dir, `${c.number}_statement.${lang}.pdf`), await renderStatementPdf({ ...statement, lang, seller }, new Date(`${to}T00:00:00Z`)));
    others += 1;
  }
}

console.log(`documents:samples: ${written} files and ${refused} refusals (.REFUSED.txt) for ${invoiceCases().length} cases and ${rows.length} seeded documents, ${others} order documents and statements in ${path.resolve(dir)}`);
await db.close();
