import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listQuotes } from "~/modules/quotes/quotes.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Quotes · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;
  return { quotes: await listQuotes(scope, { q }) };
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
