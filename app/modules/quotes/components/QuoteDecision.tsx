import { Link, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { Field, FormError, WriteForm } from "~/components/form";
import { Money, StatusBadge } from "~/components/format";
import { localCalendarDate } from "~/components/calendar";
import { formatDate, formatNumber, translate, type Language } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { documentPdfPath } from "~/modules/documents/paths";
import type { QuoteDetail, QuoteRow } from "../quotes.server";
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

/** The quote as the list shows it today: an open quote past its date reads "expired". */
export function quoteShownStatus(quote: QuoteSummary, today: string): string {
  return quote.status === "sent" && !isQuoteOpen(quote, today) ? "expired" : quote.status;
}

/** The quotes list's pane: the focused quote's facts, its lines (read through the quote page's loaders), its PDF and the decision. */
export function QuoteDecision({ quote, canDecide, result, lang }: { quote: QuoteSummary; canDecide: boolean; result?: QuoteActionResult; lang: Language }) {
  const fetcher = useFetcher<{ quote: QuoteDetail }>();
  const { load } = fetcher;
  useEffect(() => {
    load(`/quotes/${quote.id}`);
  }, [load, quote.id]);
  const detail = fetcher.data?.quote.id === quote.id ? fetcher.data.quote : null;
  const pdf = documentPdfPath("quote", quote.id);
  return (
    <div data-testid="quote-decision">
      <h2 className="preview-heading" style={{ fontSize: 15, marginTop: 0 }}>
        {quote.number} <StatusBadge status={quoteShownStatus(quote, localCalendarDate())} />
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
      <p>
        <Link to={`/quotes/${quote.id}`}>{lang === "de" ? "Angebot öffnen" : "Open quote"}</Link> <kbd>Enter</kbd>
        {pdf ? (
          <>
            {" · "}
            <a href={pdf} target="_blank" rel="noreferrer">
              {translate(lang, "quotes.pdf")}
            </a>
          </>
        ) : null}
      </p>
      <h3 className="preview-heading">{translate(lang, "orders.lines")}</h3>
      {detail ? <QuoteLines quote={detail} lang={lang} limit={PREVIEW_LINES} compact /> : <p className="muted">…</p>}
      <QuoteDecisionForm quote={quote} canDecide={canDecide} result={result} lang={lang} />
    </div>
  );
}

/** At most this many lines in the pane; the quote's page has them all. */
const PREVIEW_LINES = 8;

/** A quote's lines; `compact` (the narrow pane) puts the SKU under the description and leaves out line number, unit price and discount. */
export function QuoteLines({ quote, lang, limit, compact = false }: { quote: QuoteDetail; lang: Language; limit?: number; compact?: boolean }) {
  const lines = limit === undefined ? quote.lines : quote.lines.slice(0, limit);
  return (
    <>
      <table className="grid">
        <thead>
          <tr>
            {compact ? null : <th>#</th>}
            {compact ? null : <th>{translate(lang, "common.sku")}</th>}
            <th>{translate(lang, "common.description")}</th>
            <th className="num">{translate(lang, "common.quantity")}</th>
            {compact ? null : <th className="num">{translate(lang, "common.unitPrice")}</th>}
            {compact ? null : <th className="num">{lang === "de" ? "Rabatt" : "Discount"}</th>}
            <th className="num">{translate(lang, "common.net")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.lineNo}>
              {compact ? null : <td>{l.lineNo}</td>}
              {compact ? null : <td>{l.sku ?? "–"}</td>}
              <td className="wrap">
                {l.description}
                {compact && l.sku ? <div className="muted">{l.sku}</div> : null}
              </td>
              <td className="num">{formatQuantity(lang, l.quantity, l.unit)}</td>
              {compact ? null : (
                <td className="num">
                  <Money amount={l.unitPrice} currency={quote.currency} />
                </td>
              )}
              {compact ? null : <td className="num">{Number(l.discountPercent) > 0 ? `${formatNumber(lang, l.discountPercent)} %` : "–"}</td>}
              <td className="num">
                <Money amount={l.netAmount} currency={quote.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lines.length < quote.lines.length ? (
        <p className="muted">
          {lang === "de" ? `${quote.lines.length - lines.length} weitere auf der Seite des Angebots` : `${quote.lines.length - lines.length} more on the quote's page`}
        </p>
      ) : null}
    </>
  );
}

/**
 * The decision: while the quote is open and the role may decide, accept / decline with a PO number
 * and a comment; otherwise why not. The answer (kept action data) shows here.
 */
export function QuoteDecisionForm({ quote, canDecide, result, lang }: { quote: QuoteSummary; canDecide: boolean; result?: QuoteActionResult; lang: Language }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("quoteId") === quote.id;
  // The browser's calendar date; the server checks validity again on submit.
  const open = isQuoteOpen(quote, localCalendarDate());
  const mine = result?.values?.quoteId === quote.id ? result : undefined;
  const expired = quote.status === "sent" && !open;
  return (
    <>
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
        <WriteForm aria-label={translate(lang, "quotes.decide")}>
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
        </WriteForm>
      ) : null}
    </>
  );
}
