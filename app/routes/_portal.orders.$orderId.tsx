import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, milestoneLabel, Money, NetVatGross, StatusBadge, useLang } from "~/components/format";
import { codeLabel, formatDateTime, formatNumber, translate } from "~/i18n/i18n";
import { documentPdfPath } from "~/modules/documents/paths";
import { DOCUMENT_TYPE_LABELS } from "~/modules/documents/type-labels";
import { formatQuantity } from "~/i18n/units";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { getOrder } from "~/modules/orders/orders.server";
import { routeAccess } from "~/modules/access/route-access";
import { contactCan, type ContactRole } from "~/modules/access/permissions";
import { RETURNABLE_ORDER_STATUSES } from "~/modules/returns/schemas";
import { readPortal } from "~/replica/portal-reads.client";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.order.number ?? "Order"} · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const order = await getOrder(scope, params.orderId ?? "");
  if (!order) notFound();
  return { order };
}

/** From the replica; an order it does not hold (foreign, unknown, not synced) is the server's to answer (404). */
export async function clientLoader({ params, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal(
    "portal.order",
    ({ access }) => ({ id: params.orderId ?? "", seesInvoices: access.invoices }),
    (order) => ({ order }),
    () => serverLoader<typeof loader>(),
  );
}

export default function OrderPage() {
  const { order } = useLoaderData<typeof loader>();
  const lang = useLang();
  const de = lang === "de";
  const none = <p className="muted panel-empty">{de ? "Noch keine." : "None yet."}</p>;
  const role = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal")?.role;
  const canReturn = Boolean(role && contactCan(role, "returns.request")) && (RETURNABLE_ORDER_STATUSES as readonly string[]).includes(order.status);
  const canAsk = Boolean(role && contactCan(role, "tickets.create"));
  return (
    <>
      <p>
        <Link to="/orders">← {translate(lang, "orders.title")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {translate(lang, "orders.number")} {order.number} <StatusBadge status={order.status} />
        </h1>
        <div className="actions">
          {canReturn ? (
            <Link to={`/orders/${order.id}/return`} className="button">
              {translate(lang, "returns.new")}
            </Link>
          ) : null}
          {canAsk ? (
            <Link to={`/support/new?order=${order.id}`} className="button">
              {translate(lang, "support.ask")}
            </Link>
          ) : null}
        </div>
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "orders.date")}</dt>
          <dd>
            <DateText value={order.orderDate} />
          </dd>
          <dt>{translate(lang, "orders.reference")}</dt>
          <dd>{order.customerReference}</dd>
          <dt>{translate(lang, "orders.location")}</dt>
          <dd>{order.locationName ?? "–"}</dd>
          <dt>{translate(lang, "orders.buyer")}</dt>
          <dd>{order.buyerName ?? "–"}</dd>
          <dt>{de ? "Gewünscht / zugesagt" : "Requested / promised"}</dt>
          <dd>
            {order.requestedDeliveryDate ? <DateText value={order.requestedDeliveryDate} /> : "–"} /{" "}
            {order.promisedDeliveryDate ? <DateText value={order.promisedDeliveryDate} /> : "–"}
          </dd>
          {order.shippingAddress ? (
            <>
              <dt>{de ? "Lieferadresse" : "Ship to"}</dt>
              <dd className="address">{order.shippingAddress}</dd>
            </>
          ) : null}
          <NetVatGross net={order.netAmount} tax={order.taxAmount} gross={order.grossAmount} currency={order.currency} />
        </dl>
      </div>
      <section className="panel">
        <h2>{translate(lang, "orders.lines")}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "common.sku")}</th>
              <th>{translate(lang, "common.description")}</th>
              <th className="num">{translate(lang, "common.quantity")}</th>
              <th className="num">{translate(lang, "status.shipped")}</th>
              <th className="num">{de ? "Rückstand" : "Backorder"}</th>
              <th className="num">{translate(lang, "common.unitPrice")}</th>
              <th className="num">{translate(lang, "common.net")}</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.sku}</td>
                <td className="wrap">{l.description}</td>
                <td className="num">
                  {formatQuantity(lang, l.quantityOrdered, l.unit)}
                </td>
                <td className="num">{formatNumber(lang, l.quantityShipped)}</td>
                <td className="num">{Number(l.quantityBackordered) > 0 ? <span className="badge warn">{formatNumber(lang, l.quantityBackordered)}</span> : "–"}</td>
                <td className="num">
                  <Money amount={l.unitPrice} currency={order.currency} />
                </td>
                <td className="num">
                  <Money amount={l.netAmount} currency={order.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {order.milestones.length > 0 ? (
        <section className="panel">
          <h2>{de ? "Verlauf" : "Timeline"}</h2>
          <ul className="timeline">
            {order.milestones.map((m, index) => (
              <li key={index} className={m.occurredAt ? "done" : ""}>
                <strong>{milestoneLabel(lang, m.kind)}</strong>{" "}
                <span className="muted">
                  {m.occurredAt ? "" : de ? "erwartet " : "expected "}
                  {formatDateTime(lang, m.occurredAt ?? m.expectedAt)}
                </span>{" "}
                {m.note}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="panel">
        <h2>{translate(lang, "shipments.title")}</h2>
        {order.shipments.length === 0 ? none : null}
        <table className="grid" hidden={order.shipments.length === 0}>
          <thead>
            <tr>
              <th>{translate(lang, "shipments.number")}</th>
              <th>{translate(lang, "shipments.carrier")}</th>
              <th>{translate(lang, "shipments.tracking")}</th>
              <th>{translate(lang, "orders.status")}</th>
              <th>{translate(lang, "shipments.shipped")}</th>
            </tr>
          </thead>
          <tbody>
            {order.shipments.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/shipments/${s.id}`}>{s.number}</Link>
                </td>
                <td>{s.carrier}</td>
                <td>{s.trackingUrl ? <a href={s.trackingUrl} rel="noreferrer noopener" target="_blank">{s.trackingNumber}</a> : s.trackingNumber}</td>
                <td>
                  <StatusBadge status={s.status} />
                </td>
                <td>{formatDateTime(lang, s.shippedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{translate(lang, "invoices.title")}</h2>
        {order.invoices.length === 0 ? none : null}
        <table className="grid" hidden={order.invoices.length === 0}>
          <thead>
            <tr>
              <th>{translate(lang, "invoices.number")}</th>
              <th>{translate(lang, "documents.type")}</th>
              <th>{translate(lang, "invoices.issued")}</th>
              <th>{translate(lang, "invoices.status")}</th>
              <th className="num">{translate(lang, "invoices.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {order.invoices.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/invoices/${i.id}`}>{i.number}</Link>
                </td>
                <td>{translate(lang, i.kind === "credit_note" ? "invoices.creditNote" : "invoices.invoice")}</td>
                <td>
                  <DateText value={i.issueDate} />
                </td>
                <td>
                  <StatusBadge status={i.status} />
                </td>
                <td className="num">
                  <Money amount={i.grossAmount} currency={i.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {order.documents.length > 0 ? (
        <section className="panel" aria-labelledby="order-documents">
          <h2 id="order-documents">{translate(lang, "documents.title")}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{translate(lang, "documents.type")}</th>
                <th>{de ? "Nummer / Titel" : "Number / title"}</th>
                <th>{translate(lang, "orders.date")}</th>
              </tr>
            </thead>
            <tbody>
              {order.documents.map((d) => (
                <tr key={`${d.type}:${d.id}`}>
                  <td>{DOCUMENT_TYPE_LABELS[lang][d.type]}</td>
                  <td>
                    <a href={documentPdfPath(d.type, d.id) ?? undefined} target="_blank" rel="noreferrer">
                      {d.number}
                    </a>
                  </td>
                  <td>
                    <DateText value={d.issueDate} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {order.returns.length + order.tickets.length > 0 ? (
        <section className="panel" aria-labelledby="order-requests">
          <h2 id="order-requests">{de ? "Retouren und Anfragen" : "Returns and questions"}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{translate(lang, "documents.type")}</th>
                <th>#</th>
                <th>{de ? "Grund / Betreff" : "Reason / subject"}</th>
                <th>{translate(lang, "orders.status")}</th>
                <th>{de ? "Erstellt" : "Created"}</th>
              </tr>
            </thead>
            <tbody>
              {order.returns.map((r) => (
                <tr key={r.id}>
                  <td>{de ? "Retoure" : "Return"}</td>
                  <td>
                    <Link to={`/returns/${r.id}`}>{r.number}</Link>
                  </td>
                  <td>{codeLabel(lang, "returns.reason", r.reason)}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{formatDateTime(lang, r.createdAt)}</td>
                </tr>
              ))}
              {order.tickets.map((t) => (
                <tr key={t.id}>
                  <td>{de ? "Anfrage" : "Question"}</td>
                  <td>
                    <Link to={`/support/${t.id}`}>{t.number}</Link>
                  </td>
                  <td className="wrap">{t.subject}</td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td>{formatDateTime(lang, t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
