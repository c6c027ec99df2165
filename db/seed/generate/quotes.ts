import { extend, money, percentOf, price, qty, rate } from "../money";
import type { GeneratorContext } from "./context";
import type { Acc, Loc, OrderDoc, PlanLine } from "./domain";
import { pickOrderLines, randomOrderPlan } from "./order-plans";
import { realizeOrder } from "./orders";
import { taxFor, taxGroups, unitPriceTT } from "./pricing";
import type { Row } from "./tables";

/** Quotes with their lines and the customer's decision; an accepted quote becomes an order. */

export function addQuote(
  ctx: GeneratorContext,
  acc: Acc,
  issueDay: number,
  lines: PlanLine[],
  status: "sent" | "accepted" | "rejected" | "expired" | "withdrawn",
  decidedDay: number | null,
  loc: Loc,
  order: OrderDoc | null,
  customerReference: string | null,
) {
  const { rng } = acc;
  const cal = ctx.cal;
  const id = rng.uuid();
  const qLines = lines.map((pl, i) => {
    const priceTT = unitPriceTT(acc, pl.product);
    const gross = extend(pl.qtyMilli, priceTT);
    const net = gross - percentOf(gross, pl.discountBP);
    return { pl, i, priceTT, net, tax: taxFor(acc, pl.product) };
  });
  const groups = taxGroups(qLines);
  const net = qLines.reduce((s, l) => s + l.net, 0);
  const tax = groups.reduce((s, g) => s + g.taxAmount, 0);
  const decider = decidedDay != null ? acc.members.find((m) => m.role === "buyer" && m.user.status === "active") ?? acc.members.find((m) => m.role === "admin") : undefined;
  const row: Row = {
    id,
    erp_id: null,
    erp_version: decidedDay != null ? 2 : 1,
    account_id: acc.id,
    location_id: loc.id,
    sales_order_id: order?.id ?? null,
    number: null,
    issue_date: cal.date(issueDay),
    valid_until: cal.date(issueDay + 30),
    status,
    currency: acc.country.currency,
    net_amount: money(net),
    tax_amount: money(tax),
    gross_amount: money(net + tax),
    customer_reference: customerReference,
    note: acc.lang === "de" ? "Angebot gemäß Ihrer Anfrage. Preise freibleibend bis zum Ablauf der Bindefrist." : "Quotation as per your enquiry. Prices valid until the date shown.",
    decided_at: decidedDay != null && decider ? cal.at(decidedDay, rng.int(8 * 60, 17 * 60)) : null,
    decided_by_user_id: decidedDay != null && decider ? decider.user.id : null,
  };
  if (decidedDay != null && !decider) row.decided_at = cal.at(decidedDay, 12 * 60);
  ctx.tables.quotes.push(row);
  ctx.numbered.push({ type: "quote", day: issueDay, row, children: [] });
  for (const l of qLines) {
    ctx.tables.quote_lines.push({
      id: rng.uuid(),
      account_id: acc.id,
      location_id: loc.id,
      quote_id: id,
      line_no: l.i + 1,
      sku: l.pl.product.sku,
      description: l.pl.product[acc.lang],
      quantity: qty(l.pl.qtyMilli),
      unit: l.pl.product.unit,
      unit_price: price(l.priceTT),
      discount_percent: rate(l.pl.discountBP),
      vat_rate: rate(l.tax.rateBP),
      net_amount: money(l.net),
    });
  }
  if ((status === "accepted" || status === "rejected") && decider && decidedDay != null) {
    ctx.tables.quote_decisions.push({
      id: rng.uuid(),
      account_id: acc.id,
      location_id: loc.id,
      quote_id: id,
      decided_by_user_id: decider.user.id,
      decision: status,
      comment: status === "accepted"
        ? acc.lang === "de" ? "Angebot angenommen, Bestellung folgt mit unserer Bestellnummer." : "Accepted; our purchase order number is attached."
        : acc.lang === "de" ? "Projekt wurde verschoben, daher leider keine Bestellung." : "The project was postponed, so we will not order for now.",
      customer_reference: status === "accepted" ? customerReference : null,
      client_mutation_id: null,
      created_at: row.decided_at,
    });
  }
  return row;
}

export function addRandomQuotes(ctx: GeneratorContext, acc: Acc) {
  const { rng } = acc;
  const count = rng.weighted([[0, 3], [1, 3], [2, 3], [3, 2], [4, 1]] as const);
  for (let i = 0; i < count; i++) {
    const issueDay = ctx.cal.back(-rng.int(2, 300));
    const lines = pickOrderLines(acc, rng);
    const loc = rng.pick(acc.locations);
    const r = rng.next();
    const decidedDay = ctx.cal.fwd(issueDay + rng.int(2, 20));
    const validUntil = issueDay + 30;
    if (r < 0.35 && decidedDay <= -1) {
      const po = `${rng.pick(acc.country.poPrefix)}${rng.digits(6)}`;
      const order = realizeOrder(ctx, randomOrderPlan(ctx, acc, rng, { orderDay: decidedDay, lines, loc, customerReference: po, fate: "normal", cancelDay: null, creditNote: null }));
      addQuote(ctx, acc, issueDay, lines, "accepted", decidedDay, loc, order, po);
    } else if (r < 0.5 && decidedDay <= -1) {
      addQuote(ctx, acc, issueDay, lines, "rejected", decidedDay, loc, null, null);
    } else if (r < 0.55) {
      addQuote(ctx, acc, issueDay, lines, "withdrawn", null, loc, null, null);
    } else {
      addQuote(ctx, acc, issueDay, lines, validUntil <= -1 ? "expired" : "sent", null, loc, null, null);
    }
  }
}
