import { Font, pdf } from "@react-pdf/renderer";
import layoutDocument, { type DocumentNode, type SafeDocumentNode, type SafeNode } from "@react-pdf/layout";
import renderPdf from "@react-pdf/render";
import PDFDocument from "pdfkit";
import type { ReactElement } from "react";
import { buildEInvoiceXml, embeddedXmlName } from "~/modules/einvoice/formats";
import { FORMAT_INFO, type EInvoiceFormat } from "~/modules/einvoice/model";
import { docLabel } from "~/modules/documents/labels";
import { preparePdfFonts } from "./assets.server";
import { pdfAOptions, preparePdfA, type FacturXAttachment, type PdfMetadata } from "./pdfa.server";
import { PaginationContext, type Pagination } from "./templates/layout";
import { InvoicePdf, type InvoicePdfData } from "./templates/invoice";
import { DeliveryNotePdf, type DeliveryNotePdfData } from "./templates/delivery-note";
import { CommercialPdf, type CommercialPdfData } from "./templates/commercial";
import { StatementPdf, type StatementPdfData } from "./templates/statement";

/**
 * Rendering of every document template to PDF/A-3b bytes. Runs inside the render workers
 * (render-worker.server.ts); the portal calls renderInPool. Bump TEMPLATE_VERSION
 * (template-version.ts) whenever a template's output changes.
 *
 * The steps of react-pdf's renderToBuffer, called one by one (layout, then drawing into a pdfkit
 * document we create), for two savings measured in bench/documents.bench.ts:
 * - The templates paginate their tables themselves, so the pages are laid out once as they are
 *   (no splitting, "page x of y" as text) instead of three times by react-pdf's pagination. When
 *   a page's content does not fit (paginateRows estimates line heights), the document is laid out
 *   again with react-pdf's pagination (templates/layout.tsx, Pagination), as before.
 * - PDF/A-3b is written by pdfkit as it writes the file (pdfa.server.ts), not by a second pass.
 */
// Its typings omit the font store that react-pdf's own renderer passes as the second argument.
const layoutWithFonts = layoutDocument as unknown as (root: DocumentNode, fonts: typeof Font) => Promise<SafeDocumentNode>;

/** Whether the body of a page laid out with the template's pagination grew past its minimum height: the page's content area (DocumentPage). */
function overflows(page: SafeNode): boolean {
  const body = page.children?.[0];
  return (body?.box?.height ?? 0) > Number(body?.style?.minHeight ?? Infinity) + 0.001;
}

async function render(element: ReactElement, meta: PdfMetadata, attachment?: FacturXAttachment): Promise<Uint8Array> {
  await preparePdfFonts();
  const layout = async (pagination: Pagination) => {
    const root = pdf(<PaginationContext.Provider value={pagination}>{element}</PaginationContext.Provider>).container.document;
    if (!root) throw new Error("the PDF template rendered no <Document>");
    return layoutWithFonts(root as DocumentNode, Font);
  };
  let laidOut = await layout("template");
  if (laidOut.children.some(overflows)) laidOut = await layout("react-pdf");
  const doc = new PDFDocument(pdfAOptions(meta));
  preparePdfA(doc, meta, attachment);
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  renderPdf(doc as unknown as Parameters<typeof renderPdf>[0], laidOut);
  await done;
  return Buffer.concat(chunks);
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
  const title = `${docLabel(data.lang, data.invoice.kind)} ${data.invoice.number}`;
  const pdf = await render(<InvoicePdf data={data} />, meta(data.lang, title, data.seller.party.name ?? "", title, createdAt, [data.invoice.number, "ZUGFeRD", "Factur-X"]), {
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
