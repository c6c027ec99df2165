/** The invoice list's state filter (server loader and replica read the same values). */
export const INVOICE_STATES = ["open", "partially_paid", "overdue", "paid", "credit_note"] as const;
export type InvoiceState = (typeof INVOICE_STATES)[number];
