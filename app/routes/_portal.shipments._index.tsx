import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { ListToolbar } from "~/components/ListToolbar";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listShipments } from "~/modules/shipments/shipments.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { LIST_LIMIT } from "~/modules/lists";

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

type ShipmentRow = Awaited<ReturnType<typeof listShipments>>[number];

export default function ShipmentsPage() {
  const { shipments } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("shipments");
  const columns: Column<ShipmentRow>[] = [
    { id: "number", label: lang === "de" ? "Lieferung" : "Shipment", width: 150, sortValue: (s) => s.number, text: (s) => s.number, render: (s) => <Link to={`/shipments/${s.id}`}>{s.number}</Link> },
    { id: "order", label: translate(lang, "orders.number"), width: 150, sortValue: (s) => s.orderNumber ?? "", text: (s) => s.orderNumber ?? "", render: (s) => (s.orderId ? <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link> : null) },
    { id: "carrier", label: lang === "de" ? "Spediteur" : "Carrier", width: 110, sortValue: (s) => s.carrier ?? "", text: (s) => s.carrier ?? "", render: (s) => s.carrier },
    {
      id: "tracking",
      label: lang === "de" ? "Sendungsnummer" : "Tracking number",
      width: 160,
      sortValue: (s) => s.trackingNumber ?? "",
      text: (s) => s.trackingNumber ?? "",
      render: (s) =>
        s.trackingUrl ? (
          <a href={s.trackingUrl} target="_blank" rel="noreferrer noopener">
            {s.trackingNumber}
          </a>
        ) : (
          s.trackingNumber
        ),
    },
    { id: "status", label: translate(lang, "orders.status"), width: 120, sortValue: (s) => s.status, text: (s) => codeLabel(lang, "status", s.status), render: (s) => <StatusBadge status={s.status} /> },
    { id: "shipped", label: translate(lang, "status.shipped"), width: 150, sortValue: (s) => (s.shippedAt ? String(s.shippedAt) : null), text: (s) => formatDateTime(lang, s.shippedAt), render: (s) => formatDateTime(lang, s.shippedAt) },
    {
      id: "eta",
      label: `ETA / ${translate(lang, "status.delivered")}`,
      width: 150,
      sortValue: (s) => String(s.deliveredAt ?? s.estimatedDeliveryAt ?? "") || null,
      text: (s) => formatDateTime(lang, s.deliveredAt ?? s.estimatedDeliveryAt),
      render: (s) => formatDateTime(lang, s.deliveredAt ?? s.estimatedDeliveryAt),
    },
  ];
  return (
    <>
      <h1>{translate(lang, "shipments.title")}</h1>
      <ListToolbar />
      <DataTable
        id="shipments"
        label={translate(lang, "shipments.title")}
        rows={shipments}
        columns={columns}
        rowKey={(s) => s.id}
        rowHref={(s) => `/shipments/${s.id}`}
        preference={preference}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
      />
    </>
  );
}
