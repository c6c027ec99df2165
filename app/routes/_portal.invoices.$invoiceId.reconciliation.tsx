import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { formatNumber, translate } from "~/i18n/i18n";
import { unitLabel } from "~/i18n/units";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { getReconciliation } from "~/modules/invoices/reconciliation.server";

export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.reconciliation.invoice.number ?? "Invoice"} reconciliation · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "invoices.read");
  const reconciliation = await getReconciliation(scope, params.invoiceId ?? "");
  if (!reconciliation) notFound();
  return { reconciliation };
}

const ISSUE_TEXT = {
  en: { "price-differs": "price differs from order", "more-than-shipped": "invoiced more than shipped", "more-than-ordered": "invoiced more than ordered", "no-order-line": "not on the order" },
  de: { "price-differs": "Preis weicht vom Auftrag ab", "more-than-shipped": "mehr berechnet als geliefert", "more-than-ordered": "mehr berechnet als bestellt", "no-order-line": "nicht im Auftrag" },
} as const;

export default function ReconciliationPage() {
  const { reconciliation: r } = useLoaderData<typeof loader>();
  const lang = useLang();
  const de = lang === "de";
  const c = r.invoice.currency;
  const problems = r.lines.filter((l) => l.issues.length > 0).length;
  const balanceMismatch = Number(r.expectedOpen) !== Number(r.invoice.amountDue);
  return (
    <>
      <p>
        <Link to={`/invoices/${r.invoice.id}`}>← {r.invoice.number}</Link>
      </p>
      <h1>
        {de ? "Abgleich" : "Reconciliation"} {r.invoice.number} <StatusBadge status={r.invoice.status} />
      </h1>
      <div className="cards">
        <div className="card">
          <div className="label">{de ? "Rechnung brutto" : "Invoice gross"}</div>
          <div className="value">
            <Money amount={r.invoice.grossAmount} currency={c} />
          </div>
        </div>
        <div className="card">
          <div className="label">{translate(lang, "orders.number")}</div>
          <div className="value">{r.order ? <Link to={`/orders/${r.order.id}`}>{r.order.number}</Link> : "–"}</div>
          {r.order ? (
            <div className="muted">
              <Money amount={r.order.grossAmount} currency={c} />
            </div>
          ) : null}
        </div>
        <div className="card">
          <div className="label">{de ? "Erwartet offen" : "Expected open"}</div>
          <div className="value" data-testid="expected-open">
            <Money amount={r.expectedOpen} currency={c} />
          </div>
          <div className={balanceMismatch ? "badge danger" : "muted"}>
            {de ? "laut Lieferant" : "supplier says"}: <Money amount={r.invoice.amountDue} currency={c} />
          </div>
        </div>
        <div className="card">
          <div className="label">{de ? "Auffällige Positionen" : "Lines to check"}</div>
          <div className={`value ${problems > 0 ? "danger" : ""}`} data-testid="line-issues">
            {problems}
          </div>
        </div>
      </div>
      <section className="panel">
        <h2>{de ? "Rechnung gegen Auftrag und Lieferung" : "Invoice vs order vs delivery"}</h2>
        <table className="grid" data-testid="reconciliation-lines">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "common.sku")}</th>
              <th>{translate(lang, "common.description")}</th>
              <th className="num">{de ? "Bestellt" : "Ordered"}</th>
              <th className="num">{de ? "Geliefert" : "Shipped"}</th>
              <th className="num">{de ? "Berechnet (gesamt)" : "Invoiced (to date)"}</th>
              <th className="num">{de ? "Preis Auftrag" : "Order price"}</th>
              <th className="num">{de ? "Preis Rechnung" : "Invoice price"}</th>
              <th>{de ? "Hinweis" : "Check"}</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.sku}</td>
                <td className="wrap">{l.description}</td>
                <td className="num">{l.orderedQuantity ? formatNumber(lang, l.orderedQuantity) : "–"}</td>
                <td className="num">{l.shippedQuantity ? formatNumber(lang, l.shippedQuantity) : "–"}</td>
                <td className="num">
                  {formatNumber(lang, l.invoicedQuantity)} ({formatNumber(lang, l.invoicedToDate ?? l.invoicedQuantity)}) {unitLabel(lang, l.unit, l.invoicedToDate ?? l.invoicedQuantity)}
                </td>
                <td className="num">{l.orderPrice ? <Money amount={l.orderPrice} currency={c} /> : "–"}</td>
                <td className="num">
                  <Money amount={l.invoicedPrice} currency={c} />
                </td>
                <td>
                  {l.issues.map((issue) => (
                    <span key={issue} className="badge danger">
                      {ISSUE_TEXT[lang][issue]}
                    </span>
                  ))}
                  {l.issues.length === 0 ? <span className="badge ok">OK</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="split">
        <section className="panel">
          <h2>{de ? "Gutschriften" : "Credit notes"}</h2>
          <table className="grid">
            <tbody>
              {r.credits.map((cn) => (
                <tr key={cn.id}>
                  <td>
                    <Link to={`/invoices/${cn.id}`}>{cn.number}</Link>
                  </td>
                  <td>
                    <DateText value={cn.issueDate} />
                  </td>
                  <td className="num">
                    −<Money amount={cn.grossAmount} currency={c} />
                  </td>
                </tr>
              ))}
              {r.credits.length === 0 ? (
                <tr>
                  <td className="muted">{de ? "Keine" : "None"}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </section>
        <section className="panel">
          <h2>{de ? "Zahlungen" : "Payments"}</h2>
          <table className="grid">
            <tbody>
              {r.payments.map((p, index) => (
                <tr key={index}>
                  <td>
                    <DateText value={p.paidAt} />
                  </td>
                  <td>{p.reference}</td>
                  <td className="num">
                    −<Money amount={p.amount} currency={c} />
                  </td>
                </tr>
              ))}
              {r.payments.length === 0 ? (
                <tr>
                  <td className="muted">{de ? "Keine" : "None"}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
