import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientActionFunctionArgs, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { localCalendarDate } from "~/components/calendar";
import { DateText, NetVatGross, StatusBadge, useLang } from "~/components/format";
import { useKeptActionData } from "~/components/kept-action-data";
import { formatDateTime, translate } from "~/i18n/i18n";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { contactCan, type ContactRole } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { documentPdfPath } from "~/modules/documents/paths";
import { QuoteDecisionForm, QuoteLines, quoteShownStatus, withDecision } from "~/modules/quotes/components/QuoteDecision";
import { quoteDecisionAction } from "~/modules/quotes/decision-action.server";
import { getQuote } from "~/modules/quotes/quotes.server";
import { refreshReplicaShapes } from "~/replica/active-replica.client";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.quote.number ?? "Quote"} · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const quote = await getQuote(scope, params.quoteId ?? "");
  if (!quote) notFound();
  return { quote };
}

/** From the replica; a quote it does not hold (foreign, unknown, not synced) is the server's to answer (404). */
export async function clientLoader({ params, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.quote", () => ({ id: params.quoteId ?? "" }), (quote) => ({ quote }), () => serverLoader<typeof loader>());
}

export const action = quoteDecisionAction;

/** The decision is in Postgres once the server answers; the replica fetches it before the page re-reads. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  const result = await serverAction<typeof action>();
  await refreshReplicaShapes(["quotes"]);
  return result;
}

export default function QuotePage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const [quote] = withDecision([loaded.quote], result);
  const lang = useLang();
  const de = lang === "de";
  const role = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal")?.role;
  const canDecide = role ? contactCan(role, "quotes.decide") : false;
  const pdf = documentPdfPath("quote", quote.id);
  return (
    <>
      <p>
        <Link to="/quotes">← {translate(lang, "quotes.title")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {de ? "Angebot" : "Quote"} {quote.number} <StatusBadge status={quoteShownStatus(quote, localCalendarDate())} />
        </h1>
        <div className="actions">
          {pdf ? (
            <a href={pdf} target="_blank" rel="noreferrer" className="button">
              {translate(lang, "quotes.pdf")}
            </a>
          ) : null}
        </div>
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "orders.date")}</dt>
          <dd>
            <DateText value={quote.issueDate} />
          </dd>
          <dt>{translate(lang, "quotes.validUntil")}</dt>
          <dd>{quote.validUntil ? <DateText value={quote.validUntil} /> : "–"}</dd>
          <dt>{translate(lang, "orders.reference")}</dt>
          <dd>{quote.customerReference ?? "–"}</dd>
          <NetVatGross net={quote.netAmount} tax={quote.taxAmount} gross={quote.grossAmount} currency={quote.currency} />
          {quote.decidedAt ? (
            <>
              <dt>{de ? "Entschieden" : "Decided"}</dt>
              <dd>{formatDateTime(lang, quote.decidedAt)}</dd>
            </>
          ) : null}
          {quote.orderId ? (
            <>
              <dt>{translate(lang, "orders.number")}</dt>
              <dd>
                <Link to={`/orders/${quote.orderId}`}>{quote.orderNumber}</Link>
              </dd>
            </>
          ) : null}
          {quote.note ? (
            <>
              <dt>{de ? "Hinweis" : "Note"}</dt>
              <dd className="wrap">{quote.note}</dd>
            </>
          ) : null}
        </dl>
      </div>
      <section className="panel">
        <h2>{translate(lang, "orders.lines")}</h2>
        <QuoteLines quote={quote} lang={lang} />
      </section>
      <section className="panel" data-testid="quote-decision">
        <QuoteDecisionForm quote={quote} canDecide={canDecide} result={result} lang={lang} />
      </section>
    </>
  );
}
