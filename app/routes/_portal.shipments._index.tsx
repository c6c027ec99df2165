import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listShipments } from "~/modules/shipments/shipments.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Shipments · Ledgerlight" }];

/** The search box's text (the server loader and the clientLoader read the same). */
const qOf = (request: Request) => new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { shipments: await listShipments(scope, { q: qOf(request) }) };
}

export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.shipments", () => ({ q: qOf(request) }), (shipments) => ({ shipments }), () => serverLoader<typeof loader>());
}

export default function ShipmentsPage() {
  const { shipments } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "shipments.title")}</h1>
      <ListToolbar />
      <div className="panel">
        <table className="grid" data-testid="shipments-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "orders.number")}</th>
              <th>Carrier</th>
              <th>Tracking</th>
              <th>{translate(lang, "orders.status")}</th>
              <th>{translate(lang, "status.shipped")}</th>
              <th>ETA / {translate(lang, "status.delivered")}</th>
            </tr>
          </thead>
          <tbody>
            {shipments.map((s) => (
              <tr key={s.id}>
                <td>{s.number}</td>
                <td>{s.orderId ? <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link> : null}</td>
                <td>{s.carrier}</td>
                <td>{s.trackingUrl ? <a href={s.trackingUrl} target="_blank" rel="noreferrer noopener">{s.trackingNumber}</a> : s.trackingNumber}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{formatDateTime(lang, s.shippedAt)}</td>
                <td>{formatDateTime(lang, s.deliveredAt ?? s.estimatedDeliveryAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shipments.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}
