import type { Queryable } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { loadSeller } from "~/modules/einvoice/load.server";
import { safeFileName } from "~/modules/einvoice/formats";
import { isUuid } from "~/modules/ids";
import { renderInPool } from "~/modules/pdf/render-pool.server";
import type { CommercialPdfData } from "~/modules/pdf/templates/commercial";
import type { DeliveryNotePdfData } from "~/modules/pdf/templates/delivery-note";
import type { DocumentFile } from "./invoice-files.server";
import { renderCached } from "./render-cache.server";

/**
 * Delivery notes, order confirmations and quotes as PDFs: scope-checked, rendered from the ERP
 * records in the account's language and cached like invoices.
 */

export type OrderDocumentType = "delivery_note" | "order_confirmation" | "quote";

const TABLE: Record<OrderDocumentType, string> = { delivery_note: "delivery_notes", order_confirmation: "order_confirmations", quote: "quotes" };

interface Header {
  id: string;
  number: string;
  version: string;
  updatedAt: Date;
  language: "en" | "de";
}

/** The document's header if it is in scope; null otherwise (not yours answers like not there). */
export async function findOrderDocument(db: Queryable, scope: Scope, type: OrderDocumentType, id: string): Promise<Header | null> {
  if (!isUuid(id)) return null;
  const where = scopeFilter(scope, "d", 2);
  const { rows } = await db.query<Header>(
    `SELECT d.id, d.number, d.erp_version || '.' || (extract(epoch FROM d.updated_at) * 1000)::bigint AS version,
            d.updated_at AS "updatedAt", a.language
       FROM ${TABLE[type]} d JOIN accounts a ON a.id = d.account_id
      WHERE d.id = $1 AND ${where.sql}`,
    [id, ...where.params],
  );
  return rows[0] ?? null;
}

export async function getOrderDocumentPdf(scope: Scope, type: OrderDocumentType, id: string): Promise<{ file: DocumentFile; number: string } | null> {
  const db = await getDb();
  const header = await findOrderDocument(db, scope, type, id);
  if (!header) return null;
  return { file: await orderDocumentPdfFile(db, type, header), number: header.number };
}

export async function orderDocumentPdfFile(db: Queryable, type: OrderDocumentType, header: Header): Promise<DocumentFile> {
  const rendered = await renderCached(db, { documentType: type, documentId: header.id, documentVersion: header.version, language: header.language, format: "pdf" }, async () => {
    if (type === "delivery_note") return renderInPool({ kind: "delivery_note", data: await loadDeliveryNoteData(db, header.id), createdAt: header.updatedAt });
    return renderInPool({ kind: "commercial", data: await loadCommercialData(db, type, header.id), createdAt: header.updatedAt });
  });
  return {
    fileName: `${safeFileName(header.number)}_${type.replace("_", "-")}.pdf`,
    contentType: "application/pdf",
    bytes: rendered.bytes,
    sha256: rendered.sha256,
    source: rendered.cached ? "cache" : "rendered",
  };
}

interface BuyerRow {
  a_number: string;
  a_name: string;
  a_street: string | null;
  a_postal_code: string | null;
  a_city: string | null;
  a_country_code: string;
  a_language: "en" | "de";
}
const BUYER = `a.number AS a_number, a.name AS a_name, a.street AS a_street, a.postal_code AS a_postal_code, a.city AS a_city,
               a.country_code AS a_country_code, a.language AS a_language`;
const buyerOf = (r: BuyerRow) => ({ name: r.a_name, street: r.a_street, postalCode: r.a_postal_code, city: r.a_city, countryCode: r.a_country_code });

