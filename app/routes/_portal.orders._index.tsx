import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listOrders } from "~/modules/orders/orders.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Orders · Ledgerlight" }];

const STATES = ["open", "confirmed", "in_production", "partially_shipped", "shipped", "completed", "cancelled", "on_hold"];

/** The list's filters from the query string (the server loader and the clientLoader read the same). */
function filtersOf(request: Request) {
  const url = new URL(request.url);
  const state = url.searchParams.get("state") ?? "";
  return {
    q: url.searchParams.get("q")?.slice(0, 100) || undefined,
    status: STATES.includes(state) ? state : undefined,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { orders: await listOrders(scope, filtersOf(request)) };
}

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.orders", () => filtersOf(request), (orders) => ({ orders }), () => serverLoader<typeof loader>());
}

export default function OrdersPage() {
  const { orders } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "orders.title")}</h1>
      <ListToolbar states={STATES.map((s) => ({ value: s, label: translate(lang, `status.${s}` as never) }))} />
      <div className="panel">
        <table className="grid" data-testid="orders-table">
          <thead>
            <tr>
              <th>{translate(lang, "orders.number")}</th>
              <th>{translate(lang, "orders.date")}</th>
              <th>{translate(lang, "orders.reference")}</th>
              <th>{translate(lang, "orders.location")}</th>
              <th>{translate(lang, "orders.buyer")}</th>
              <th>{translate(lang, "orders.status")}</th>
              <th className="num">{translate(lang, "orders.lines")}</th>
              <th className="num">{translate(lang, "orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/orders/${o.id}`}>{o.number}</Link>
                </td>
                <td>
                  <DateText value={o.orderDate} />
                </td>
                <td>{o.customerReference}</td>
                <td>{o.locationName}</td>
                <td>{o.buyerName}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td className="num">{o.lineCount}</td>
                <td className="num">
                  <Money amount={o.grossAmount} currency={o.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {orders.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}
