import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { Money, StatusBadge } from "~/components/format";
import { localCalendarDate } from "~/components/calendar";
import { formatDate, translate, type Language } from "~/i18n/i18n";
import { documentPdfPath } from "~/modules/documents/paths";
import type { QuoteRow } from "../quotes.server";
import { isQuoteOpen } from "../schemas";

/** A row of the quotes list (the same from the replica and from the server). */
export type QuoteSummary = QuoteRow;

export type QuoteActionResult = {
  ok: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  /** The server's answer after a decision: the quote's new status and PO number. */
  decided?: { quoteId: string; status: string; customerReference: string | null };
};

/**
 * The rows with the server's answer to this page's decision applied: the replica brings the same
 * change a moment later (the list then re-reads it), but the list must not say "awaiting
 * decision" right after the contact decided.
 */
export function withDecision<T extends QuoteSummary>(quotes: readonly T[], result: QuoteActionResult | undefined): readonly T[] {
  const decided = result?.decided;
  if (!decided) return quotes;
  return quotes.map((q) =>
    q.id === decided.quoteId && q.status === "sent" ? { ...q, status: decided.status, customerReference: decided.customerReference ?? q.customerReference } : q,
  );
}

/**
 * The quotes page's pane: the focused quote's facts, its PDF and, while it is open and the role may
 * decide, the accept / decline form (PO number and a comment travel with the decision).
 */
export function QuoteDecision({ quote, canDecide, result, lang }: { quote: QuoteSummary; canDecide: boolean; result?: QuoteActionResult; lang: Language }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("quoteId") === quote.id;
  // The browser's calendar date; the server checks validity again on submit.
  const open = isQuoteOpen(quote, localCalendarDate());
  const pdf = documentPdfPath("quote", quote.id);
  const mine = result?.values?.quoteId === quote.id ? result : undefined;
  const expired = quote.status === "sent" && !open;
  return (
    <div data-testid="quote-decision">
      <h2 className="preview-heading" style={{ fontSize: 15, marginTop: 0 }}>
        {quote.number} <StatusBadge status={expired ? "expired" : quote.status} />
      </h2>
      <dl className="facts">
        <dt>{translate(lang, "orders.date")}</dt>
        <dd>{formatDate(lang, quote.issueDate)}</dd>
        <dt>{translate(lang, "quotes.validUntil")}</dt>
        <dd>{formatDate(lang, quote.validUntil) || "–"}</dd>
        <dt>{translate(lang, "quotes.total")}</dt>
        <dd>
          <Money amount={quote.grossAmount} currency={quote.currency} />
        </dd>
        {quote.customerReference ? (
          <>
            <dt>{translate(lang, "orders.reference")}</dt>
            <dd>{quote.customerReference}</dd>
          </>
        ) : null}
      </dl>
      {pdf ? (
        <p>
          <a href={pdf} target="_blank" rel="noreferrer">
            {translate(lang, "quotes.pdf")}
          </a>
        </p>
      ) : null}
      {mine?.ok ? (
        <p className="notice" role="status">
          {mine.message}
        </p>
      ) : (
        <FormError message={mine?.message} />
      )}
      {expired ? <p className="muted">{translate(lang, "quotes.noLongerValid", { number: quote.number, date: formatDate(lang, quote.validUntil) })}</p> : null}
      {open && !canDecide ? <p className="muted">{translate(lang, "quotes.readOnly")}</p> : null}
      {open && canDecide ? (
        <Form method="post" aria-label={translate(lang, "quotes.decide")}>
          <h3 className="preview-heading">{translate(lang, "quotes.decide")}</h3>
          <input type="hidden" name="quoteId" value={quote.id} />
          <Field
            name="customerReference"
            label={translate(lang, "quotes.po")}
            hint={translate(lang, "quotes.poHint")}
            defaultValue={mine?.values?.customerReference ?? quote.customerReference ?? ""}
            error={mine?.fieldErrors?.customerReference}
            autoComplete="off"
          />
          <Field name="comment" label={translate(lang, "quotes.comment")} defaultValue={mine?.values?.comment ?? ""} error={mine?.fieldErrors?.comment} />
          <p style={{ display: "flex", gap: 8 }}>
            <button type="submit" name="intent" value="accept" className="primary" disabled={busy}>
              {translate(lang, "quotes.accept")}
            </button>
            <button type="submit" name="intent" value="reject" disabled={busy}>
              {translate(lang, "quotes.reject")}
            </button>
            <span className="muted" aria-live="polite">
              {busy ? translate(lang, "common.saving") : ""}
            </span>
          </p>
        </Form>
      ) : null}
    </div>
  );
}
