import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/i18n/i18n";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { getInvoiceReadiness } from "~/modules/documents/staff.server";

/** Staff: one invoice's e-invoice readiness (what to fix, rule by rule) and its access trail. */
export const handle = routeAccess({ area: "admin", permission: "accounts.read" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.invoice.number ?? "Invoice"} · Documents · Admin` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireStaff(request, "accounts.read");
  const invoice = await getInvoiceReadiness(params.invoiceId ?? "");
  if (!invoice) notFound();
  return { invoice };
}

export default function AdminInvoiceDocument() {
  const { invoice } = useLoaderData<typeof loader>();
  const profiles = [
    ["EN 16931 (ZUGFeRD / Factur-X)", invoice.en16931],
    ["XRechnung 3.0", invoice.xrechnung],
  ] as const;
  return (
    <>
      <p>
        <Link to="/admin/documents">← Documents</Link>
      </p>
      <h1>
        {invoice.kind === "credit_note" ? "Credit note" : "Invoice"} {invoice.number}
      </h1>
      <div className="panel">
        <dl className="facts">
          <dt>Customer</dt>
          <dd>
            <Link to={`/admin/accounts/${invoice.accountId}`}>{invoice.accountNumber}</Link>
          </dd>
          <dt>Buyer reference (Leitweg-ID)</dt>
          <dd>{invoice.buyerReference ?? "–"}</dd>
          <dt>Account default e-invoice format</dt>
          <dd>{invoice.accountDefault ?? "none (contacts choose)"}</dd>
          <dt>First opened by the customer</dt>
          <dd data-testid="first-view">{invoice.firstView?.firstViewedAt ? `${formatDateTime("en", invoice.firstView.firstViewedAt)} by ${invoice.firstView.firstViewedBy}` : "not yet"}</dd>
        </dl>
      </div>
      {profiles.map(([label, result]) => (
        <section className="panel" key={label} data-testid={`readiness-${label.startsWith("X") ? "xrechnung" : "en16931"}`}>
          <h2>
            {label}: {result.ok ? <span className="badge ok">ready</span> : <span className="badge danger">refused</span>}
          </h2>
          {result.errors.length > 0 ? (
            <table className="grid">
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Business term</th>
                  <th>What to fix</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((v, i) => (
                  <tr key={i}>
                    <td>{v.rule}</td>
                    <td>{v.term}</td>
                    <td className="wrap">{v.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result.warnings.map((v, i) => (
            <p key={i} className="muted" style={{ padding: "0 10px" }}>
              Warning [{v.rule}] {v.term}: {v.message}
            </p>
          ))}
        </section>
      ))}
      <section className="panel">
        <h2>Access</h2>
        <table className="grid" data-testid="access-trail">
          <thead>
            <tr>
              <th>Time</th>
              <th>Who</th>
              <th>Action</th>
              <th>Format</th>
              <th>IP</th>
              <th>User agent</th>
            </tr>
          </thead>
          <tbody>
            {invoice.access.map((e, i) => (
              <tr key={i}>
                <td>{formatDateTime("en", e.at)}</td>
                <td>{e.email}</td>
                <td>{e.action.replace("document.", "")}</td>
                <td>{e.format}</td>
                <td>{e.ip}</td>
                <td className="wrap">{e.userAgent}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {invoice.access.length === 0 ? <p className="muted" style={{ padding: 10 }}>Nobody has opened this document yet.</p> : null}
      </section>
    </>
  );
}
