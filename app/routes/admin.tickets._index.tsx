import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { FilterSelect } from "~/components/form";
import { codeLabel, formatDateTime } from "~/i18n/i18n";
import { requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { staffStatusLabel, TICKET_STATUSES } from "~/modules/support/schemas";
import { listTicketsForStaff } from "~/modules/support/staff.server";

export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export const meta: MetaFunction = () => [{ title: "Support tickets · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "accounts.read");
  const params = new URL(request.url).searchParams;
  const status = params.get("status") ?? "active";
  const known = status === "active" || status === "all" || (TICKET_STATUSES as readonly string[]).includes(status);
  // "me": the signed-in colleague's tickets, "none": nobody's yet; anything else: everyone's.
  const assigned = params.get("assigned");
  const assigneeId = assigned === "me" ? user.id : assigned === "none" ? null : undefined;
  return { tickets: await listTicketsForStaff({ status: !known || status === "all" ? undefined : status, assigneeId }) };
}

export default function AdminTickets() {
  const { tickets } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Support tickets</h1>
      <FilterSelect id="ticket-assigned" name="assigned" label="Assigned to" defaultValue={params.get("assigned") ?? ""} keep={{ status: params.get("status") }}>
        <option value="">Anyone</option>
        <option value="me">Me</option>
        <option value="none">Nobody yet</option>
      </FilterSelect>
      <FilterSelect id="ticket-status" name="status" label="Status" defaultValue={params.get("status") ?? "active"} keep={{ assigned: params.get("assigned") }}>
        <option value="active">Not resolved or closed</option>
        <option value="all">All</option>
        {TICKET_STATUSES.map((s) => (
          <option key={s} value={s}>
            {staffStatusLabel(s)}
          </option>
        ))}
      </FilterSelect>
      <div className="panel">
        {tickets.length === 0 ? <p className="muted panel-empty">No tickets.</p> : null}
        <table className="grid" hidden={tickets.length === 0} data-testid="admin-tickets">
          <thead>
            <tr>
              <th>#</th>
              <th>Subject</th>
              <th>Account</th>
              <th>Category</th>
              <th>Priority</th>
              <th>Status</th>
              <th>Assigned to</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link to={`/admin/tickets/${t.id}`}>{t.number}</Link>
                </td>
                <td className="wrap">{t.subject}</td>
                <td>
                  <Link to={`/admin/accounts/${t.accountId}`}>
                    {t.accountNumber} {t.accountName}
                  </Link>
                </td>
                <td>{codeLabel("en", "support.category", t.category)}</td>
                <td>{t.priority === "high" || t.priority === "urgent" ? <span className="badge warn">{codeLabel("en", "support.priority", t.priority)}</span> : codeLabel("en", "support.priority", t.priority)}</td>
                <td>
                  <span className="badge">{staffStatusLabel(t.status)}</span>
                </td>
                <td>{t.assigneeName ?? <span className="muted">–</span>}</td>
                <td>{formatDateTime("en", t.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
