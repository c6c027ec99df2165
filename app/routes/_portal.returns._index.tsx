import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { formatDateTime, translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { listReturnRequests } from "~/modules/returns/returns.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Returns · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  return { returns: await listReturnRequests(scope) };
}

export default function ReturnsPage() {
  const { returns } = useLoaderData<typeof loader>();
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "returns.title")}</h1>
      <div className="panel">
        <table className="grid" data-testid="returns-table">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "orders.number")}</th>
              <th>Reason</th>
              <th>{translate(lang, "orders.status")}</th>
              <th>{translate(lang, "orders.date")}</th>
            </tr>
          </thead>
          <tbody>
            {returns.map((r) => (
              <tr key={r.id}>
                <td>{r.number}</td>
                <td>{r.orderId ? <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link> : null}</td>
                <td>{r.reason.replace(/_/g, " ")}</td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td>{formatDateTime(lang, r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {returns.length === 0 ? <p className="muted" style={{ padding: 10 }}>{translate(lang, "common.none")}</p> : null}
      </div>
    </>
  );
}
