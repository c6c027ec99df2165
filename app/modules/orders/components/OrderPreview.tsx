import { Link, useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { DateText, Money, StatusBadge } from "~/components/format";
import { formatNumber, translate, type Language } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import type { OrderDetail, OrderListRow } from "~/modules/orders/orders.server";

/** At most this many lines in the pane; the order's page has them all. */
const PREVIEW_LINES = 12;

/**
 * The orders list's preview pane content: the row's facts at once, then its lines, read through the
 * order page's own loaders (`fetcher.load` runs its clientLoader: the replica once synced, the
 * server before), so the pane never shows other data than the page Enter opens.
 */
export function OrderPreview({ order, lang }: { order: OrderListRow; lang: Language }) {
  const fetcher = useFetcher<{ order: OrderDetail }>();
  const { load } = fetcher;
  useEffect(() => {
    load(`/orders/${order.id}`);
  }, [load, order.id]);
  const de = lang === "de";
  const detail = fetcher.data?.order.id === order.id ? fetcher.data.order : null;
  return (
    <>
      <h2 style={{ marginTop: 0 }}>
        {translate(lang, "orders.number")} {order.number} <StatusBadge status={order.status} />
      </h2>
      <dl className="facts">
        <dt>{translate(lang, "orders.date")}</dt>
        <dd>
          <DateText value={order.orderDate} />
        </dd>
        <dt>{translate(lang, "orders.reference")}</dt>
        <dd>{order.customerReference ?? "–"}</dd>
        <dt>{translate(lang, "orders.location")}</dt>
        <dd>{order.locationName ?? "–"}</dd>
        <dt>{de ? "Kostenstelle" : "Cost center"}</dt>
        <dd>{order.costCenterName ?? "–"}</dd>
        <dt>{translate(lang, "orders.buyer")}</dt>
        <dd>{order.buyerName ?? "–"}</dd>
        <dt>{translate(lang, "orders.total")}</dt>
        <dd>
          <Money amount={order.grossAmount} currency={order.currency} />
        </dd>
        {detail?.promisedDeliveryDate ? (
          <>
            <dt>{de ? "Zugesagt" : "Promised"}</dt>
            <dd>
              <DateText value={detail.promisedDeliveryDate} />
            </dd>
          </>
        ) : null}
      </dl>
      <p>
        <Link to={`/orders/${order.id}`}>{de ? "Auftrag öffnen" : "Open order"}</Link> <kbd>Enter</kbd>
      </p>
      <h3 className="preview-heading">
        {translate(lang, "orders.lines")} ({order.lineCount})
      </h3>
      {detail ? (
        <table className="grid" data-testid="order-preview-lines">
          <thead>
            <tr>
              <th>{translate(lang, "common.description")}</th>
              <th className="num">{translate(lang, "common.quantity")}</th>
              <th className="num">{de ? "Geliefert" : "Shipped"}</th>
            </tr>
          </thead>
          <tbody>
            {detail.lines.slice(0, PREVIEW_LINES).map((l) => (
              <tr key={l.lineNo}>
                {/* The SKU under the description: four columns overflowed the narrow pane. */}
                <td className="wrap">
                  {l.description}
                  <div className="muted">{l.sku}</div>
                </td>
                <td className="num">
                  {formatQuantity(lang, l.quantityOrdered, l.unit)}
                </td>
                <td className="num">{formatNumber(lang, l.quantityShipped)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{de ? "Lädt…" : "Loading…"}</p>
      )}
      {detail && detail.lines.length > PREVIEW_LINES ? (
        <p className="muted">{de ? `… und ${detail.lines.length - PREVIEW_LINES} weitere` : `… and ${detail.lines.length - PREVIEW_LINES} more`}</p>
      ) : null}
    </>
  );
}
