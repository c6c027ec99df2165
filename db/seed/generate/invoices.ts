import { money, percentOf, price, qty, rate } from "../money";
import type { GeneratorContext } from "./context";
import type { AllowanceCharge, InvDoc, InvItem, InvoiceFate, LineNet, Numbered, OrderDoc, Totals } from "./domain";
import { settleInvoice } from "./payments";
import { computeLineNets, invoiceTotals } from "./pricing";
import type { Row } from "./tables";

/**
 * Invoices (one per shipment) and the rows every invoice or credit note has: lines, document-level
 * allowances and charges, and the VAT breakdown.
 */

/** The invoice for one shipment (services go with the first), settled according to its fate. */
export function addInvoice(ctx: GeneratorContext, order: OrderDoc, items: InvItem[], day: number, fate: InvoiceFate): InvDoc {
  const { acc } = order;
  const { rng } = acc;
  const cal = ctx.cal;
  const fx = acc.country.fx;
  const lineNets = computeLineNets(items);
  const lineNetTotal = lineNets.reduce((s, l) => s + l.net, 0);
  const main = invoiceTotals(lineNets, []).breakdown.sort((a, b) => b.taxable - a.taxable)[0];

  // Document-level freight charge on small invoices, volume discount on large ones.
  const acs: AllowanceCharge[] = [];
  const eur = (cents: number) => Math.round(cents * fx);
  if (lineNetTotal < eur(50_000)) {
    const freight = acc.country.zone === "DE" ? 3950 : acc.country.zone === "EU" ? 8900 : 14900;
    acs.push({ isCharge: true, amount: eur(freight), base: null, percentBP: null, reason: acc.lang === "de" ? "Fracht und Verpackung" : "Freight and packing", code: "FC", tax: main.tax });
  }
  if (lineNetTotal >= eur(1_500_000)) {
    acs.push({ isCharge: false, amount: percentOf(main.taxable, 200), base: main.taxable, percentBP: 200, reason: acc.lang === "de" ? "Mengenrabatt 2 %" : "Volume discount 2 %", code: "95", tax: main.tax });
  }
  const t = invoiceTotals(lineNets, acs);
  const prepaid = acc.country.zone === "EXPORT" && t.gross >= eur(500_000) && rng.chance(0.5) ? percentOf(t.gross, 3000) : 0;
  const dueDay = day + acc.terms;
  const breakdown = t.breakdown;

  const inv = addInvoiceRow(ctx, order, "invoice", day, lineNets, acs, t, { prepaid, dueDay, deliveryDay: day, preceding: null });
  inv.row.payment_terms = acc.lang === "de"
    ? `Zahlbar bis ${cal.format(dueDay, "de")} ohne Abzug.${prepaid ? " Anzahlung bereits verrechnet." : ""}`
    : `Payable by ${cal.format(dueDay, "en")} without deduction.${prepaid ? " Advance payment already deducted." : ""}`;
  const orderNo = () => order.row.number as string;
  ctx.afterNumbering.push(() => {
    const notes: string[] = [];
    if (acc.lang === "de") notes.push(`Lieferung zu Auftrag ${orderNo()}.`);
    else notes.push(`Delivery for order ${orderNo()}.`);
    for (const b of breakdown) if (b.tax.reason) notes.push(`${b.tax.reason}.`);
    inv.row.note = notes.join(" ");
  });
  settleInvoice(ctx, inv, fate, dueDay);
  return inv;
}

