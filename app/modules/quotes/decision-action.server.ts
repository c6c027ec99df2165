import { data, type ActionFunctionArgs } from "@remix-run/node";
import { codeLabel, formatDate, translate } from "~/i18n/i18n";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import type { QuoteActionResult } from "./components/QuoteDecision";
import { decideQuote } from "./decide.server";
import { getQuote } from "./quotes.server";
import { QuoteDecisionSchema } from "./schemas";

/**
 * Accept or decline a quote (buyer and admin roles), posted from the quotes list's pane or the
 * quote's page (`:quoteId`): both answer the same way, with the message in the contact's language.
 */
export async function quoteDecisionAction({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await requireContactPermission(request, "quotes.decide");
  const form = await request.formData();
  // Posted to the quote's page: that quote, in scope, or 404 (whatever the form says).
  if (params.quoteId !== undefined) {
    if (!(await getQuote(scope, params.quoteId))) notFound();
    form.set("quoteId", params.quoteId);
  }
  const parsed = parseForm(QuoteDecisionSchema, form);
  if (!parsed.ok) return data<QuoteActionResult>({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  const result = await decideQuote(scope, parsed.data, requestOrigin(request, context.clientIp));
  const lang = scope.language;
  const values = { quoteId: parsed.data.quoteId };
  if (result.ok) {
    const message = translate(lang, result.status === "accepted" ? "quotes.accepted" : "quotes.rejected", { number: result.number });
    const decided = { quoteId: parsed.data.quoteId, status: result.status, customerReference: parsed.data.customerReference };
    return data<QuoteActionResult>({ ok: true, message, values, decided });
  }
  if (result.reason === "not_found") notFound();
  const message =
    result.status === "sent"
      ? translate(lang, "quotes.noLongerValid", { number: result.number, date: formatDate(lang, result.validUntil) })
      : translate(lang, "quotes.notOpen", { number: result.number, status: codeLabel(lang, "status", result.status) });
  return data<QuoteActionResult>(
    { ok: false, message, values: { ...values, customerReference: parsed.data.customerReference ?? "", comment: parsed.data.comment ?? "" } },
    { status: 409 },
  );
}
