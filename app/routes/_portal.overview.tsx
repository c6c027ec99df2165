import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { getOverview } from "~/modules/overview/overview.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Overview · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return getOverview(scope);
}

export default function OverviewPage() {
  const overview = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "overview.title")}</h1>
      <div className="cards">
        <div className="card" data-testid="open-orders">
          <div className="label">{translate(lang, "overview.openOrders")}</div>
          <div className="value">{overview.openOrderCount}</div>
        </div>
        <div className="card" data-testid="in-transit">
          <div className="label">{translate(lang, "overview.inTransit")}</div>
          <div className="value">{overview.shipmentsInTransit}</div>
        </div>
        {overview.balances.map((b) => (
          <div className="card" key={b.currency} data-testid={`balance-${b.currency}`}>
            <div className="label">
              {translate(lang, "overview.openBalance")} {b.currency}
            </div>
            <div className="value" data-testid={`open-balance-${b.currency}`}>
              <Money amount={b.openAmount} currency={b.currency} />
            </div>
            <div className={Number(b.overdueAmount) > 0 ? "badge danger" : "muted"} data-testid={`overdue-${b.currency}`}>
              {translate(lang, "overview.overdue")}: <Money amount={b.overdueAmount} currency={b.currency} /> ({b.overdueCount})
            </div>
          </div>
        ))}
      </div>
      <section className="panel">
        <h2>{translate(lang, "overview.overdueInvoices")}</h2>
        {overview.overdueInvoices.length === 0 ? (
          <p className="muted" style={{ padding: "0 10px" }}>
            {translate(lang, "overview.nothingOverdue")}
          </p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>{translate(lang, "invoices.number")}</th>
                <th>{translate(lang, "invoices.due")}</th>
                <th className="num">{translate(lang, "invoices.amountDue")}</th>
              </tr>
            </thead>
            <tbody>
              {overview.overdueInvoices.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/invoices/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>
                    <DateText value={i.dueDate} />
                  </td>
                  <td className="num">
                    <Money amount={i.amountDue} currency={i.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>{translate(lang, "overview.recentOrders")}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>{translate(lang, "orders.number")}</th>
              <th>{translate(lang, "orders.date")}</th>
              <th>{translate(lang, "orders.reference")}</th>
              <th>{translate(lang, "orders.status")}</th>
              <th className="num">{translate(lang, "orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {overview.recentOrders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{o.number}</Link>
                </td>
                <td>
                  <DateText value={o.orderDate} />
                </td>
                <td>{o.customerReference}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td className="num">
                  <Money amount={o.grossAmount} currency={o.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
