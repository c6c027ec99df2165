import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { codeLabel, formatNumber, translate } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { vatCategoryName } from "~/modules/documents/labels";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { getInvoice } from "~/modules/invoices/invoices.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { InvoiceDownloads } from "~/modules/documents/components/InvoiceDownloads";
import { describeInvoiceDownloads } from "~/modules/documents/invoice-files.server";
import { daysUntilDue } from "~/modules/invoices/due-days";
import { DueIn, useLocalToday } from "~/modules/invoices/components/DueIn";

export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.invoice.number ?? "Invoice"} · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "invoices.read");
  const invoice = await getInvoice(scope, params.invoiceId ?? "");
  if (!invoice) notFound();
  return { invoice, downloads: await describeInvoiceDownloads(scope, invoice.id) };
}

/**
 * From the replica. The server answers (404) for a role without invoices.read and for an invoice
 * the replica does not hold (foreign, unknown, not synced yet).
 */
export async function clientLoader({ params, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal(
    "portal.invoice",
    ({ access, today }) => (access.invoices ? { id: params.invoiceId ?? "", today } : null),
    // The download options are the server's to say: InvoiceDownloads fetches them when null.
    (invoice) => ({ invoice, downloads: null }),
    () => serverLoader<typeof loader>(),
  );
}

export default function InvoicePage() {
  const data = useLoaderData<typeof loader>();
  const { invoice } = data;
  const lang = useLang();
  const dueDays = daysUntilDue(invoice, useLocalToday());
  const c = invoice.currency;
  return (
    <>
      <p>
        <Link to="/invoices">← {translate(lang, "invoices.title")}</Link>
      </p>
      <h1>
        {translate(lang, invoice.kind === "credit_note" ? "invoices.creditNote" : "invoices.invoice")} {invoice.number}{" "}
        <StatusBadge status={invoice.overdue ? "overdue" : invoice.status} />
      </h1>
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "invoices.issued")}</dt>
          <dd>
            <DateText value={invoice.issueDate} />
          </dd>
          {invoice.dueDate ? (
            <>
              <dt>{translate(lang, "invoices.due")}</dt>
              <dd>
                <DateText value={invoice.dueDate} />
                {dueDays === null ? null : (
                  <>
                    {" "}(<DueIn lang={lang} days={dueDays} />)
                  </>
                )}
              </dd>
            </>
          ) : null}
          {invoice.salesOrderId ? (
            <>
              <dt>{translate(lang, "orders.number")}</dt>
              <dd>
                <Link to={`/orders/${invoice.salesOrderId}`}>{invoice.orderNumber}</Link>
              </dd>
            </>
          ) : null}
          {invoice.precedingInvoice ? (
            <>
              <dt>{translate(lang, "invoices.corrects")}</dt>
              <dd>
                <Link to={`/invoices/${invoice.precedingInvoice.id}`}>{invoice.precedingInvoice.number}</Link>
              </dd>
            </>
          ) : null}
          <dt>{translate(lang, "common.net")}</dt>
          <dd>
            <Money amount={invoice.netAmount} currency={c} />
          </dd>
          <dt>{translate(lang, "common.tax")}</dt>
          <dd>
            <Money amount={invoice.taxAmount} currency={c} />
          </dd>
          <dt>{translate(lang, "common.gross")}</dt>
          <dd>
            <Money amount={invoice.grossAmount} currency={c} />
          </dd>
          <dt>{translate(lang, "invoices.amountDue")}</dt>
          <dd data-testid="amount-due">
            <Money amount={invoice.amountDue} currency={c} />
          </dd>
          {invoice.paymentTerms ? (
            <>
              <dt>{translate(lang, "invoices.terms")}</dt>
              <dd>{invoice.paymentTerms}</dd>
            </>
          ) : null}
        </dl>
      </div>
      <InvoiceDownloads invoiceId={invoice.id} initial={"downloads" in data ? data.downloads : null} lang={lang} />
      <section className="panel">
        <h2>{translate(lang, "orders.lines")}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "common.sku")}</th>
              <th>{translate(lang, "common.description")}</th>
              <th className="num">{translate(lang, "common.quantity")}</th>
              <th className="num">{translate(lang, "common.unitPrice")}</th>
              <th className="num">{translate(lang, "common.tax")}</th>
              <th className="num">{translate(lang, "common.net")}</th>
            </tr>
          </thead>
          <tbody>
            {invoice.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.sku}</td>
                <td className="wrap">{l.description}</td>
                <td className="num">
                  {formatQuantity(lang, l.quantity, l.unit)}
                </td>
                <td className="num">
                  <Money amount={l.unitPrice} currency={c} />
                </td>
                <td className="num">{formatNumber(lang, l.vatRate, 2)} %</td>
                <td className="num">
                  <Money amount={l.netAmount} currency={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>{translate(lang, "common.tax")}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>{translate(lang, "invoices.vatCategory")}</th>
              <th className="num">{translate(lang, "invoices.vatRate")}</th>
              <th className="num">{translate(lang, "invoices.taxable")}</th>
              <th className="num">{translate(lang, "common.tax")}</th>
            </tr>
          </thead>
          <tbody>
            {invoice.taxBreakdown.map((t) => (
              <tr key={`${t.vatCategory}-${t.vatRate}`}>
                <td>{vatCategoryName(lang, t.vatCategory)}</td>
                <td className="num">{formatNumber(lang, t.vatRate, 2)} %</td>
                <td className="num">
                  <Money amount={t.taxableAmount} currency={c} />
                </td>
                <td className="num">
                  <Money amount={t.taxAmount} currency={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {invoice.payments.length > 0 ? (
        <section className="panel">
          <h2>{translate(lang, "invoices.payments")}</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>{translate(lang, "invoices.paidAt")}</th>
                <th>{translate(lang, "invoices.method")}</th>
                <th>{translate(lang, "invoices.reference")}</th>
                <th className="num">{translate(lang, "invoices.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {invoice.payments.map((p, index) => (
                <tr key={index}>
                  <td>
                    <DateText value={p.paidAt} />
                  </td>
                  <td>{codeLabel(lang, "payment", p.method)}</td>
                  <td>{p.reference}</td>
                  <td className="num">
                    <Money amount={p.amount} currency={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
