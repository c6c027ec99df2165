import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/modules/access/guards.server";
import { staffCan } from "~/modules/access/permissions";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "admin" });

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request);
  return {
    user: { name: user.name, email: user.email, role: user.staffRole },
    can: {
      outbox: staffCan(user.staffRole, "outbox.read"),
      signups: staffCan(user.staffRole, "signups.decide"),
      erp: staffCan(user.staffRole, "erp.manage"),
    },
  };
}

export default function AdminShell() {
  const { user, can } = useLoaderData<typeof loader>();
  return (
    <div className="shell">
      <aside className="sidebar" aria-label="Admin">
        <div className="brand">
          {useRootData()?.supplierName}
          <small>Staff · {user.role}</small>
        </div>
        <nav>
          <NavLink to="/admin" end>
            Accounts
          </NavLink>
          <NavLink to="/admin/documents">Documents</NavLink>
          <NavLink to="/admin/tickets">Support tickets</NavLink>
          <NavLink to="/admin/returns">Return requests</NavLink>
          {can.signups ? <NavLink to="/admin/signups">Access requests</NavLink> : null}
          {can.outbox ? <NavLink to="/admin/mail-queue">Mail queue</NavLink> : null}
          {can.outbox ? <NavLink to="/admin/outbox">Outbox</NavLink> : null}
          {can.erp ? (
            <>
              <NavLink to="/admin/erp/runs">ERP import runs</NavLink>
              <NavLink to="/admin/erp/rejected">ERP dead letter</NavLink>
              <NavLink to="/admin/erp/upload">ERP CSV upload</NavLink>
              <NavLink to="/admin/erp/sources">ERP SQL sources</NavLink>
              <NavLink to="/admin/erp/keys">ERP API keys</NavLink>
              <NavLink to="/admin/erp/webhooks">ERP webhooks</NavLink>
            </>
          ) : null}
        </nav>
        <div className="foot">
          <div>{user.name}</div>
          <div className="who">{user.email}</div>
          <Form method="post" action="/logout" style={{ marginTop: 6 }}>
            <button type="submit">Sign out</button>
          </Form>
        </div>
      </aside>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
