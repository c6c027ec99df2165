import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { ListToolbar } from "~/components/ListToolbar";
import { translate } from "~/i18n/i18n";
import { requireContactPermission } from "~/modules/access/guards.server";
import { listInvoices } from "~/modules/invoices/invoices.server";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { BulkDownload, SelectBox } from "~/modules/documents/components/BulkDownload";

export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export const meta: MetaFunction = () => [{ title: "Invoices · Ledgerlight" }];

const STATES = ["open", "overdue", "paid", "credit_note"] as const;
type InvoiceState = (typeof STATES)[number];

/** The list's filters from the query string (the server loader and the clientLoader read the same). */
function filtersOf(request: Request) {
  const url = new URL(request.url);
  const state = url.searchParams.get("state") as InvoiceState | null;
  return {
    q: url.searchParams.get("q")?.slice(0, 100) || undefined,
    state: state && STATES.includes(state) ? state : undefined,
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "invoices.read");
  return { invoices: await listInvoices(scope, filtersOf(request)) };
}

/** A role without invoices.read gets the server's 404, never the (empty) local list. */
export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  return readPortal(
    "portal.invoices",
    ({ access, today }) => (access.invoices ? { ...filtersOf(request), today } : null),
    (invoices) => ({ invoices }),
    () => serverLoader<typeof loader>(),
  );
}

export default function InvoicesPage() {
  const { invoices } = useLoaderData<typeof loader>();
  const lang = useLang();
  const labels: Record<InvoiceState, string> = {
    open: translate(lang, "status.open"),
    overdue: translate(lang, "status.overdue"),
    paid: translate(lang, "status.paid"),
    credit_note: "Credit notes",
  };
  return (
    <>
      <h1>{translate(lang, "invoices.title")}</h1>
      <ListToolbar states={STATES.map((s) => ({ value: s, label: labels[s] }))} />
      <BulkDownload list="invoices" lang={lang} />
      <div className="panel">
        <table className="grid" data-testid="invoices-table">
          <thead>
            <tr>
              <th>{translate(lang, "invoices.number")}</th>
              <th>{translate(lang, "invoices.issued")}</th>
              <th>{translate(lang, "invoices.due")}</th>
              <th>{translate(lang, "orders.number")}</th>
              <th>{translate(lang, "invoices.status")}</th>
              <th className="num">{translate(lang, "invoices.amount")}</th>
              <th className="num">{translate(lang, "invoices.amountDue")}</th>
              <th>
                <span className="sr-only">Select</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/invoices/${i.id}`}>{i.number}</Link> {i.kind === "credit_note" ? <span className="badge">CN</span> : null}
                </td>
                <td>
                  <DateText value={i.issueDate} />
                </td>
                <td>
                  <DateText value={i.dueDate} />
                </td>
                <td>{i.orderNumber}</td>
                <td>
                  <StatusBadge status={i.overdue ? "overdue" : i.status} />
                </td>
                <td className="num">
                  <Money amount={i.grossAmount} currency={i.currency} />
                </td>
                <td className="num">
                  <Money amount={i.amountDue} currency={i.currency} />
                </td>
                <td>
                  <SelectBox value={`${i.kind}:${i.id}`} label={i.number} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {invoices.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}