/** The delivery note as its template prints it (also used by scripts/documents-samples.ts). */
export async function loadDeliveryNoteData(db: Queryable, id: string): Promise<DeliveryNotePdfData> {
  const { rows } = await db.query<BuyerRow & { number: string; issue_date: string; ship_to: string | null; note: string | null; order_number: string | null; customer_reference: string | null; s_number: string | null; carrier: string | null; tracking_number: string | null }>(
    `SELECT d.number, d.issue_date, d.ship_to, d.note, o.number AS order_number, o.customer_reference,
            s.number AS s_number, s.carrier, s.tracking_number, ${BUYER}
       FROM delivery_notes d JOIN accounts a ON a.id = d.account_id
       LEFT JOIN sales_orders o ON o.id = d.sales_order_id LEFT JOIN shipments s ON s.id = d.shipment_id
      WHERE d.id = $1`,
    [id],
  );
  const h = rows[0];
  const lines = await db.query<DeliveryNotePdfData["lines"][number]>(
    `SELECT l.line_no AS "lineNo", l.sku, l.description, l.unit, l.quantity_delivered AS "quantityDelivered",
            l.quantity_backordered AS "quantityBackordered", ol.quantity_ordered AS "quantityOrdered"
       FROM delivery_note_lines l LEFT JOIN sales_order_lines ol ON ol.id = l.sales_order_line_id
      WHERE l.delivery_note_id = $1 ORDER BY l.line_no`,
    [id],
  );
  return {
    lang: h.a_language,
    seller: await loadSeller(db),
    number: h.number,
    issueDate: h.issue_date,
    accountNumber: h.a_number,
    buyer: buyerOf(h),
    shipTo: h.ship_to,
    orderNumber: h.order_number,
    customerReference: h.customer_reference,
    shipment: h.s_number ? { number: h.s_number, carrier: h.carrier, trackingNumber: h.tracking_number } : null,
    note: h.note,
    lines: lines.rows,
  };
}

/** The quote or order confirmation as its template prints it (also used by scripts/documents-samples.ts). */
export async function loadCommercialData(db: Queryable, kind: "order_confirmation" | "quote", id: string): Promise<CommercialPdfData> {
  const seller = await loadSeller(db);
  if (kind === "quote") {
    const { rows } = await db.query<BuyerRow & { number: string; issue_date: string; valid_until: string | null; currency: string; net_amount: string; tax_amount: string; gross_amount: string; customer_reference: string | null; note: string | null; order_number: string | null }>(
      `SELECT q.number, q.issue_date, q.valid_until, q.currency, q.net_amount, q.tax_amount, q.gross_amount, q.customer_reference, q.note,
              o.number AS order_number, ${BUYER}
         FROM quotes q JOIN accounts a ON a.id = q.account_id LEFT JOIN sales_orders o ON o.id = q.sales_order_id WHERE q.id = $1`,
      [id],
    );
    const h = rows[0];
    const lines = await db.query<CommercialPdfData["lines"][number]>(
      `SELECT line_no AS "lineNo", sku, description, quantity, unit, unit_price AS "unitPrice", discount_percent AS "discountPercent",
              vat_rate AS "vatRate", net_amount AS "netAmount"
         FROM quote_lines WHERE quote_id = $1 ORDER BY line_no`,
      [id],
    );
    return {
      kind, lang: h.a_language, seller, number: h.number, issueDate: h.issue_date, accountNumber: h.a_number, buyer: buyerOf(h), currency: h.currency,
      customerReference: h.customer_reference, orderNumber: h.order_number, validUntil: h.valid_until, promisedDeliveryDate: null,
      netAmount: h.net_amount, taxAmount: h.tax_amount, grossAmount: h.gross_amount, paymentTerms: seller.paymentTermsText, note: h.note, lines: lines.rows,
    };
  }
  const { rows } = await db.query<BuyerRow & { number: string; issue_date: string; currency: string; net_amount: string; tax_amount: string; gross_amount: string; promised_delivery_date: string | null; note: string | null; order_number: string; customer_reference: string | null; sales_order_id: string }>(
    `SELECT c.number, c.issue_date, c.currency, c.net_amount, c.tax_amount, c.gross_amount, c.promised_delivery_date, c.note,
            o.number AS order_number, o.customer_reference, c.sales_order_id, ${BUYER}
       FROM order_confirmations c JOIN accounts a ON a.id = c.account_id JOIN sales_orders o ON o.id = c.sales_order_id WHERE c.id = $1`,
    [id],
  );
  const h = rows[0];
  const lines = await db.query<CommercialPdfData["lines"][number]>(
    `SELECT line_no AS "lineNo", sku, description, quantity_ordered AS quantity, unit, unit_price AS "unitPrice",
            discount_percent AS "discountPercent", vat_rate AS "vatRate", net_amount AS "netAmount", promised_date AS "promisedDate"
       FROM sales_order_lines WHERE sales_order_id = $1 ORDER BY line_no`,
    [h.sales_order_id],
  );
  return {
    kind, lang: h.a_language, seller, number: h.number, issueDate: h.issue_date, accountNumber: h.a_number, buyer: buyerOf(h), currency: h.currency,
    customerReference: h.customer_reference, orderNumber: h.order_number, validUntil: null, promisedDeliveryDate: h.promised_delivery_date,
    netAmount: h.net_amount, taxAmount: h.tax_amount, grossAmount: h.gross_amount, paymentTerms: seller.paymentTermsText, note: h.note, lines: lines.rows,
  };
}
