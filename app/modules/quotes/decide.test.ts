import { describe, expect, it } from "vitest";
import { scopeOf } from "~/modules/access/test-support";
import { getDb } from "~/db/connection.server";
import { parseForm } from "~/modules/forms";
import { decideQuote } from "./decide.server";
import { QuoteDecisionSchema } from "./schemas";


async function kesslerQuote(status: string) {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; number: string }>(
    `SELECT q.id, q.number FROM quotes q JOIN accounts a ON a.id = q.account_id WHERE a.number = '10001' AND q.status = $1 ORDER BY q.issue_date DESC LIMIT 1`,
    [status],
  );
  return rows[0];
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("quote decisions", () => {
  it("a buyer accepts an open quote with a PO number, once; the decision is recorded and audited", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const quote = await kesslerQuote("sent");
    const result = await decideQuote(buyer, { quoteId: quote.id, intent: "accept", customerReference: "PO-4711", comment: "Bitte KW 2 liefern" });
    expect(result).toEqual({ ok: true, number: quote.number, status: "accepted" });

    const db = await getDb();
    const { rows } = await db.query<{ status: string; ref: string; decision: string; comment: string; audited: string }>(
      `SELECT q.status, q.customer_reference AS ref, d.decision, d.comment,
              (SELECT count(*) FROM audit_events e WHERE e.entity_id = q.id::text AND e.action = 'quote.accepted')::text AS audited
         FROM quotes q JOIN quote_decisions d ON d.quote_id = q.id WHERE q.id = $1`,
      [quote.id],
    );
    expect(rows).toEqual([{ status: "accepted", ref: "PO-4711", decision: "accepted", comment: "Bitte KW 2 liefern", audited: "1" }]);

    // Decided is decided: a second click (or a colleague) finds it no longer open.
    const again = await decideQuote(buyer, { quoteId: quote.id, intent: "reject", customerReference: null, comment: null });
    expect(again).toMatchObject({ ok: false, reason: "not_open", status: "accepted" });
  });

  it("refuses expired quotes, roles without quotes.decide and other accounts' quotes", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const expired = await kesslerQuote("expired");
    expect(await decideQuote(buyer, { quoteId: expired.id, intent: "accept", customerReference: null, comment: null })).toMatchObject({ ok: false, reason: "not_open" });

    const db = await getDb();
    await db.query(`UPDATE quotes SET status = 'sent' WHERE id = $1`, [expired.id]); // sent, but past its validity
    expect(await decideQuote(buyer, { quoteId: expired.id, intent: "accept", customerReference: null, comment: null })).toMatchObject({ ok: false, reason: "not_open" });

    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO quotes (erp_id, account_id, number, issue_date, valid_until, status, currency)
       SELECT 'test-open-quote', id, 'QT-TEST-1', current_date, current_date + 30, 'sent', 'EUR' FROM accounts WHERE number = '10001' RETURNING id`,
    );
    const open = rows[0].id;
    const finance = await scopeOf("finance@kessler.example");
    expect(await decideQuote(finance, { quoteId: open, intent: "accept", customerReference: null, comment: null })).toEqual({ ok: false, reason: "not_found" });
    const foreign = await scopeOf("buyer@nordhavn.example");
    expect(await decideQuote(foreign, { quoteId: open, intent: "accept", customerReference: null, comment: null })).toEqual({ ok: false, reason: "not_found" });
    const { rows: still } = await db.query<{ status: string }>(`SELECT status FROM quotes WHERE id = $1`, [open]);
    expect(still[0].status).toBe("sent");
  });

  it("names the field when the form is wrong", () => {
    const parsed = parseForm(QuoteDecisionSchema, form({ quoteId: "nope", intent: "approve", customerReference: "P".repeat(36) }));
    expect(parsed).toMatchObject({
      ok: false,
      fieldErrors: { quoteId: "is not a quote", intent: "must be accept or reject", customerReference: "must be at most 35 characters" },
    });
  });
});
