import { useCallback, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { ListToolbar } from "~/components/ListToolbar";
import { codeLabel, formatDate, translate } from "~/i18n/i18n";
import { requireContactPermission } from "~/modules/access/guards.server";
import { listInvoices } from "~/modules/invoices/invoices.server";
import { INVOICE_STATES, type InvoiceState } from "~/modules/invoices/states";
import { routeAccess } from "~/modules/access/route-access";
import { readPortal } from "~/replica/portal-reads.client";
import { BulkDownload } from "~/modules/documents/components/BulkDownload";
import { daysUntilDue, dueInText } from "~/modules/invoices/due-days";
import { DueIn, useLocalToday } from "~/modules/invoices/components/DueIn";
import { LIST_LIMIT } from "~/modules/lists";

export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export const meta: MetaFunction = () => [{ title: "Invoices · Ledgerlight" }];

const STATES = INVOICE_STATES;

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

type InvoiceRow = Awaited<ReturnType<typeof listInvoices>>[number];

export default function InvoicesPage() {
  const { invoices } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("invoices");
  const [selected, setSelected] = useState<string[]>([]);
  const onSelectionChange = useCallback((rows: InvoiceRow[]) => setSelected(rows.map(keyOf)), []);
  const labels: Record<InvoiceState, string> = {
    open: translate(lang, "status.open"),
    partially_paid: translate(lang, "status.partially_paid"),
    overdue: translate(lang, "status.overdue"),
    paid: translate(lang, "status.paid"),
    credit_note: lang === "de" ? "Gutschriften" : "Credit notes",
  };
  const today = useLocalToday();
  const columns: Column<InvoiceRow>[] = [
    {
      id: "number",
      label: translate(lang, "invoices.number"),
      width: 175,
      sortValue: (i) => i.number,
      text: (i) => i.number,
      render: (i) => (
        <>
          <Link to={`/invoices/${i.id}`}>{i.number}</Link> {i.kind === "credit_note" ? <span className="badge">CN</span> : null}
        </>
      ),
    },
    { id: "issued", label: translate(lang, "invoices.issued"), width: 112, sortValue: (i) => String(i.issueDate), text: (i) => formatDate(lang, i.issueDate), render: (i) => <DateText value={i.issueDate} /> },
    { id: "due", label: translate(lang, "invoices.due"), width: 112, sortValue: (i) => (i.dueDate ? String(i.dueDate) : null), text: (i) => formatDate(lang, i.dueDate), render: (i) => <DateText value={i.dueDate} /> },
    {
      id: "due_in",
      label: lang === "de" ? "Fällig in" : "Due in",
      width: 160,
      sortValue: (i) => daysUntilDue(i, today),
      text: (i) => dueInText(lang, daysUntilDue(i, today)),
      render: (i) => <DueIn lang={lang} days={daysUntilDue(i, today)} />,
    },
    {
      id: "order",
      label: translate(lang, "orders.number"),
      width: 150,
      sortValue: (i) => i.orderNumber ?? "",
      text: (i) => i.orderNumber ?? "",
      // Plain text when the order is outside the contact's view (no order id): a link would 404.
      render: (i) => (i.orderId ? <Link to={`/orders/${i.orderId}`}>{i.orderNumber}</Link> : i.orderNumber),
    },
    { id: "status", label: translate(lang, "invoices.status"), width: 130, sortValue: (i) => (i.overdue ? "overdue" : i.status), text: (i) => codeLabel(lang, "status", i.overdue ? "overdue" : i.status), render: (i) => <StatusBadge status={i.overdue ? "overdue" : i.status} /> },
    { id: "amount", label: translate(lang, "invoices.amount"), width: 120, align: "right", sortValue: (i) => Number(signed(i, i.grossAmount)), text: (i) => `${signed(i, i.grossAmount)} ${i.currency}`, render: (i) => <Money amount={signed(i, i.grossAmount)} currency={i.currency} /> },
    { id: "due_amount", label: translate(lang, "invoices.amountDue"), width: 120, align: "right", sortValue: (i) => Number(signed(i, i.amountDue)), text: (i) => `${signed(i, i.amountDue)} ${i.currency}`, render: (i) => <Money amount={signed(i, i.amountDue)} currency={i.currency} /> },
  ];
  return (
    <>
      <h1>{translate(lang, "invoices.title")}</h1>
      <ListToolbar states={STATES.map((s) => ({ value: s, label: labels[s] }))} />
      <BulkDownload list="invoices" lang={lang} selected={selected} />
      <InvoiceTotals invoices={invoices} lang={lang} />
      <DataTable
        id="invoices"
        label={translate(lang, "invoices.title")}
        rows={invoices}
        columns={columns}
        rowKey={keyOf}
        rowHref={(i) => `/invoices/${i.id}`}
        preference={preference}
        selectable
        selectName="ids"
        onSelectionChange={onSelectionChange}
        // The bulk-download bar's CSV export (server-side, audited) is the list's one export.
        csvExport={false}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
      />
    </>
  );
}

/** The row's key is also its bulk-download value. */
function keyOf(i: { kind: string; id: string }) {
  return `${i.kind}:${i.id}`;
}

/**
 * A credit note's amounts count against the customer's invoices, as on an open-items list: shown and
 * summed negative here (its own page shows the document's positive amounts).
 */
function signed(i: { kind: string }, amount: string): string {
  return i.kind === "credit_note" && Number(amount) !== 0 ? `-${amount}` : amount;
}

/** numeric(14,2) text as integer cents (exact sums). */
const centsOf = (amount: string | number) => Math.round(Number(amount) * 100);

/**
 * Sum of amount due and of gross per currency for the rows shown, credit notes negative (a list cut
 * at LIST_LIMIT says so).
 */
function InvoiceTotals({ invoices, lang }: { invoices: readonly InvoiceRow[]; lang: "en" | "de" }) {
  const totals = new Map<string, { due: number; gross: number; count: number }>();
  for (const i of invoices) {
    const t = totals.get(i.currency) ?? { due: 0, gross: 0, count: 0 };
    t.due += centsOf(signed(i, i.amountDue));
    t.gross += centsOf(signed(i, i.grossAmount));
    t.count += 1;
    totals.set(i.currency, t);
  }
  if (totals.size === 0) return null;
  const de = lang === "de";
  const capped = invoices.length >= LIST_LIMIT;
  return (
    <div className="toolbar" data-testid="invoice-totals">
      {capped ? <span className="muted">{de ? `Summen der ersten ${LIST_LIMIT} Treffer:` : `Totals of the first ${LIST_LIMIT} matches:`}</span> : null}
      {[...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => (
        <span key={currency} className="badge" data-testid={`invoice-totals-${currency}`}>
          {currency}: {de ? "offen" : "due"} <Money amount={(t.due / 100).toFixed(2)} currency={currency} /> · {de ? "brutto" : "gross"}{" "}
          <Money amount={(t.gross / 100).toFixed(2)} currency={currency} /> ({t.count})
        </span>
      ))}
    </div>
  );
}
