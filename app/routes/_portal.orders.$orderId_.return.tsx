import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ClientActionFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { formatDate, translate } from "~/i18n/i18n";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { routeAccess } from "~/modules/access/route-access";
import { ReturnForm, type ReturnFormResult } from "~/modules/returns/components/ReturnForm";
import { getReturnableOrder, requestReturn } from "~/modules/returns/request.server";
import { ReturnRequestSchema } from "~/modules/returns/schemas";
import { refreshReplicaShapes } from "~/replica/active-replica.client";
import { useKeptActionData } from "~/components/kept-action-data";
import { readFormWithAttachments, refusalOf } from "~/modules/attachments/upload.server";

export const handle = routeAccess({ area: "portal", permission: "returns.request" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.order.order.number ?? "Return"} · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "returns.request");
  const order = await getReturnableOrder(scope, params.orderId ?? "");
  if (!order) notFound();
  // One id per filled-in form: submitting it twice (double click, a retry) files one request.
  return { order, clientMutationId: crypto.randomUUID() };
}

/** Files the return request; foreign orders are 404 before the form is even read. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { scope } = await requireContactPermission(request, "returns.request");
  if (!(await getReturnableOrder(scope, params.orderId ?? ""))) notFound();
  const { form, files, fileError } = await readFormWithAttachments(request);
  form.set("orderId", params.orderId ?? "");
  const parsed = parseForm(ReturnRequestSchema, form);
  const refused = refusalOf(parsed, fileError);
  if (refused || !parsed.ok) return data<ReturnFormResult>(refused ?? { ok: false, fieldErrors: {}, values: {} }, { status: 400 });
  const result = await requestReturn(scope, parsed.data, requestOrigin(request, context.clientIp), files);
  if (result.ok) throw redirect(`/returns/${result.id}?submitted=1`);
  if (result.reason === "not_found") notFound();
  return data<ReturnFormResult>({ ok: false, fieldErrors: result.fieldErrors, values: parsed.values }, { status: 400 });
}

/** The new request is in Postgres once the server answers; the replica (search, offline) fetches it now. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } finally {
    await refreshReplicaShapes(["return_requests"]);
  }
}

export default function ReturnRequestPage() {
  const { order: data, clientMutationId } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const lang = useLang();
  const { order } = data;
  const anything = data.returnable && data.lines.some((l) => Number(l.returnable) > 0);
  return (
    <>
      <p>
        <Link to={`/orders/${order.id}`}>
          ← {translate(lang, "orders.number")} {order.number}
        </Link>
      </p>
      <h1>
        {translate(lang, "returns.newTitle", { number: order.number })} <StatusBadge status={order.status} />
      </h1>
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "orders.date")}</dt>
          <dd>{formatDate(lang, order.orderDate)}</dd>
          <dt>{translate(lang, "orders.reference")}</dt>
          <dd>{order.customerReference ?? "–"}</dd>
          <dt>{translate(lang, "orders.location")}</dt>
          <dd>{order.locationName ?? "–"}</dd>
        </dl>
      </div>
      <section className="panel">
        <h2>{translate(lang, "returns.lines")}</h2>
        {!data.returnable ? (
          <p className="muted panel-empty">{translate(lang, "returns.notShipped", { number: order.number })}</p>
        ) : !anything ? (
          <p className="muted panel-empty">{translate(lang, "returns.nothingLeft")}</p>
        ) : (
          <ReturnForm data={data} clientMutationId={clientMutationId} result={result?.ok === false ? result : undefined} lang={lang} />
        )}
      </section>
    </>
  );
}
