import type { GeneratorContext } from "./context";
import type { InvDoc, InvItem } from "./domain";
import { addInvoiceRow } from "./invoices";
import { addPayment } from "./payments";
import { computeLineNets, invoiceTotals } from "./pricing";

/** Credit notes against an invoice: partial (damaged goods) or full (whole delivery returned). */

export function addCreditNote(ctx: GeneratorContext, inv: InvDoc, mode: "partial" | "full", day: number) {
  if (day > -1 || !inv.order) return;
  const { acc } = inv;
  const { rng } = acc;
  let items: InvItem[];
  if (mode === "full") items = inv.items.map((i) => ({ ...i }));
  else {
    const goods = inv.items.filter((i) => i.line.product.kind !== "service");
    const pick = rng.pick(goods.length ? goods : inv.items);
    const step = pick.line.product.qty[2] * 1000;
    const units = pick.qtyMilli / step;
    const q = units >= 2 ? step * Math.max(1, Math.floor(units * (0.15 + rng.next() * 0.35))) : pick.qtyMilli;
    items = [{ line: pick.line, qtyMilli: q }];
  }
  // A full credit mirrors the invoice, document-level allowances and charges included.
  const acs = mode === "full" ? inv.acs.map((a) => ({ ...a })) : [];
  const lineNets = computeLineNets(items);
  const t = invoiceTotals(lineNets, acs);
  const groups = t.breakdown;
  const cn = addInvoiceRow(ctx, inv.order, "credit_note", day, lineNets, acs, t, { prepaid: 0, dueDay: null, deliveryDay: inv.day, preceding: inv });
  cn.row.payment_terms = acc.lang === "de" ? "Der Betrag wird Ihnen innerhalb von 14 Tagen erstattet." : "The amount will be refunded within 14 days.";
  ctx.afterNumbering.push(() => {
    const n = inv.row.number as string;
    const reason = mode === "full"
      ? acc.lang === "de" ? `Vollständige Gutschrift zu Rechnung ${n} (Rücksendung der gesamten Lieferung).` : `Full credit for invoice ${n} (entire delivery returned).`
      : acc.lang === "de" ? `Gutschrift zu Rechnung ${n}: Rücksendung beschädigter Ware.` : `Credit for invoice ${n}: damaged goods returned.`;
    const exempt = groups.filter((g) => g.tax.reason).map((g) => `${g.tax.reason}.`);
    cn.row.note = [reason, ...exempt].join(" ");
  });
  // Refunded two weeks later, if that has happened.
  const refundDay = ctx.cal.back(day + rng.int(7, 16));
  if (refundDay <= -1 && refundDay > day) addPayment(ctx, cn, refundDay, cn.gross, "refund");
}
