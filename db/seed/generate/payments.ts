import { money, percentOf } from "../money";
import type { GeneratorContext } from "./context";
import type { InvDoc, InvoiceFate } from "./domain";
import type { Row } from "./tables";

/** Payments and refunds, and the paid / due amounts and status they leave on the invoice. */

/** Decides and books the payments of an invoice as of the as-of date. */
export function settleInvoice(ctx: GeneratorContext, inv: InvDoc, fate: InvoiceFate, dueDay: number) {
  const { rng } = inv.acc;
  const open = inv.gross - inv.prepaid;
  let f = fate;
  if (f === "auto") {
    const r = rng.next();
    if (dueDay < -20) f = r < 0.9 ? "paid" : r < 0.94 ? "partial" : "open";
    else if (dueDay < 0) f = r < 0.6 ? "paid" : r < 0.7 ? "partial" : "open";
    else f = inv.day <= -3 ? (r < 0.25 ? "paid" : r < 0.32 ? "partial" : "open") : "open";
  }
  const firstPossible = inv.day + 1;
  if (open <= 0 || firstPossible > -1) f = "open";
  const method = inv.acc.country.currency === "EUR" ? "sepa_credit_transfer" : "credit_transfer";
  if (f === "paid") {
    let day = dueDay - rng.int(-6, 14);
    day = Math.min(-1, Math.max(firstPossible, day));
    addPayment(ctx, inv, ctx.cal.back(day) < firstPossible ? day : ctx.cal.back(day), open, method);
  } else if (f === "partial") {
    const amount = Math.max(1, Math.min(open - 1, percentOf(open, rng.int(25, 75) * 100)));
    const latest = Math.min(-1, dueDay + 5);
    const day = latest <= firstPossible ? firstPossible : rng.int(firstPossible, latest);
    addPayment(ctx, inv, day, amount, method);
  }
}

export function addPayment(ctx: GeneratorContext, inv: InvDoc, day: number, amount: number, method: string) {
  const row: Row = {
    id: inv.acc.rng.uuid(),
    erp_id: null,
    erp_version: 1,
    account_id: inv.acc.id,
    location_id: inv.row.location_id,
    invoice_id: inv.id,
    paid_at: ctx.cal.date(day),
    amount: money(amount),
    currency: inv.acc.country.currency,
    method,
    reference: null,
  };
  ctx.tables.payments.push(row);
  inv.payments.push({ day, amount, row });
  const paid = inv.payments.reduce((s, p) => s + p.amount, 0);
  const due = inv.gross - inv.prepaid - paid;
  inv.row.paid_amount = money(paid);
  inv.row.amount_due = money(due);
  inv.row.status = due <= 0 ? "paid" : "partially_paid";
}
