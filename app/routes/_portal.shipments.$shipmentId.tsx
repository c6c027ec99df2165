import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, StatusBadge, useLang } from "~/components/format";
import { formatDateTime, formatNumber, translate } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { documentPdfPath } from "~/modules/documents/paths";
import { describeCarrier } from "~/modules/shipments/carrier";
import { getShipment } from "~/modules/shipments/shipment-detail.server";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.shipment.number ?? "Shipment"} · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const shipment = await getShipment(scope, params.shipmentId ?? "");
  if (!shipment) notFound();
  return { shipment };
}

/** From the replica; a shipment it does not hold (foreign, unknown, not synced) is the server's to answer (404). */
export async function clientLoader({ params, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal("portal.shipment", () => ({ id: params.shipmentId ?? "" }), (shipment) => ({ shipment }), () => serverLoader<typeof loader>());
}

export default function ShipmentPage() {
  const { shipment } = useLoaderData<typeof loader>();
  const lang = useLang();
  const de = lang === "de";
  return (
    <>
      <p>
        <Link to="/shipments">← {translate(lang, "shipments.title")}</Link>
      </p>
      <h1>
        {de ? "Lieferung" : "Shipment"} {shipment.number} <StatusBadge status={shipment.status} />{" "}
        {shipment.partOfOrder ? (
          <span className="badge warn">
            {de ? "Teillieferung" : "Partial delivery"} {shipment.partOfOrder.index}/{shipment.partOfOrder.of}
          </span>
        ) : null}
      </h1>
      <div className="panel">
        <dl className="facts">
          {shipment.order ? (
            <>
              <dt>{translate(lang, "orders.number")}</dt>
              <dd>
                <Link to={`/orders/${shipment.order.id}`}>{shipment.order.number}</Link> {shipment.order.customerReference}
              </dd>
            </>
          ) : null}
          <dt>{de ? "Spediteur" : "Carrier"}</dt>
          <dd>
            {describeCarrier(shipment.carrier, shipment.service)}
          </dd>
          <dt>{de ? "Sendungsnummer" : "Tracking number"}</dt>
          <dd>
            {shipment.trackingUrl ? (
              <a href={shipment.trackingUrl} target="_blank" rel="noreferrer noopener">
                {shipment.trackingNumber}
              </a>
            ) : (
              shipment.trackingNumber
            )}
          </dd>
          <dt>{de ? "Versandt" : "Shipped"}</dt>
          <dd>{formatDateTime(lang, shipment.shippedAt)}</dd>
          <dt>{shipment.deliveredAt ? (de ? "Zugestellt" : "Delivered") : de ? "Voraussichtlich" : "Expected"}</dt>
          <dd>{formatDateTime(lang, shipment.deliveredAt ?? shipment.estimatedDeliveryAt)}</dd>
          <dt>{de ? "Empfänger" : "Ship to"}</dt>
          <dd className="address">{shipment.shipTo ?? shipment.locationName}</dd>
          <dt>{de ? "Packstücke / Gewicht" : "Packages / weight"}</dt>
          <dd>
            {shipment.packageCount ?? "–"} / {shipment.grossWeightKg ? `${formatNumber(lang, shipment.grossWeightKg)} kg` : "–"}
          </dd>
          {shipment.deliveryNotes.length > 0 ? (
            <>
              <dt>{de ? "Lieferschein" : "Delivery note"}</dt>
              <dd>
                {shipment.deliveryNotes.map((n) => (
                  <span key={n.id}>
                    <a href={documentPdfPath("delivery_note", n.id) ?? undefined} target="_blank" rel="noreferrer">
                      {n.number}
                    </a>{" "}
                    (<DateText value={n.issueDate} />){" "}
                  </span>
                ))}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <div className="split">
        <section className="panel">
          <h2>{translate(lang, "orders.lines")}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>#</th>
                <th>{translate(lang, "common.sku")}</th>
                <th>{translate(lang, "common.description")}</th>
                <th className="num">{de ? "Geliefert" : "Shipped"}</th>
                <th className="num">{de ? "Bestellt" : "Ordered"}</th>
              </tr>
            </thead>
            <tbody>
              {shipment.lines.map((l, index) => (
                <tr key={index}>
                  <td>{l.lineNo}</td>
                  <td>{l.sku}</td>
                  <td className="wrap">{l.description}</td>
                  <td className="num">
                    {formatQuantity(lang, l.quantity, l.unit)}
                  </td>
                  <td className="num">{l.ordered ? formatNumber(lang, l.ordered) : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel" data-testid="tracking-timeline">
          <h2>{de ? "Sendungsverlauf" : "Tracking"}</h2>
          <ul className="timeline">
            {shipment.trackingEvents.map((e, index) => (
              <li key={index} className="done">
                <strong>{e.description}</strong> <span className="muted">{formatDateTime(lang, e.occurredAt)}</span> {e.place}
              </li>
            ))}
            {shipment.trackingEvents.length === 0 ? <li className="muted">{de ? "Noch keine Ereignisse." : "No events yet."}</li> : null}
          </ul>
        </section>
      </div>
    </>
  );
}
