import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireStaff } from "~/modules/access/guards.server";
import { searchAccounts } from "~/modules/admin/accounts.server";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export const meta: MetaFunction = () => [{ title: "Accounts · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "accounts.read");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? undefined;
  return { accounts: await searchAccounts(q) };
}

export default function AdminAccounts() {
  const { accounts } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Accounts</h1>
      <Form method="get" className="toolbar" role="search">
        <label htmlFor="account-search" className="sr-only">
          Search accounts
        </label>
        <input id="account-search" type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder="Name, number, VAT id, city or contact email…" autoFocus />
        <button type="submit">Search</button>
        <span className="muted">{accounts.length} accounts</span>
      </Form>
      <div className="panel">
        <table className="grid" data-testid="accounts-table">
          <thead>
            <tr>
              <th>Number</th>
              <th>Name</th>
              <th>Parent</th>
              <th>Country</th>
              <th>Currency</th>
              <th className="num">Contacts</th>
              <th className="num">Open amount</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.number}</td>
                <td>
                  <Link to={`/admin/accounts/${a.id}`}>{a.name}</Link>
                </td>
                <td>{a.parentName}</td>
                <td>{a.countryCode}</td>
                <td>{a.currency}</td>
                <td className="num">{a.contactCount}</td>
                <td className="num">{a.openAmount ? `${Number(a.openAmount).toLocaleString("en", { minimumFractionDigits: 2 })} ${a.currency}` : "–"}</td>
                <td>{a.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
