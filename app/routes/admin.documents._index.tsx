import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatDateTime, formatMoney } from "~/i18n/i18n";
import { requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { searchInvoicesForStaff } from "~/modules/documents/staff.server";

/** Staff: invoices and credit notes, and whether and when the customer first opened each. */
export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export const meta: MetaFunction = () => [{ title: "Documents · Admin · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "accounts.read");
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 100) || undefined;
  return { documents: await searchInvoicesForStaff(q) };
}

export default function AdminDocuments() {
  const { documents } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Documents</h1>
      <Form method="get" className="toolbar" role="search">
        <label htmlFor="doc-search" className="sr-only">
          Search
        </label>
        <input id="doc-search" type="search" name="q" defaultValue={params.get("q") ?? ""} placeholder="Invoice number, customer number or name…" />
        <button type="submit">Search</button>
      </Form>
      <div className="panel">
        <table className="grid" data-testid="admin-documents">
          <thead>
            <tr>
              <th>Number</th>
              <th>Customer</th>
              <th>Issued</th>
              <th className="num">Amount</th>
              <th>First opened by the customer</th>
              <th className="num">Views / downloads</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/admin/documents/invoices/${d.id}`}>{d.number}</Link> {d.kind === "credit_note" ? <span className="badge">CN</span> : null}
                </td>
                <td>
                  <Link to={`/admin/accounts/${d.accountId}`}>{d.accountNumber}</Link> {d.accountName}
                </td>
                <td>{d.issueDate}</td>
                <td className="num">{formatMoney("en", d.grossAmount, d.currency)}</td>
                <td>{d.firstView?.firstViewedAt ? `${formatDateTime("en", d.firstView.firstViewedAt)} (${d.firstView.firstViewedBy})` : <span className="muted">not yet</span>}</td>
                <td className="num">{d.firstView ? `${d.firstView.views} / ${d.firstView.downloads}` : "0 / 0"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
