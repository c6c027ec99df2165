import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { ListToolbar } from "~/components/ListToolbar";
import { formatDate, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listQuotes } from "~/modules/quotes/quotes.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Quotes · Ledgerlight" }];

/** The search box's text (the server loader and the clientLoader read the same). */
const qOf = (request: Request) => new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { quotes: await listQuotes(scope, { q: qOf(request) }) };
}

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.quotes", () => ({ q: qOf(request) }), (quotes) => ({ quotes }), () => serverLoader<typeof loader>());
}

type QuoteRow = Awaited<ReturnType<typeof listQuotes>>[number];

export default function QuotesPage() {
  const { quotes } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("quotes");
  const columns: Column<QuoteRow>[] = [
    { id: "number", label: translate(lang, "invoices.number"), width: 130, sortValue: (q) => q.number, text: (q) => q.number, render: (q) => q.number },
    { id: "date", label: translate(lang, "orders.date"), width: 112, sortValue: (q) => String(q.issueDate), text: (q) => formatDate(lang, q.issueDate), render: (q) => <DateText value={q.issueDate} /> },
    { id: "valid", label: lang === "de" ? "Gültig bis" : "Valid until", width: 112, sortValue: (q) => (q.validUntil ? String(q.validUntil) : null), text: (q) => formatDate(lang, q.validUntil), render: (q) => <DateText value={q.validUntil} /> },
    { id: "reference", label: translate(lang, "orders.reference"), width: 160, sortValue: (q) => q.customerReference ?? "", text: (q) => q.customerReference ?? "", render: (q) => q.customerReference },
    { id: "status", label: translate(lang, "orders.status"), width: 120, sortValue: (q) => q.status, text: (q) => q.status, render: (q) => <StatusBadge status={q.status} /> },
    { id: "total", label: translate(lang, "orders.total"), width: 120, align: "right", sortValue: (q) => Number(q.grossAmount), text: (q) => `${q.grossAmount} ${q.currency}`, render: (q) => <Money amount={q.grossAmount} currency={q.currency} /> },
  ];
  return (
    <>
      <h1>{translate(lang, "quotes.title")}</h1>
      <ListToolbar />
      <DataTable
        id="quotes"
        label={translate(lang, "quotes.title")}
        rows={quotes}
        columns={columns}
        rowKey={(q) => q.id}
        preference={preference}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
      />
    </>
  );
}
