import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { DateText, Money, StatusBadge, useLang } from "~/components/format";
import { useViewPreference, type Column } from "~/components/DataTable";
import { SplitView } from "~/components/SplitView";
import { ListToolbar } from "~/components/ListToolbar";
import { codeLabel, formatDate, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listOrderFilterOptions, listOrders } from "~/modules/orders/orders.server";
import { OrderPreview } from "~/modules/orders/components/OrderPreview";
import { routeAccess } from "~/modules/access/route-access";
import { once, readPortal } from "~/replica/portal-reads.client";
import { LIST_LIMIT } from "~/modules/lists";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Orders · Ledgerlight" }];

const STATES = ["open", "confirmed", "in_production", "partially_shipped", "shipped", "completed", "cancelled", "on_hold"];

/** The list's filters from the query string (the server loader and the clientLoader read the same). */
function filtersOf(request: Request) {
  const url = new URL(request.url);
  const state = url.searchParams.get("state") ?? "";
  const param = (name: string) => url.searchParams.get(name)?.slice(0, 100) || undefined;
  const date = (name: string) => (/^\d{4}-\d{2}-\d{2}$/.test(param(name) ?? "") ? param(name) : undefined);
  return {
    q: param("q"),
    status: STATES.includes(state) ? state : undefined,
    from: date("from"),
    to: date("to"),
    locationId: param("location"),
    costCenterId: param("costCenter"),
    buyer: param("buyer"),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const [orders, options] = await Promise.all([listOrders(scope, filtersOf(request)), listOrderFilterOptions(scope)]);
  return { orders, options };
}

/** The rows and the filters' values, each from the replica when it holds them (one server request otherwise). */
export async function clientLoader({ request, serverLoader }: ClientLoaderFunctionArgs) {
  const server = once(() => serverLoader<typeof loader>());
  const [orders, options] = await Promise.all([
    readPortal("portal.orders", () => filtersOf(request), (rows) => rows, async () => (await server()).orders),
    readPortal("portal.order-filters", () => ({}), (values) => values, async () => (await server()).options),
  ]);
  return { orders, options };
}

type OrderRow = Awaited<ReturnType<typeof listOrders>>[number];

/** Every value the contact may filter by (listOrderFilterOptions), plus the one in the URL should it be gone. */
function optionsOf(values: readonly [string, string][], selected: string | null): [string, string][] {
  return selected && !values.some(([key]) => key === selected) ? [...values, [selected, selected]] : [...values];
}

function FilterSelect({ name, label, options }: { name: string; label: string; options: [string, string][] }) {
  const [params] = useSearchParams();
  const lang = useLang();
  return (
    <>
      <label htmlFor={`filter-${name}`} className="sr-only">
        {label}
      </label>
      <select id={`filter-${name}`} name={name} defaultValue={params.get(name) ?? ""} key={params.get(name) ?? ""}>
        <option value="">{label}: {translate(lang, "common.any")}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </>
  );
}

export default function OrdersPage() {
  const { orders, options } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("orders");
  const [params] = useSearchParams();
  const de = lang === "de";
  const columns: Column<OrderRow>[] = [
    { id: "number", label: translate(lang, "orders.number"), width: 150, sortValue: (o) => o.number, text: (o) => o.number, render: (o) => <Link to={`/orders/${o.id}`}>{o.number}</Link> },
    { id: "date", label: translate(lang, "orders.date"), width: 112, sortValue: (o) => String(o.orderDate), text: (o) => formatDate(lang, o.orderDate), render: (o) => <DateText value={o.orderDate} /> },
    { id: "status", label: translate(lang, "orders.status"), width: 130, sortValue: (o) => o.status, text: (o) => codeLabel(lang, "status", o.status), render: (o) => <StatusBadge status={o.status} /> },
    { id: "total", label: translate(lang, "orders.total"), width: 120, align: "right", sortValue: (o) => Number(o.grossAmount), text: (o) => `${o.grossAmount} ${o.currency}`, render: (o) => <Money amount={o.grossAmount} currency={o.currency} /> },
    { id: "reference", label: translate(lang, "orders.reference"), width: 150, sortValue: (o) => o.customerReference ?? "", text: (o) => o.customerReference ?? "", render: (o) => o.customerReference },
    { id: "location", label: translate(lang, "orders.location"), width: 160, sortValue: (o) => o.locationName ?? "", text: (o) => o.locationName ?? "", render: (o) => o.locationName },
    { id: "cost_center", label: de ? "Kostenstelle" : "Cost center", width: 130, sortValue: (o) => o.costCenterName ?? "", text: (o) => o.costCenterName ?? "", render: (o) => o.costCenterName },
    { id: "buyer", label: translate(lang, "orders.buyer"), width: 140, sortValue: (o) => o.buyerName ?? "", text: (o) => o.buyerName ?? "", render: (o) => o.buyerName },
    { id: "lines", label: translate(lang, "orders.lines"), width: 70, align: "right", sortValue: (o) => Number(o.lineCount), text: (o) => String(o.lineCount), render: (o) => o.lineCount },
  ];
  return (
    <>
      <h1>{translate(lang, "orders.title")}</h1>
      <ListToolbar states={STATES.map((s) => ({ value: s, label: translate(lang, `status.${s}` as never) }))}>
        <label htmlFor="filter-from">{de ? "Von" : "From"}</label>
        <input id="filter-from" type="date" name="from" defaultValue={params.get("from") ?? ""} key={`from-${params.get("from")}`} />
        <label htmlFor="filter-to">{de ? "bis" : "to"}</label>
        <input id="filter-to" type="date" name="to" defaultValue={params.get("to") ?? ""} key={`to-${params.get("to")}`} />
        <FilterSelect name="location" label={translate(lang, "orders.location")} options={optionsOf(options.locations.map((l) => [l.id, l.name]), params.get("location"))} />
        <FilterSelect name="costCenter" label={de ? "Kostenstelle" : "Cost center"} options={optionsOf(options.costCenters.map((c) => [c.id, c.name]), params.get("costCenter"))} />
        <FilterSelect name="buyer" label={translate(lang, "orders.buyer")} options={optionsOf(options.buyers.map((b) => [b, b]), params.get("buyer"))} />
      </ListToolbar>
      <SplitView
        id="orders"
        label={translate(lang, "orders.title")}
        rows={orders}
        columns={columns}
        rowKey={(o) => o.id}
        rowHref={(o) => `/orders/${o.id}`}
        preference={preference}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
        preview={(o) => <OrderPreview order={o} lang={lang} />}
        previewLabel={de ? "Vorschau" : "Preview"}
        previewEmpty={de ? "Wählen Sie einen Auftrag (j/k)." : "Pick an order (j/k)."}
        previewTestId="order-preview"
      />
    </>
  );
}
