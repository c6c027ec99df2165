import type { GeneratorContext } from "./context";
import type { Numbered } from "./domain";

/**
 * Document numbers and ERP ids, assigned once every document exists: numbers must follow document
 * dates, and documents are not generated in date order.
 */

const NUMBER_FORMAT: Record<Numbered["type"], { prefix: string; erp: string }> = {
  order: { prefix: "SO", erp: "41" },
  confirmation: { prefix: "OC", erp: "42" },
  shipment: { prefix: "SH", erp: "80" },
  delivery_note: { prefix: "DN", erp: "81" },
  invoice: { prefix: "INV", erp: "90" },
  credit_note: { prefix: "CN", erp: "91" },
  quote: { prefix: "QT", erp: "20" },
};

export function assignNumbers(ctx: GeneratorContext) {
  const perType = new Map<Numbered["type"], Numbered[]>();
  for (const n of ctx.numbered) {
    const list = perType.get(n.type) ?? [];
    list.push(n);
    perType.set(n.type, list);
  }
  for (const [type, list] of perType) {
    // Stable sort: creation order breaks ties, so numbers follow dates deterministically.
    list.sort((a, b) => a.day - b.day);
    const perYear = new Map<number, number>();
    list.forEach((n, i) => {
      const year = ctx.cal.year(n.day);
      const seq = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, seq);
      const { prefix, erp } = NUMBER_FORMAT[type];
      n.row.number = `${prefix}-${year}-${String(seq).padStart(5, "0")}`;
      n.row.erp_id = `${erp}${String(i + 1).padStart(8, "0")}`;
      for (const child of n.children) child.row.erp_id = `${n.row.erp_id as string}${child.suffix}`;
      if (type === "invoice" || type === "credit_note") n.row.payment_reference = n.row.number;
    });
  }
}

export function assignPaymentIds(ctx: GeneratorContext) {
  const sorted = [...ctx.tables.payments].sort((a, b) => String(a.paid_at).localeCompare(String(b.paid_at)));
  const invoiceNumbers = new Map(ctx.tables.invoices.map((i) => [i.id, i.number as string]));
  sorted.forEach((p, i) => {
    p.erp_id = `ZA${String(i + 1).padStart(8, "0")}`;
    p.reference = p.method === "refund" ? `Erstattung ${invoiceNumbers.get(p.invoice_id)}` : invoiceNumbers.get(p.invoice_id);
  });
}