export function addInvoiceRow(
  ctx: GeneratorContext,
  order: OrderDoc,
  kind: "invoice" | "credit_note",
  day: number,
  lineNets: LineNet[],
  acs: AllowanceCharge[],
  t: Totals,
  o: { prepaid: number; dueDay: number | null; deliveryDay: number; preceding: InvDoc | null },
): InvDoc {
  const { acc, loc } = order;
  const { rng } = acc;
  const cal = ctx.cal;
  const id = rng.uuid();
  const foreign = acc.country.currency !== "EUR";
  const row: Row = {
    id,
    erp_id: null,
    erp_version: 1,
    account_id: acc.id,
    location_id: loc.id,
    cost_center_id: order.row.cost_center_id,
    sales_order_id: order.id,
    kind,
    type_code: kind === "invoice" ? "380" : "381",
    number: null,
    issue_date: cal.date(day),
    due_date: o.dueDay != null ? cal.date(o.dueDay) : null,
    tax_point_date: null,
    delivery_date: cal.date(o.deliveryDay),
    service_period_start: null,
    service_period_end: null,
    currency: acc.country.currency,
    tax_currency: foreign ? "EUR" : null,
    buyer_reference: acc.buyerReference,
    customer_reference: order.row.customer_reference,
    preceding_invoice_id: o.preceding?.id ?? null,
    line_net_total: money(t.lineNetTotal),
    allowance_total: money(t.allowanceTotal),
    charge_total: money(t.chargeTotal),
    net_amount: money(t.net),
    tax_amount: money(t.taxTotal),
    tax_amount_in_tax_currency: foreign ? money(0) : null,
    gross_amount: money(t.gross),
    prepaid_amount: money(o.prepaid),
    paid_amount: money(0),
    amount_due: money(t.gross - o.prepaid),
    status: "open",
    payment_terms: null,
    payment_means_code: foreign ? "30" : "58",
    payment_reference: null,
    note: null,
  };
  ctx.tables.invoices.push(row);
  const numbered: Numbered = { type: kind, day, row, children: [] };
  ctx.numbered.push(numbered);
  lineNets.forEach((l, i) => {
    const line: Row = {
      id: rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      invoice_id: id,
      line_no: i + 1,
      sales_order_line_id: l.item.line.id,
      sku: l.item.line.product.sku,
      description: l.item.line.product[acc.lang],
      quantity: qty(l.item.qtyMilli),
      unit: l.item.line.product.unit,
      unit_price: price(l.item.line.priceTT),
      price_base_quantity: "1.000",
      line_allowance_amount: money(l.allowance),
      line_charge_amount: money(0),
      net_amount: money(l.net),
      vat_category: l.tax.category,
      vat_rate: rate(l.tax.rateBP),
      vat_exemption_reason: l.tax.reason,
    };
    ctx.tables.invoice_lines.push(line);
    numbered.children.push({ row: line, suffix: `/${String((i + 1) * 10).padStart(6, "0")}` });
  });
  acs.forEach((ac, i) => {
    ctx.tables.invoice_allowance_charges.push({
      id: rng.uuid(),
      account_id: acc.id,
      location_id: loc.id,
      invoice_id: id,
      seq: i + 1,
      is_charge: ac.isCharge,
      amount: money(ac.amount),
      base_amount: ac.base != null ? money(ac.base) : null,
      percent: ac.percentBP != null ? rate(ac.percentBP) : null,
      reason: ac.reason,
      reason_code: ac.code,
      vat_category: ac.tax.category,
      vat_rate: rate(ac.tax.rateBP),
    });
  });
  for (const b of t.breakdown) {
    ctx.tables.invoice_tax_breakdown.push({
      id: rng.uuid(),
      account_id: acc.id,
      location_id: loc.id,
      invoice_id: id,
      vat_category: b.tax.category,
      vat_rate: rate(b.tax.rateBP),
      taxable_amount: money(b.taxable),
      tax_amount: money(b.taxAmount),
      exemption_reason: b.tax.reason,
      exemption_reason_code: b.tax.code,
    });
  }
  const items = lineNets.map((l) => l.item);
  const inv: InvDoc = { id, acc, order, kind, row, day, items, gross: t.gross, prepaid: o.prepaid, payments: [], acs };
  acc.invoices.push(inv);
  order.invoices.push(inv);
  return inv;
}
