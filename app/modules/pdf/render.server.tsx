import { renderToBuffer } from "@react-pdf/renderer";
import type { ReactElement } from "react";
import { buildEInvoiceXml, embeddedXmlName } from "~/modules/einvoice/formats";
import { FORMAT_INFO, type EInvoiceFormat } from "~/modules/einvoice/model";
import { docLabel } from "~/modules/documents/labels";
import { preparePdfFonts } from "./assets.server";
import { finalizePdfA, type PdfMetadata } from "./pdfa.server";
import { InvoicePdf, type InvoicePdfData } from "./templates/invoice";
import { DeliveryNotePdf, type DeliveryNotePdfData } from "./templates/delivery-note";
import { CommercialPdf, type CommercialPdfData } from "./templates/commercial";
import { StatementPdf, type StatementPdfData } from "./templates/statement";

/**
 * Rendering of every document template to PDF/A-3b bytes. Runs inside the render workers
 * (render-worker.server.ts); the portal calls renderInPool. Bump TEMPLATE_VERSION
 * (template-version.ts) whenever a template's output changes.
 */

async function render(element: ReactElement, meta: PdfMetadata): Promise<Uint8Array> {
  await preparePdfFonts();
  // react-pdf's element typing wants its Document props; the templates return a <Document>.
  const raw = await renderToBuffer(element as Parameters<typeof renderToBuffer>[0]);
  return finalizePdfA(raw, meta);
}

function meta(lang: "en" | "de", title: string, author: string, subject: string, createdAt: Date, keywords: string[]): PdfMetadata {
  return { title, author, subject, keywords, language: lang, createdAt };
}

export function renderInvoicePdf(data: InvoicePdfData, createdAt: Date): Promise<Uint8Array> {
  const title = `${docLabel(data.lang, data.invoice.kind)} ${data.invoice.number}`;
  return render(<InvoicePdf data={data} />, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.invoice.number, data.invoice.kind]));
}

/** ZUGFeRD 2.3 / Factur-X 1.07 hybrid: the invoice PDF as PDF/A-3b with the validated CII embedded. Throws EInvoiceRefusedError. */
export async function renderHybridInvoicePdf(data: InvoicePdfData, format: EInvoiceFormat, createdAt: Date): Promise<{ pdf: Uint8Array; xml: string }> {
  const info = FORMAT_INFO[format];
  if (info.container !== "pdf") throw new Error(`${format} is not a hybrid PDF format`);
  const xml = buildEInvoiceXml(data.invoice, format);
  await preparePdfFonts();
  const raw = await renderToBuffer((<InvoicePdf data={data} />) as Parameters<typeof renderToBuffer>[0]);
  const title = `${docLabel(data.lang, data.invoice.kind)} ${data.invoice.number}`;
  const pdf = await finalizePdfA(raw, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.invoice.number, "ZUGFeRD", "Factur-X"]), {
    fileName: embeddedXmlName(format) as "factur-x.xml" | "xrechnung.xml",
    xml,
    conformanceLevel: info.profile === "xrechnung" ? "XRECHNUNG" : "EN 16931",
  });
  return { pdf, xml };
}

export function renderDeliveryNotePdf(data: DeliveryNotePdfData, createdAt: Date): Promise<Uint8Array> {
  const title = `${docLabel(data.lang, "delivery_note")} ${data.number}`;
  return render(<DeliveryNotePdf data={data} />, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.number]));
}

export function renderCommercialPdf(data: CommercialPdfData, createdAt: Date): Promise<Uint8Array> {
  const title = `${docLabel(data.lang, data.kind)} ${data.number}`;
  return render(<CommercialPdf data={data} />, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.number]));
}

export function renderStatementPdf(data: StatementPdfData, createdAt: Date): Promise<Uint8Array> {
  const title = `${docLabel(data.lang, "statement")} ${data.accountNumber} ${data.from}–${data.to}`;
  return render(<StatementPdf data={data} />, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.accountNumber]));
}
