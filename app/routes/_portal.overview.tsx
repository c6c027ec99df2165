import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { formatCount, formatDateTime, translate } from "~/i18n/i18n";
import { AgingChart } from "~/components/AgingChart";
import { InvoicedChart } from "~/components/InvoicedChart";
import type { ChangedItem } from "~/modules/overview/activity";
import { requireContact } from "~/modules/access/guards.server";
import { activitySince, getOverview } from "~/modules/overview/overview.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Overview · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, scope } = await requireContact(request);
  return getOverview(scope, activitySince(user.previousLoginAt));
}

export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal(
    "portal.overview",
    ({ access, today }) => ({ today, seesInvoices: access.invoices, ...access.activitySince }),
    (overview) => overview,
    () => serverLoader<typeof loader>(),
  );
}

const ACTIVITY_LABEL = {
  en: { order: "Order", invoice: "Invoice", credit_note: "Credit note", shipment: "Shipment" },
  de: { order: "Auftrag", invoice: "Rechnung", credit_note: "Gutschrift", shipment: "Lieferung" },
} as const;

function activityHref(item: Pick<ChangedItem, "type" | "id">): string {
  if (item.type === "order") return `/orders/${item.id}`;
  if (item.type === "shipment") return `/shipments/${item.id}`;
  return `/invoices/${item.id}`;
}

export default function OverviewPage() {
  const overview = useLoaderData<typeof loader>();
  const lang = useLang();
  const canSeeInvoices = useRouteLoaderData<{ canSeeInvoices?: boolean }>("routes/_portal")?.canSeeInvoices ?? false;
  // The list shows the first few; the balances count them all (every currency).
  const overdueTotal = overview.balances.reduce((sum, b) => sum + Number(b.overdueCount), 0);
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
            {Number(b.openCredit) > 0 ? (
              <div className="card-lines" data-testid={`credit-${b.currency}`}>
                <span className="muted">{translate(lang, "overview.openCredit")}</span>
                <span className="num">
                  <Money amount={`-${b.openCredit}`} currency={b.currency} />
                </span>
                <strong>{translate(lang, "overview.netBalance")}</strong>
                <strong className="num">
                  <Money amount={centsDifference(b.openAmount, b.openCredit)} currency={b.currency} />
                </strong>
              </div>
            ) : null}
          </div>
        ))}
      </div>
      <div className="split overview-split">
        <section className="panel" data-testid="activity">
          <h2>
            {lang === "de" ? "Neu seit" : "Changed since"}{" "}
            {overview.activity.firstVisit ? (lang === "de" ? "den letzten 7 Tagen" : "the last 7 days") : formatDateTime(lang, overview.activity.since)}
            <span className="muted" style={{ fontWeight: 400 }}>
              {" "}
              ·{" "}
              {[
                formatCount(lang, overview.activity.counts.orders, "order"),
                formatCount(lang, overview.activity.counts.invoices, "invoice"),
                formatCount(lang, overview.activity.counts.shipments, "shipment"),
              ].join(", ")}
            </span>
          </h2>
          <table className="grid">
            <tbody>
              {overview.activity.items.map((item) => (
                <tr key={`${item.type}-${item.id}`}>
                  <td>{ACTIVITY_LABEL[lang][item.type]}</td>
                  <td>
                    <Link to={activityHref(item)}>{item.number}</Link>
                  </td>
                  <td>
                    <StatusBadge status={item.status} />
                  </td>
                  <td className="muted">{formatDateTime(lang, item.at)}</td>
                </tr>
              ))}
              {overview.activity.items.length === 0 ? (
                <tr>
                  <td className="muted">{lang === "de" ? "Nichts Neues." : "Nothing new."}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </section>
        {overview.aging.length > 0 ? (
          <section className="panel">
            <h2>{lang === "de" ? "Fälligkeiten" : "Aging"}</h2>
            <div style={{ padding: "6px 10px" }}>
              {overview.aging.map((row) => (
                <AgingChart key={row.currency} currency={row.currency} buckets={row.buckets} lang={lang} />
              ))}
            </div>
            {overview.invoicedMonths.length > 0 ? (
              <>
                <h2>{lang === "de" ? "Rechnungsbetrag je Monat" : "Invoiced per month"}</h2>
                <div style={{ padding: "6px 10px" }}>
                  {overview.invoicedMonths.map((row) => (
                    <InvoicedChart key={row.currency} row={row} lang={lang} />
                  ))}
                </div>
              </>
            ) : null}
          </section>
        ) : null}
      </div>
      {/* Roles without invoices (viewers) would read "nothing overdue" as a fact about the account. */}
      {canSeeInvoices ? (
        <section className="panel">
          <h2>
            {translate(lang, "overview.overdueInvoices")}
            {overdueTotal > overview.overdueInvoices.length ? (
              <>
                {" "}
                <Link to="/invoices?state=overdue" className="heading-link" data-testid="all-overdue">
                  {translate(lang, "overview.allOverdue", { count: overdueTotal })} →
                </Link>
              </>
            ) : null}
          </h2>
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
      ) : null}
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

/** a − b for numeric(14,2) decimal strings, exactly (integer cents). */
function centsDifference(a: string, b: string): string {
  const cents = Math.round(Number(a) * 100) - Math.round(Number(b) * 100);
  return (cents / 100).toFixed(2);
}
