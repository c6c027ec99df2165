import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { ShortcutLink } from "~/components/ShortcutLink";
import { DataTable, useViewPreference, type Column } from "~/components/DataTable";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listReturnRequests } from "~/modules/returns/returns.server";
import { routeAccess } from "~/modules/access/route-access";
import { catchUpInBackground } from "~/replica/active-replica.client";
import { readPortal } from "~/replica/portal-reads.client";
import { LIST_LIMIT } from "~/modules/lists";
import { contactCan, type ContactRole } from "~/modules/access/permissions";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Returns · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { returns: await listReturnRequests(scope) };
}

/** From the replica once synced (the writing pages refresh its shape before they answer); the server until then. */
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  catchUpInBackground(["return_requests"]);
  return readPortal("portal.returns", () => ({}), (returns) => ({ returns }), () => serverLoader<typeof loader>());
}

type ReturnRow = Awaited<ReturnType<typeof listReturnRequests>>[number];

export default function ReturnsPage() {
  const { returns } = useLoaderData<typeof loader>();
  const lang = useLang();
  const preference = useViewPreference("returns");
  const role = useRouteLoaderData<{ role?: ContactRole }>("routes/_portal")?.role;
  const canRequest = role ? contactCan(role, "returns.request") : false;
  const columns: Column<ReturnRow>[] = [
    { id: "number", label: "#", width: 110, sortValue: (r) => r.number, text: (r) => r.number, render: (r) => <Link to={`/returns/${r.id}`}>{r.number}</Link> },
    {
      id: "order",
      label: translate(lang, "orders.number"),
      width: 140,
      sortValue: (r) => r.orderNumber ?? "",
      text: (r) => r.orderNumber ?? "",
      render: (r) => (r.orderId ? <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link> : null),
    },
    { id: "reason", label: translate(lang, "returns.reason"), width: 160, sortValue: (r) => r.reason, text: (r) => codeLabel(lang, "returns.reason", r.reason), render: (r) => codeLabel(lang, "returns.reason", r.reason) },
    { id: "status", label: translate(lang, "orders.status"), width: 150, sortValue: (r) => r.status, text: (r) => codeLabel(lang, "status", r.status), render: (r) => <StatusBadge status={r.status} /> },
    { id: "requested", label: translate(lang, "returns.requested"), width: 160, sortValue: (r) => String(r.createdAt), text: (r) => formatDateTime(lang, r.createdAt), render: (r) => formatDateTime(lang, r.createdAt) },
  ];
  return (
    <>
      <div className="page-head">
        <h1>{translate(lang, "returns.title")}</h1>
        {canRequest ? (
          <ShortcutLink to="/returns/new" hotkey="n" className="button primary">
            {translate(lang, "returns.new")}
          </ShortcutLink>
        ) : null}
      </div>
      <DataTable
        id="returns"
        label={translate(lang, "returns.title")}
        rows={returns}
        columns={columns}
        rowKey={(r) => r.id}
        rowHref={(r) => `/returns/${r.id}`}
        preference={preference}
        limit={LIST_LIMIT}
        emptyText={translate(lang, "common.none")}
        autoFocus
        lang={lang}
      />
    </>
  );
}
