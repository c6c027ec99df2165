import { extend, money, percentOf, price, qty, rate } from "../money";
import type { GeneratorContext } from "./context";
import { addCreditNote } from "./credit-notes";
import type { InvItem, Numbered, OrderDoc, OrderLine, OrderPlan } from "./domain";
import { addInvoice } from "./invoices";
import { taxFor, taxGroups, unitPriceTT } from "./pricing";
import { addDeliveryNote, addShipment } from "./shipments";
import type { Row } from "./tables";
import { sha256, shippingAddress } from "./text";

/**
 * Sales orders with their lines, milestones and order confirmation, and everything that follows
 * from the plan by asOf: shipments, delivery notes, invoices, credit notes and certificates.
 */

/** Books one order as of asOf: steps of the plan dated after asOf stay plans (expected milestones, no shipment yet). */
export function realizeOrder(ctx: GeneratorContext, plan: OrderPlan): OrderDoc {
  const { acc, loc } = plan;
  const { rng } = acc;
  const cal = ctx.cal;
  const past = (day: number) => day <= -1;
  const currency = acc.country.currency;
  const orderId = rng.uuid();

  const lines: OrderLine[] = plan.lines.map((pl, i) => {
    const priceTT = unitPriceTT(acc, pl.product);
    const gross = extend(pl.qtyMilli, priceTT);
    const net = gross - percentOf(gross, pl.discountBP);
    return { id: rng.uuid(), lineNo: i + 1, product: pl.product, qtyMilli: pl.qtyMilli, priceTT, discountBP: pl.discountBP, net, tax: taxFor(acc, pl.product), row: {} };
  });

  const cancelled = plan.fate === "cancelled";
  const pastShipDays = cancelled || plan.fate === "on_hold" || !past(plan.confirmDay) ? [] : plan.shipDays.filter(past);
  const shipQty = (k: number, line: OrderLine, idx: number): number => {
    if (line.product.kind === "service") return 0;
    if (plan.shipDays.length === 1) return line.qtyMilli;
    const first = plan.firstQty?.[idx] ?? line.qtyMilli;
    return k === 0 ? first : line.qtyMilli - first;
  };
  const deliveredFlags = pastShipDays.map((_, k) => past(plan.deliverDays[k]));
  let status: string;
  if (cancelled) status = "cancelled";
  else if (!past(plan.confirmDay)) status = "open";
  else if (plan.fate === "on_hold") status = "on_hold";
  else if (pastShipDays.length === 0) status = past(plan.productionDay) ? "in_production" : "confirmed";
  else if (pastShipDays.length < plan.shipDays.length) status = "partially_shipped";
  else status = deliveredFlags.every(Boolean) ? "completed" : "shipped";

  const groups = taxGroups(lines);
  const netTotal = lines.reduce((s, l) => s + l.net, 0);
  const taxTotal = groups.reduce((s, g) => s + g.taxAmount, 0);
  const orderRow: Row = {
    id: orderId,
    erp_id: null,
    erp_version: rng.int(1, 4),
    account_id: acc.id,
    location_id: loc.id,
    cost_center_id: plan.costCenter?.id ?? null,
    number: null,
    customer_reference: plan.customerReference,
    buyer_name: plan.buyerName,
    buyer_user_id: plan.buyer?.id ?? null,
    status,
    order_date: cal.date(plan.orderDay),
    requested_delivery_date: plan.requestedDay != null ? cal.date(plan.requestedDay) : null,
    promised_delivery_date: cancelled ? null : cal.date(plan.shipDays.length > 1 && status === "partially_shipped" ? plan.shipDays[1] : plan.promisedDay),
    currency,
    net_amount: money(netTotal),
    tax_amount: money(taxTotal),
    gross_amount: money(netTotal + taxTotal),
    incoterms: acc.country.zone === "DE" ? "DAP" : acc.country.code === "US" ? "FCA Hamburg" : rng.pick(["DAP", "FCA Stuttgart", "CPT"]),
    shipping_address: shippingAddress(acc, loc),
    note: plan.fate === "on_hold"
      ? acc.lang === "de" ? "Auftrag angehalten: Freigabe der technischen Zeichnung durch den Kunden ausstehend." : "On hold: awaiting the customer's approval of the technical drawing."
      : null,
  };
  ctx.tables.sales_orders.push(orderRow);
  const order: OrderDoc = { id: orderId, acc, loc, row: orderRow, day: plan.orderDay, lines, status, shipments: [], invoices: [] };
  acc.orders.push(order);
  const orderNumbered: Numbered = { type: "order", day: plan.orderDay, row: orderRow, children: [] };
  ctx.numbered.push(orderNumbered);

  // Quantities as of now.
  const shipped = lines.map((line, idx) => {
    if (line.product.kind === "service") return pastShipDays.length > 0 ? line.qtyMilli : 0;
    return pastShipDays.reduce((sum, _, k) => sum + shipQty(k, line, idx), 0);
  });
  lines.forEach((line, idx) => {
    const s = shipped[idx];
    const backordered = status === "partially_shipped" ? line.qtyMilli - s : 0;
    let lineStatus: string;
    if (cancelled) lineStatus = "cancelled";
    else if (["open", "confirmed", "in_production", "on_hold"].includes(status)) lineStatus = status;
    else if (s === line.qtyMilli) lineStatus = status === "completed" ? "completed" : "shipped";
    else if (s > 0) lineStatus = "partially_shipped";
    else lineStatus = "backordered";
    line.row = {
      id: line.id,
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: orderId,
      line_no: line.lineNo,
      sku: line.product.sku,
      description: line.product[acc.lang],
      unit: line.product.unit,
      quantity_ordered: qty(line.qtyMilli),
      quantity_shipped: qty(s),
      quantity_backordered: qty(backordered),
      quantity_cancelled: qty(cancelled ? line.qtyMilli : 0),
      quantity_invoiced: qty(s),
      unit_price: price(line.priceTT),
      discount_percent: rate(line.discountBP),
      vat_rate: rate(line.tax.rateBP),
      net_amount: money(line.net),
      requested_date: orderRow.requested_delivery_date,
      promised_date: cancelled ? null : cal.date(plan.shipDays.length > 1 && shipQty(0, line, idx) < line.qtyMilli ? plan.shipDays[1] : plan.promisedDay),
      status: lineStatus,
    };
    ctx.tables.sales_order_lines.push(line.row);
    orderNumbered.children.push({ row: line.row, suffix: `/${String(line.lineNo * 10).padStart(6, "0")}` });
  });

  // Milestones.
  const milestones: { kind: string; occurred: [number, number] | null; expected: [number, number] | null; note?: string }[] = [];
  milestones.push({ kind: "received", occurred: [plan.orderDay, rng.int(7 * 60, 16 * 60)], expected: null });
  if (cancelled) {
    if (plan.cancelDay! > plan.confirmDay && past(plan.confirmDay)) milestones.push({ kind: "confirmed", occurred: [plan.confirmDay, 10 * 60], expected: null });
    milestones.push({
      kind: "cancelled",
      occurred: [plan.cancelDay!, rng.int(8 * 60, 16 * 60)],
      expected: null,
      note: acc.lang === "de" ? "Storniert auf Wunsch des Kunden" : "Cancelled at the customer's request",
    });
  } else {
    milestones.push(past(plan.confirmDay) ? { kind: "confirmed", occurred: [plan.confirmDay, 10 * 60], expected: null } : { kind: "confirmed", occurred: null, expected: [plan.confirmDay, 12 * 60] });
    if (plan.fate !== "on_hold") {
      const lastShip = plan.shipDays[plan.shipDays.length - 1];
      const lastDeliver = plan.deliverDays[plan.deliverDays.length - 1];
      milestones.push(past(plan.productionDay) ? { kind: "in_production", occurred: [plan.productionDay, 7 * 60], expected: null } : { kind: "in_production", occurred: null, expected: [plan.productionDay, 7 * 60] });
      if (pastShipDays.length > 0) milestones.push({ kind: "ready_to_ship", occurred: [pastShipDays[0], 9 * 60], expected: null });
      if (plan.shipDays.length > 1 && pastShipDays.length > 0) milestones.push({ kind: "partially_shipped", occurred: [plan.shipDays[0], 15 * 60 + 30], expected: null });
      const allShipped = pastShipDays.length === plan.shipDays.length;
      milestones.push(allShipped ? { kind: "shipped", occurred: [lastShip, 15 * 60 + 30], expected: null } : { kind: "shipped", occurred: null, expected: [lastShip, 15 * 60] });
      const allDelivered = allShipped && deliveredFlags.every(Boolean);
      milestones.push(allDelivered ? { kind: "delivered", occurred: [lastDeliver, 11 * 60], expected: null } : { kind: "delivered", occurred: null, expected: [lastDeliver, 14 * 60] });
      if (allShipped) milestones.push({ kind: "invoiced", occurred: [lastShip, 18 * 60], expected: null });
    }
  }
  milestones.forEach((m, i) => {
    const row: Row = {
      id: rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: orderId,
      kind: m.kind,
      occurred_at: m.occurred ? cal.at(m.occurred[0], m.occurred[1]) : null,
      expected_at: m.expected ? cal.at(m.expected[0], m.expected[1]) : null,
      note: m.note ?? null,
    };
    ctx.tables.order_milestones.push(row);
    orderNumbered.children.push({ row, suffix: `/M${String(i + 1).padStart(2, "0")}` });
  });

  // Order confirmation.
  if (past(plan.confirmDay) && (!cancelled || plan.cancelDay! > plan.confirmDay)) {
    const row: Row = {
      id: rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      sales_order_id: orderId,
      number: null,
      issue_date: cal.date(plan.confirmDay),
      currency,
      net_amount: orderRow.net_amount,
      tax_amount: orderRow.tax_amount,
      gross_amount: orderRow.gross_amount,
      promised_delivery_date: cal.date(plan.promisedDay),
      note: acc.lang === "de" ? "Vielen Dank für Ihren Auftrag. Wir bestätigen wie folgt:" : "Thank you for your order, which we confirm as follows:",
    };
    ctx.tables.order_confirmations.push(row);
    ctx.numbered.push({ type: "confirmation", day: plan.confirmDay, row, children: [] });
  }

  // Shipments, delivery notes, invoices.
  const cumulative = lines.map(() => 0);
  pastShipDays.forEach((shipDay, k) => {
    const items = lines.map((line, idx) => ({ line, idx, q: shipQty(k, line, idx) })).filter((x) => x.q > 0);
    items.forEach(({ idx, q }) => (cumulative[idx] += q));
    const ship = addShipment(ctx, order, plan, k, shipDay, items.map(({ line, q }) => ({ line, qtyMilli: q })));
    addDeliveryNote(ctx, order, ship, lines.map((line, idx) => ({
      line,
      delivered: lines[idx].product.kind === "service" ? 0 : shipQty(k, line, idx),
      backordered: line.product.kind === "service" || k === plan.shipDays.length - 1 ? 0 : line.qtyMilli - cumulative[idx],
    })));
    // Services are invoiced with the first delivery.
    const invItems: InvItem[] = [
      ...items.map(({ line, q }) => ({ line, qtyMilli: q })),
      ...(k === 0 ? lines.filter((l) => l.product.kind === "service").map((line) => ({ line, qtyMilli: line.qtyMilli })) : []),
    ];
    const inv = addInvoice(ctx, order, invItems, shipDay, plan.invoiceFates[k] ?? "auto");
    if (k === 0 && plan.creditNote) addCreditNote(ctx, inv, plan.creditNote.mode, cal.back(shipDay + plan.creditNote.afterDays));
  });

  // A 3.1 inspection certificate for certified goods that have shipped.
  const certifiedShipped = pastShipDays.length > 0 && lines.some((l) => l.product.certified);
  if (certifiedShipped && rng.chance(0.6)) {
    const row: Row = {
      id: rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      document_type: "certificate",
      document_id: null,
      sales_order_id: orderId,
      title: null,
      file_name: null,
      content_type: "application/pdf",
      byte_size: rng.int(120_000, 900_000),
      sha256: sha256(`certificate:${orderId}`),
      issued_at: cal.at(pastShipDays[0], 8 * 60 + 30),
    };
    ctx.tables.document_files.push(row);
    ctx.afterNumbering.push(() => {
      const n = orderRow.number as string;
      row.erp_id = `DMS-CERT-${orderRow.erp_id as string}`;
      row.title = acc.lang === "de" ? `Abnahmeprüfzeugnis 3.1 nach EN 10204 – Auftrag ${n}` : `Inspection certificate 3.1 (EN 10204) – order ${n}`;
      row.file_name = `${n}_EN10204-3.1.pdf`;
    });
  }
  return order;
}
