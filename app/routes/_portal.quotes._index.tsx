import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
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

export default function QuotesPage() {
  const { quotes } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "quotes.title")}</h1>
      <ListToolbar />
      <div className="panel">
        <table className="grid" data-testid="quotes-table">
          <thead>
            <tr>
              <th>{translate(lang, "invoices.number")}</th>
              <th>{translate(lang, "orders.date")}</th>
              <th>Valid until</th>
              <th>{translate(lang, "orders.reference")}</th>
              <th>{translate(lang, "orders.status")}</th>
              <th className="num">{translate(lang, "orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {quotes.map((q) => (
              <tr key={q.id}>
                <td>{q.number}</td>
                <td>
                  <DateText value={q.issueDate} />
                </td>
                <td>
                  <DateText value={q.validUntil} />
                </td>
                <td>{q.customerReference}</td>
                <td>
                  <StatusBadge status={q.status} />
                </td>
                <td className="num">
                  <Money amount={q.grossAmount} currency={q.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {quotes.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}
