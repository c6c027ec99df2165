import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { isQuoteOpen, type QuoteDecisionInput } from "./schemas";

export type QuoteDecisionResult =
  | { ok: true; number: string; status: "accepted" | "rejected" }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_open"; number: string; status: string; validUntil: string | null };

/**
 * Accepts or rejects a quote for the contact's account. The server decides: the quote must be in
 * the scope (otherwise not found), the role must hold quotes.decide, and the quote must still be
 * open (sent and not past its validity); the row is locked so two colleagues cannot both decide.
 * The audit event (quote.accepted / quote.rejected) also becomes the ERP's webhook event
 * (webhook_event_type() in 020-erp-connectivity.sql), in the same transaction.
 */
export async function decideQuote(
  scope: Scope,
  input: QuoteDecisionInput,
  origin: { ip?: string | null; userAgent?: string | null } = {},
): Promise<QuoteDecisionResult> {
  if (!contactCan(scope.role, "quotes.decide")) return { ok: false, reason: "not_found" };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const where = scopeFilter(scope, "q", 2);
    const { rows } = await tx.query<{ id: string; accountId: string; locationId: string | null; number: string; status: string; validUntil: string | null; today: string }>(
      `SELECT q.id, q.account_id AS "accountId", q.location_id AS "locationId", q.number, q.status,
              q.valid_until::text AS "validUntil", current_date::text AS today
         FROM quotes q WHERE q.id = $1 AND ${where.sql} FOR UPDATE`,
      [input.quoteId, ...where.params],
    );
    const quote = rows[0];
    if (!quote) return { ok: false, reason: "not_found" };
    if (!isQuoteOpen(quote, quote.today)) return { ok: false, reason: "not_open", number: quote.number, status: quote.status, validUntil: quote.validUntil };
    const status = input.intent === "accept" ? "accepted" : "rejected";
    await tx.query(
      `UPDATE quotes SET status = $2, decided_at = now(), decided_by_user_id = $3,
              customer_reference = coalesce($4, customer_reference), updated_at = now()
        WHERE id = $1`,
      [quote.id, status, scope.userId, input.customerReference],
    );
    await tx.query(
      `INSERT INTO quote_decisions (account_id, location_id, quote_id, decided_by_user_id, decision, comment, customer_reference)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [quote.accountId, quote.locationId, quote.id, scope.userId, status, input.comment, input.customerReference],
    );
    await recordAuditEvent(tx, {
      action: `quote.${status}`,
      actorUserId: scope.userId,
      accountId: quote.accountId,
      entityType: "quote",
      entityId: quote.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { number: quote.number, customerReference: input.customerReference, comment: input.comment },
    });
    return { ok: true, number: quote.number, status };
  });
}
