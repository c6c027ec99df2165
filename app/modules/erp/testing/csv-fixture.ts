import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { KESSLER, KESSLER_LOCATION } from "./fixtures";

/**
 * Writes an invoice CSV feed of `rows` lines (one row per invoice line, `linesPerInvoice` lines per
 * invoice), streamed to disk, for the 1M-row memory test and the ingest benchmark. Columns are named
 * like the fields (the "standard" mapping).
 */
export const INVOICE_CSV_HEADER = [
  "erpId", "erpVersion", "accountErpId", "locationErpId", "number", "issueDate", "dueDate", "currency",
  "lines.lineNo", "lines.sku", "lines.description", "lines.quantity", "lines.unitPrice", "lines.vatCategory", "lines.vatRate",
];

export async function writeInvoiceCsv(file: string, rows: number, options: { linesPerInvoice?: number; prefix?: string; version?: number } = {}): Promise<{ invoices: number; bytes: number }> {
  const perInvoice = options.linesPerInvoice ?? 5;
  const prefix = options.prefix ?? "CSV";
  const version = options.version ?? 1;
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, "drain");
  };
  await write(`${INVOICE_CSV_HEADER.join(",")}\n`);
  let invoices = 0;
  for (let row = 0; row < rows; row++) {
    const invoice = Math.floor(row / perInvoice);
    const lineNo = (row % perInvoice) + 1;
    if (lineNo === 1) invoices++;
    const id = `${prefix}-${invoice}`;
    const day = String((invoice % 28) + 1).padStart(2, "0");
    await write(
      `${id},${version},${KESSLER},${KESSLER_LOCATION},${id},2026-02-${day},2026-03-${day},EUR,${lineNo},PMP-${lineNo},"Pumpe ${lineNo}, Edelstahl",${lineNo},${100 + lineNo}.25,S,19\n`,
    );
  }
  out.end();
  await once(out, "finish");
  return { invoices, bytes };
}
