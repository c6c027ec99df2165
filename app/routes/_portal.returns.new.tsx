import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DateText, StatusBadge, useLang } from "~/components/format";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { codeLabel, formatDate, translate } from "~/i18n/i18n";
import { requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { listReturnableOrders } from "~/modules/returns/request.server";

export const handle = routeAccess({ area: "portal", permission: "returns.request" });

export const meta: MetaFunction = () => [{ title: "Request a return · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "returns.request");
  return { orders: await listReturnableOrders(scope) };
}

type Row = Awaited<ReturnType<typeof listReturnableOrders>>[number];

/** Which order to return goods of: shipped orders, newest first; Enter opens the order's return form. */
export default function NewReturnPage() {
  const { orders } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("returnable-orders");
  const columns: Column<Row>[] = [
    { id: "number", label: translate(lang, "orders.number"), width: 130, sortValue: (o) => o.number, text: (o) => o.number, render: (o) => <Link to={`/orders/${o.id}/return`}>{o.number}</Link> },
    { id: "date", label: translate(lang, "orders.date"), width: 112, sortValue: (o) => o.orderDate, text: (o) => formatDate(lang, o.orderDate), render: (o) => <DateText value={o.orderDate} /> },
    { id: "reference", label: translate(lang, "orders.reference"), width: 180, sortValue: (o) => o.customerReference ?? "", text: (o) => o.customerReference ?? "", render: (o) => o.customerReference },
    { id: "location", label: translate(lang, "orders.location"), width: 180, sortValue: (o) => o.locationName ?? "", text: (o) => o.locationName ?? "", render: (o) => o.locationName },
    { id: "status", label: translate(lang, "orders.status"), width: 150, sortValue: (o) => o.status, text: (o) => codeLabel(lang, "status", o.status), render: (o) => <StatusBadge status={o.status} /> },
  ];
  return (
    <>
      <p>
        <Link to="/returns">← {translate(lang, "returns.title")}</Link>
      </p>
      <h1>{translate(lang, "returns.new")}</h1>
      <p className="muted">{translate(lang, "returns.pickOrder")}</p>
      <DataTable
        id="returnable-orders"
        label={translate(lang, "returns.new")}
        rows={orders}
        columns={columns}
        rowKey={(o) => o.id}
        rowHref={(o) => `/orders/${o.id}/return`}
        preference={preference}
        emptyText={translate(lang, "returns.noReturnableOrders")}
        autoFocus
        lang={lang}
      />
    </>
  );
}
