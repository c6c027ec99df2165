import { Rng } from "../random";
import { PRODUCTS } from "../reference";
import type { GeneratorContext } from "./context";
import type { OrderPlan, PlanLine } from "./domain";
import { planLine } from "./order-plans";
import { realizeOrder } from "./orders";
import { addQuote } from "./quotes";

/**
 * Kessler (10001): the predictable demo. Fixed plans, so Kessler always shows an order in every
 * status, every invoice state and every quote outcome the README lists, whatever asOf is.
 */

export function addKesslerScenarios(ctx: GeneratorContext) {
  const acc = ctx.byKey.get("kessler")!;
  const rng = new Rng("kessler-scenarios");
  const [hq, lnu, muc] = acc.locations;
  const buyer = ctx.users.get("buyer@kessler.example")!;
  const p = (sku: string) => PRODUCTS.find((x) => x.sku === sku)!;
  const line = (sku: string, units: number) => planLine(acc, rng, p(sku), units);
  const cc = acc.costCenters;
  const base = (o: Partial<OrderPlan> & { orderDay: number; lines: PlanLine[] }): OrderPlan => ({
    acc,
    loc: hq,
    costCenter: null,
    buyer,
    buyerName: buyer.name,
    customerReference: `BE-${rng.digits(5)}`,
    confirmDay: o.orderDay + 1,
    productionDay: o.orderDay + 3,
    promisedDay: o.orderDay + 14,
    requestedDay: o.orderDay + 10,
    fate: "normal",
    cancelDay: null,
    shipDays: [o.orderDay + 14],
    deliverDays: [o.orderDay + 16],
    firstQty: null,
    invoiceFates: [],
    creditNote: null,
    exceptionChance: 0,
    ...o,
  });
  // Partially shipped: one line complete, one line partly, one line entirely on backorder.
  const psLines = [line("VLV-BV-DN50", 12), line("PMP-IL-65-8", 6), line("SNS-PT-16", 4)];
  realizeOrder(ctx, base({
    orderDay: -24, loc: hq, costCenter: cc[1], lines: psLines,
    confirmDay: -23, productionDay: -21, promisedDay: -12, requestedDay: -14,
    shipDays: [-12, 9], deliverDays: [-10, 11], firstQty: [12_000, 2_000, 0], invoiceFates: ["open"],
  }));
  // A shipment still in transit.
  realizeOrder(ctx, base({
    orderDay: -9, loc: muc, lines: [line("PMP-CN-32-160", 2), line("KIT-SEAL-CN32", 2), line("FIT-FL-DN80", 8)],
    confirmDay: -8, productionDay: -6, promisedDay: -2, shipDays: [-2], deliverDays: [2], invoiceFates: ["open"],
  }));
  // Overdue, not paid (visible to the location-restricted viewer too).
  realizeOrder(ctx, base({
    orderDay: -80, loc: lnu, costCenter: cc[0], lines: [line("VLV-GV-DN80", 6), line("FIT-GSK-DN50", 60), line("CBL-NYM-3X2.5", 500)],
    confirmDay: -79, productionDay: -77, promisedDay: -66, shipDays: [-66], deliverDays: [-64], invoiceFates: ["open"],
  }));
  // Overdue and partially paid.
  realizeOrder(ctx, base({
    orderDay: -55, loc: hq, lines: [line("PMP-CN-50-200", 2), line("DOC-HB-PUMP", 2), line("SVC-COMM", 8)],
    confirmDay: -54, productionDay: -52, promisedDay: -45, shipDays: [-45], deliverDays: [-43], invoiceFates: ["partial"],
  }));
  // Partially paid, not yet due.
  realizeOrder(ctx, base({
    orderDay: -20, loc: lnu, lines: [line("FIT-PF-22", 200), line("VLV-BV-DN25", 20)],
    confirmDay: -19, productionDay: -17, promisedDay: -12, shipDays: [-12], deliverDays: [-11], invoiceFates: ["partial"],
  }));
  // Paid, then partly credited (damaged goods returned), refund booked.
  realizeOrder(ctx, base({
    orderDay: -130, loc: hq, costCenter: cc[2], lines: [line("VLV-ACT-DN50", 4), line("SNS-TT-PT100", 10)],
    confirmDay: -129, productionDay: -127, promisedDay: -115, shipDays: [-115], deliverDays: [-113], invoiceFates: ["paid"],
    creditNote: { mode: "partial", afterDays: 12 },
  }));
  // Paid, then fully credited a few days ago: the refund is still open.
  realizeOrder(ctx, base({
    orderDay: -40, loc: muc, lines: [line("PMP-DP-10", 3)],
    confirmDay: -39, productionDay: -37, promisedDay: -30, shipDays: [-30], deliverDays: [-28], invoiceFates: ["paid"],
    creditNote: { mode: "full", afterDays: 26 },
  }));
  // Two deliveries, both paid: completed.
  realizeOrder(ctx, base({
    orderDay: -160, loc: hq, lines: [line("PMP-CN-32-160", 4), line("VLV-BF-DN100", 10), line("FIT-EL90-DN50", 40)],
    confirmDay: -159, productionDay: -156, promisedDay: -145, shipDays: [-145, -128], deliverDays: [-143, -126],
    firstQty: [2_000, 10_000, 40_000], invoiceFates: ["paid", "paid"],
  }));
  // Open (just received), confirmed, in production, on hold, cancelled.
  realizeOrder(ctx, base({ orderDay: -1, confirmDay: 1, productionDay: 3, promisedDay: 12, shipDays: [12], deliverDays: [14], lines: [line("VLV-CV-DN40", 10), line("FIT-TEE-DN25", 50)] }));
  realizeOrder(ctx, base({ orderDay: -5, loc: lnu, confirmDay: -4, productionDay: 2, promisedDay: 10, shipDays: [10], deliverDays: [12], lines: [line("PMP-SP-12-9", 2), line("CBL-NYM-3X2.5", 300)] }));
  realizeOrder(ctx, base({ orderDay: -15, confirmDay: -14, productionDay: -10, promisedDay: 5, shipDays: [5], deliverDays: [7], lines: [line("PMP-CN-50-200", 1), line("VLV-ACT-DN50", 2)] }));
  realizeOrder(ctx, base({ orderDay: -12, loc: muc, confirmDay: -11, fate: "on_hold", lines: [line("SNS-PT-16", 6), line("SNS-TT-PT100", 6)] }));
  realizeOrder(ctx, base({ orderDay: -60, confirmDay: -59, fate: "cancelled", cancelDay: -50, lines: [line("PMP-IL-65-8", 3)] }));

  // Quotes: accepted (became an order that is delivered and invoiced), open, expired, rejected.
  const acceptedLines = [line("PMP-CN-32-160", 3), line("VLV-BV-DN50", 6), line("SVC-COMM", 12)];
  const po = "BE-2024-PRJ-118";
  const order = realizeOrder(ctx, base({
    orderDay: -30, loc: hq, costCenter: cc[1], lines: acceptedLines, customerReference: po,
    confirmDay: -29, productionDay: -27, promisedDay: -20, shipDays: [-20], deliverDays: [-18], invoiceFates: ["open"],
  }));
  addQuote(ctx, acc, -45, acceptedLines, "accepted", -30, hq, order, po);
  addQuote(ctx, acc, -6, [line("PMP-CN-50-200", 2), line("DRV-FU-5K5", 2), line("SVC-COMM", 16)], "sent", null, hq, null, null);
  addQuote(ctx, acc, -100, [line("VLV-GV-DN80", 12)], "expired", null, lnu, null, null);
  addQuote(ctx, acc, -80, [line("SNS-FM-DN50", 2)], "rejected", -70, muc, null, null);
}
