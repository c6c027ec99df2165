import { z } from "zod";
import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { cents, money } from "~/modules/einvoice/decimal";
import { loadSeller } from "~/modules/einvoice/load.server";
import { renderInPool } from "~/modules/pdf/render-pool.server";
import type { StatementAging, StatementEntry, StatementPdfData } from "~/modules/pdf/templates/statement";

/**
 * Statement of account for any date range, computed from the mirrored ledger: opening balance,
 * invoices (less advance payments), credit notes, payments and refunds, closing balance, and the
 * open items at the end date by age. The closing balance always equals the sum of the open items.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine((v) => !Number.isNaN(Date.parse(v)), "is not a valid date");

export const StatementRangeSchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: "must not be after the end date", path: ["from"] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= 366 * 5, { message: "may span at most five years", path: ["from"] });
export type StatementRange = z.infer<typeof StatementRangeSchema>;

export interface Statement extends Omit<StatementPdfData, "seller" | "lang"> {
  accountId: string;
  language: "en" | "de";
}

interface Movement {
  date: string;
  kind: StatementEntry["kind"];
  number: string;
  text: string;
  amount: bigint; // + increases what the customer owes
}

/** Null when the contact may not read statements (the route answers 404). */
export async function getStatement(scope: Scope, range: StatementRange): Promise<Statement | null> {
  if (!contactCan(scope.role, "statements.read")) return null;
  const db = await getDb();
  const account = (
    await db.query<{ id: string; number: string; name: string; street: string | null; postal_code: string | null; city: string | null; country_code: string; currency: string; language: "en" | "de" }>(
      `SELECT id, number, name, street, postal_code, city, country_code, currency, language FROM accounts WHERE id = $1`,
      [scope.accountId],
    )
  ).rows[0];
  if (!account) return null;
  // The active account only (a statement is per customer account), narrowed to the contact's locations.
  const single: Scope = { ...scope, accountIds: [scope.accountId] };
  const i = scopeFilter(single, "i", 2);
  const p = scopeFilter(single, "p", 2);
  const [invoices, payments] = await Promise.all([
    db.query<{ id: string; kind: "invoice" | "credit_note"; number: string; issue_date: string; due_date: string | null; gross_amount: string; prepaid_amount: string }>(
      `SELECT i.id, i.kind, i.number, i.issue_date, i.due_date, i.gross_amount, i.prepaid_amount
         FROM invoices i WHERE ${i.sql} AND i.status <> 'cancelled' AND i.issue_date <= $1 ORDER BY i.issue_date, i.number`,
      [range.to, ...i.params],
    ),
    db.query<{ invoice_id: string; paid_at: string; amount: string; reference: string | null; number: string; kind: "invoice" | "credit_note" }>(
      `SELECT p.invoice_id, p.paid_at, p.amount, p.reference, inv.number, inv.kind
         FROM payments p JOIN invoices inv ON inv.id = p.invoice_id
        WHERE ${p.sql} AND inv.status <> 'cancelled' AND p.paid_at <= $1 ORDER BY p.paid_at`,
      [range.to, ...p.params],
    ),
  ]);
  const de = account.language === "de";
  const movements: Movement[] = [];
  for (const inv of invoices.rows) {
    const amount = cents(inv.gross_amount) - (inv.kind === "invoice" ? cents(inv.prepaid_amount) : 0n);
    movements.push({
      date: inv.issue_date,
      kind: inv.kind,
      number: inv.number,
      text: inv.kind === "invoice" ? (de ? "Rechnung" : "Invoice") + (cents(inv.prepaid_amount) > 0n ? (de ? " (abzgl. Anzahlung)" : " (less advance payment)") : "") : de ? "Gutschrift" : "Credit note",
      amount: inv.kind === "invoice" ? amount : -amount,
    });
  }
  for (const pay of payments.rows) {
    const refund = pay.kind === "credit_note";
    movements.push({
      date: pay.paid_at,
      kind: refund ? "refund" : "payment",
      number: pay.number,
      text: refund ? (de ? "Erstattung" : "Refund") : (de ? "Zahlung" : "Payment") + (pay.reference ? ` ${pay.reference}` : ""),
      amount: refund ? cents(pay.amount) : -cents(pay.amount),
    });
  }
  movements.sort((a, b) => a.date.localeCompare(b.date) || a.number.localeCompare(b.number) || order(a.kind) - order(b.kind));
  const openingCents = movements.filter((m) => m.date < range.from).reduce((s, m) => s + m.amount, 0n);
  let balance = openingCents;
  const entries: StatementEntry[] = [];
  for (const m of movements.filter((m) => m.date >= range.from)) {
    balance += m.amount;
    entries.push({ date: m.date, kind: m.kind, number: m.number, text: m.text, debit: m.amount > 0n ? money(m.amount) : null, credit: m.amount < 0n ? money(-m.amount) : null, balance: money(balance) });
  }
  return {
    accountId: account.id,
    language: account.language,
    accountNumber: account.number,
    buyer: { name: account.name, street: account.street, postalCode: account.postal_code, city: account.city, countryCode: account.country_code },
    currency: account.currency,
    from: range.from,
    to: range.to,
    openingBalance: money(openingCents),
    closingBalance: money(balance),
    entries,
    aging: aging(range.to, invoices.rows, payments.rows),
  };
}

function order(kind: StatementEntry["kind"]): number {
  return { invoice: 0, credit_note: 1, payment: 2, refund: 3 }[kind];
}

function aging(
  asOf: string,
  invoices: { id: string; kind: "invoice" | "credit_note"; issue_date: string; due_date: string | null; gross_amount: string; prepaid_amount: string }[],
  payments: { invoice_id: string; amount: string }[],
): StatementAging {
  const paid = new Map<string, bigint>();
  for (const p of payments) paid.set(p.invoice_id, (paid.get(p.invoice_id) ?? 0n) + cents(p.amount));
  const buckets = { notDue: 0n, d1to30: 0n, d31to60: 0n, d61to90: 0n, d90plus: 0n };
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  for (const inv of invoices) {
    const sign = inv.kind === "invoice" ? 1n : -1n;
    const open = cents(inv.gross_amount) - (inv.kind === "invoice" ? cents(inv.prepaid_amount) : 0n) - (paid.get(inv.id) ?? 0n);
    if (open === 0n) continue;
    const days = inv.due_date ? Math.floor((asOfMs - Date.parse(`${inv.due_date}T00:00:00Z`)) / 86_400_000) : 0;
    const key = days <= 0 ? "notDue" : days <= 30 ? "d1to30" : days <= 60 ? "d31to60" : days <= 90 ? "d61to90" : "d90plus";
    buckets[key] += sign * open;
  }
  const total = Object.values(buckets).reduce((s, v) => s + v, 0n);
  return { notDue: money(buckets.notDue), d1to30: money(buckets.d1to30), d31to60: money(buckets.d31to60), d61to90: money(buckets.d61to90), d90plus: money(buckets.d90plus), total: money(total) };
}

export async function getStatementPdf(scope: Scope, range: StatementRange): Promise<{ bytes: Uint8Array; fileName: string; statement: Statement } | null> {
  const statement = await getStatement(scope, range);
  if (!statement) return null;
  const db = await getDb();
  const bytes = await renderInPool({ kind: "statement", data: { ...statement, lang: statement.language, seller: await loadSeller(db) }, createdAt: new Date(`${range.to}T00:00:00Z`) });
  return { bytes, fileName: `statement_${statement.accountNumber}_${range.from}_${range.to}.pdf`, statement };
}
