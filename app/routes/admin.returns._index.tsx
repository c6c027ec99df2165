import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { FilterSelect } from "~/components/form";
import { codeLabel, formatDateTime } from "~/i18n/i18n";
import { requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { listReturnRequestsForStaff } from "~/modules/returns/staff.server";

export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export const meta: MetaFunction = () => [{ title: "Return requests · Admin · Ledgerlight" }];

const STATUSES = ["submitted", "approved", "rejected", "received", "credited", "cancelled"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "accounts.read");
  const status = new URL(request.url).searchParams.get("status") ?? "submitted";
  return { returns: await listReturnRequestsForStaff({ status: (STATUSES as readonly string[]).includes(status) ? status : undefined }) };
}

export default function AdminReturns() {
  const { returns } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Return requests</h1>
      <FilterSelect id="return-status" name="status" label="Status" defaultValue={params.get("status") ?? "submitted"}>
        <option value="all">All</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {codeLabel("en", "status", s)}
          </option>
        ))}
      </FilterSelect>
      <div className="panel">
        {returns.length === 0 ? <p className="muted panel-empty">No return requests.</p> : null}
        <table className="grid" hidden={returns.length === 0} data-testid="admin-returns">
          <thead>
            <tr>
              <th>#</th>
              <th>Account</th>
              <th>Order</th>
              <th>Reason</th>
              <th>Requested by</th>
              <th>Status</th>
              <th>Requested</th>
            </tr>
          </thead>
          <tbody>
            {returns.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/admin/returns/${r.id}`}>{r.number}</Link>
                </td>
                <td>
                  <Link to={`/admin/accounts/${r.accountId}`}>
                    {r.accountNumber} {r.accountName}
                  </Link>
                </td>
                <td>{r.orderNumber ?? "–"}</td>
                <td>{codeLabel("en", "returns.reason", r.reason)}</td>
                <td>{r.requestedBy ?? "–"}</td>
                <td>
                  <span className="badge">{codeLabel("en", "status", r.status)}</span>
                </td>
                <td>{formatDateTime("en", r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
