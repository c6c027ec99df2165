/**
 * ERP records for tests and the ingest benchmark, against the demo seed: Kessler (ERP id 0000010001)
 * with its location 0000010001-WE01, and Nordhavn (0000010004).
 */

export const KESSLER = "0000010001";
export const KESSLER_LOCATION = "0000010001-WE01";
export const NORDHAVN = "0000010004";

export interface InvoiceFixture {
  erpId: string;
  erpVersion: number;
  accountErpId: string;
  locationErpId?: string;
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  lines: {
    lineNo: number;
    sku: string;
    description: string;
    quantity: string;
    unitPrice: string;
    vatCategory: string;
    vatRate: string;
  }[];
  [key: string]: unknown;
}

/** An invoice with `lines` lines of 19 % VAT; totals are left for the portal to compute. */
export function invoiceRecord(id: string, options: { version?: number; lines?: number; account?: string; location?: string | null } = {}): InvoiceFixture {
  const lines = options.lines ?? 3;
  return {
    erpId: `T${id}`,
    erpVersion: options.version ?? 1,
    accountErpId: options.account ?? KESSLER,
    ...(options.location === null ? {} : { locationErpId: options.location ?? KESSLER_LOCATION }),
    number: `T-INV-${id}`,
    issueDate: "2026-03-02",
    dueDate: "2026-04-01",
    currency: "EUR",
    lines: Array.from({ length: lines }, (_, i) => ({
      lineNo: i + 1,
      sku: `PMP-${(i % 7) + 1}`,
      description: `Pumpe Typ ${(i % 7) + 1}`,
      quantity: String(i + 1),
      unitPrice: `${100 + i}.50`,
      vatCategory: "S",
      vatRate: "19",
    })),
  };
}

/** What invoiceRecord's totals come to: gross amount in cents. */
export function invoiceGrossCents(record: InvoiceFixture): number {
  const net = record.lines.reduce((sum, l) => sum + Math.round(Number(l.quantity) * Number(l.unitPrice) * 100), 0);
  return net + Math.round(net * 0.19);
}

export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** A tiny valid PDF. */
export function pdfBytes(text = "Ledgerlight test"): Uint8Array<ArrayBuffer> {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
