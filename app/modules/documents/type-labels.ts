import type { DocumentRow } from "./documents.server";

/** What the portal calls each document type in its lists (the PDFs carry their own wording: labels.ts). */
export const DOCUMENT_TYPE_LABELS: Record<"en" | "de", Record<DocumentRow["type"], string>> = {
  en: {
    invoice: "Invoice",
    credit_note: "Credit note",
    delivery_note: "Delivery note",
    order_confirmation: "Order confirmation",
    quote: "Quote",
    file: "File",
  },
  de: {
    invoice: "Rechnung",
    credit_note: "Gutschrift",
    delivery_note: "Lieferschein",
    order_confirmation: "Auftragsbestätigung",
    quote: "Angebot",
    file: "Datei",
  },
};
