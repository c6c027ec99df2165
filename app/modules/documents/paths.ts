/** Where each document type's PDF is served (routes/_portal.*.pdf.ts). */
export function documentPdfPath(type: string, id: string): string | null {
  switch (type) {
    case "invoice":
    case "credit_note":
      return `/invoices/${id}/pdf`;
    case "delivery_note":
      return `/documents/delivery-notes/${id}/pdf`;
    case "order_confirmation":
      return `/documents/order-confirmations/${id}/pdf`;
    case "quote":
      return `/documents/quotes/${id}/pdf`;
    case "file":
      return `/documents/file?id=${id}`;
    default:
      return null;
  }
}

/** Invoices and credit notes, as documents (the order page lists them apart, with their state). */
export function isInvoiceDocument(document: { type: string }): boolean {
  return document.type === "invoice" || document.type === "credit_note";
}
