import { useEffect, useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { getReturnRequest } from "~/modules/returns/returns.server";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.request.number ?? "Return"} · Ledgerlight` }];

/** From the server: the replica has no return lines (no shape carries them). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const found = await getReturnRequest(scope, params.returnId ?? "");
  if (!found) notFound();
  return { request: found };
}

export default function ReturnRequestDetailPage() {
  const { request: r } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  // Said once: the address loses "?submitted=1" (a reload or a bookmark does not say it again), the notice stays.
  const [submittedId] = useState(() => (params.get("submitted") !== null ? r.id : null));
  const navigate = useNavigate();
  const { pathname } = useLocation();
  useEffect(() => {
    if (params.get("submitted")) navigate(pathname, { replace: true, preventScrollReset: true });
  }, [params, pathname, navigate]);
  const lang = useLang();
  return (
    <>
      <p>
        <Link to="/returns">← {translate(lang, "returns.title")}</Link>
      </p>
      <h1>
        {translate(lang, "returns.detailTitle", { number: r.number })} <StatusBadge status={r.status} />
      </h1>
      {submittedId === r.id ? (
        <p className="notice" role="status">
          {translate(lang, "returns.submitted", { number: r.number })}
        </p>
      ) : null}
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "orders.number")}</dt>
          <dd>{r.orderId ? <Link to={`/orders/${r.orderId}`}>{r.orderNumber}</Link> : "–"}</dd>
          <dt>{translate(lang, "returns.reason")}</dt>
          <dd>{codeLabel(lang, "returns.reason", r.reason)}</dd>
          <dt>{translate(lang, "returns.requested")}</dt>
          <dd>
            {formatDateTime(lang, r.createdAt)}
            {r.requestedBy ? ` · ${r.requestedBy}` : ""}
          </dd>
          <dt>{translate(lang, "orders.location")}</dt>
          <dd>{r.locationName ?? "–"}</dd>
          {r.comment ? (
            <>
              <dt>{translate(lang, "returns.comment")}</dt>
              <dd className="wrap-text">{r.comment}</dd>
            </>
          ) : null}
          {r.decidedAt ? (
            <>
              <dt>{translate(lang, "returns.decisionNote")}</dt>
              <dd className="wrap-text">
                {formatDateTime(lang, r.decidedAt)}
                {r.decisionNote ? ` · ${r.decisionNote}` : ""}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <section className="panel">
        <h2>{translate(lang, "returns.lines")}</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>{translate(lang, "common.sku")}</th>
              <th>{translate(lang, "common.description")}</th>
              <th className="num">{translate(lang, "common.quantity")}</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.sku}</td>
                <td className="wrap">{l.description}</td>
                <td className="num">{formatQuantity(lang, l.quantity, l.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
