import { useMemo } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientActionFunctionArgs, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { useViewPreference, type Column } from "~/components/DataTable";
import { SplitView } from "~/components/SplitView";
import { ListToolbar } from "~/components/ListToolbar";
import { codeLabel, formatDate, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { quoteDecisionAction } from "~/modules/quotes/decision-action.server";
import { contactCan, type ContactRole } from "~/modules/access/permissions";
import { QuoteDecision, withDecision } from "~/modules/quotes/components/QuoteDecision";
import { listQuotes } from "~/modules/quotes/quotes.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { catchUpInBackground, refreshReplicaShapes } from "~/replica/active-replica.client";
import { LIST_LIMIT } from "~/modules/lists";
import { useKeptActionData } from "~/components/kept-action-data";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Quotes · Ledgerlight" }];

/** The search box's text (the server loader and the clientLoader read the same). */
const qOf = (request: Request) => new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { quotes: await listQuotes(scope, { q: qOf(request) }) };
}

/** Accept or decline a quote from the pane (the quote's page posts the same). */
export const action = quoteDecisionAction;

/** The decision is in Postgres once the server answers; the replica fetches it before the list re-reads. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  const result = await serverAction<typeof action>();
  await refreshReplicaShapes(["quotes"]);
  return result;
}

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  catchUpInBackground(["quotes", "quote_lines"]); // quotes come from the ERP, and are not live over HTTP/1.1
  return readPortal("portal.quotes", () => ({ q: qOf(request) }), (quotes) => ({ quotes }), () => serverLoader<typeof loader>());
}

type QuoteRow = Awaited<ReturnType<typeof listQuotes>>[number];

export default function QuotesPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  // Memoised: a new array each render would re-run the table's sort and the preview's row effect forever.
  const quotes = useMemo(() => withDecision(loaded.quotes, result), [loaded.quotes, result]);
  const role = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal")?.role;
  const canDecide = role ? contactCan(role, "quotes.decide") : false;
  const lang = useLang();
  const preference = useViewPreference("quotes");
  const columns: Column<QuoteRow>[] = [
    { id: "number", label: translate(lang, "invoices.number"), width: 130, sortValue: (q) => q.number, text: (q) => q.number, render: (q) => <Link to={`/quotes/${q.id}`}>{q.number}</Link> },
    { id: "date", label: translate(lang, "orders.date"), width: 112, sortValue: (q) => String(q.issueDate), text: (q) => formatDate(lang, q.issueDate), render: (q) => <DateText value={q.issueDate} /> },
    { id: "valid", label: translate(lang, "quotes.validUntil"), width: 112, sortValue: (q) => (q.validUntil ? String(q.validUntil) : null), text: (q) => formatDate(lang, q.validUntil), render: (q) => <DateText value={q.validUntil} /> },
    { id: "reference", label: translate(lang, "orders.reference"), width: 160, sortValue: (q) => q.customerReference ?? "", text: (q) => q.customerReference ?? "", render: (q) => q.customerReference },
    { id: "status", label: translate(lang, "orders.status"), width: 150, sortValue: (q) => q.status, text: (q) => codeLabel(lang, "status", q.status), render: (q) => <StatusBadge status={q.status} /> },
    { id: "total", label: translate(lang, "orders.total"), width: 120, align: "right", sortValue: (q) => Number(q.grossAmount), text: (q) => `${q.grossAmount} ${q.currency}`, render: (q) => <Money amount={q.grossAmount} currency={q.currency} /> },
  ];
  return (
    <>
      <h1>{translate(lang, "quotes.title")}</h1>
      <ListToolbar />
      <SplitView
        id="quotes"
        label={translate(lang, "quotes.title")}
        rows={quotes}
        columns={columns}
        rowKey={(q) => q.id}
        rowHref={(q) => `/quotes/${q.id}`}
        preference={preference}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
        preview={(q) => <QuoteDecision quote={q} canDecide={canDecide} result={result} lang={lang} />}
        previewLabel={translate(lang, "quotes.decide")}
        previewEmpty={translate(lang, "quotes.pick")}
        previewTestId="quote-preview"
      />
    </>
  );
}
