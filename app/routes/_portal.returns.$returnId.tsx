import { useRef, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, type ClientActionFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { ActionMessage, useReadOnlyNote, WriteForm } from "~/components/form";
import { useFlagOnce } from "~/components/flag-once";
import { useKeptActionData } from "~/components/kept-action-data";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { contactCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { cancelReturnRequest } from "~/modules/returns/request.server";
import { getReturnRequest } from "~/modules/returns/returns.server";
import { ReturnCancelSchema } from "~/modules/returns/schemas";
import { refreshReplicaShapes } from "~/replica/active-replica.client";
import { AttachmentList } from "~/modules/attachments/components/Attachments";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.request.number ?? "Return"} · Ledgerlight` }];

/** From the server: the replica has no return lines (no shape carries them). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const found = await getReturnRequest(scope, params.returnId ?? "");
  if (!found) notFound();
  return { request: found, canCancel: contactCan(scope.role, "returns.request") && found.status === "submitted" };
}

type CancelResult = { ok: boolean; message: string };

/** Cancel (the only thing this page submits); another account's request, or a role that may not request returns, is 404 before the form is read. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { scope } = await requireContact(request);
  const returnId = params.returnId ?? "";
  if (!contactCan(scope.role, "returns.request") || !(await getReturnRequest(scope, returnId))) notFound();
  const parsed = parseForm(ReturnCancelSchema, await request.formData());
  if (!parsed.ok) return data<CancelResult>({ ok: false, message: `intent ${parsed.fieldErrors.intent}` }, { status: 400 });
  const result = await cancelReturnRequest(scope, returnId, requestOrigin(request, context.clientIp));
  const lang = scope.language;
  if (!result.ok && result.reason === "not_found") notFound();
  if (!result.ok) {
    const message = translate(lang, "returns.cancelConflict", { number: result.number, status: codeLabel(lang, "status", result.status) });
    return data<CancelResult>({ ok: false, message }, { status: 409 });
  }
  return data<CancelResult>({ ok: true, message: translate(lang, "returns.cancelled", { number: result.number }) });
}

/** The list reads the replica: fetch the cancelled status now, not in the shape's next round. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } finally {
    await refreshReplicaShapes(["return_requests"]);
  }
}

/** "Cancel this request…" and, once pressed, the question with "Yes, cancel" focused; Escape or "Keep it" goes back. */
function CancelReturn({ number }: { number: string }) {
  const lang = useLang();
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const busy = useNavigation().state === "submitting";
  // Viewing as (decision 038): the question would lead to a refused write; the button says why not.
  const readOnly = useReadOnlyNote();
  const keep = () => {
    setAsking(false);
    requestAnimationFrame(() => trigger.current?.focus());
  };
  if (!asking) {
    return (
      <button type="button" ref={trigger} onClick={() => setAsking(true)} disabled={readOnly !== null} title={readOnly ?? undefined}>
        {translate(lang, "returns.cancel")}
      </button>
    );
  }
  return (
    <WriteForm
      className="confirm-cancel"
      role="group"
      aria-labelledby="cancel-question"
      onKeyDown={(event) => {
        if (event.key === "Escape") keep();
      }}
    >
      <p id="cancel-question">{translate(lang, "returns.cancelConfirm", { number })}</p>
      <input type="hidden" name="intent" value="cancel" />
      <p className="form-actions">
        <button type="submit" className="primary" autoFocus disabled={busy}>
          {translate(lang, "returns.cancelYes")}
        </button>
        <button type="button" onClick={keep} disabled={busy}>
          {translate(lang, "returns.cancelKeep")}
        </button>
      </p>
    </WriteForm>
  );
}

export default function ReturnRequestDetailPage() {
  const { request: r, canCancel } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const justSubmitted = useFlagOnce("submitted", r.id);
  const lang = useLang();
  return (
    <>
      <p>
        <Link to="/returns">← {translate(lang, "returns.title")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {translate(lang, "returns.detailTitle", { number: r.number })} <StatusBadge status={r.status} />
        </h1>
        {canCancel ? <CancelReturn key={r.id} number={r.number} /> : null}
      </div>
      <ActionMessage result={result} />
      {justSubmitted && !result ? (
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
      {r.attachments.length > 0 ? (
        <section className="panel">
          <h2>{translate(lang, "attachments.title")}</h2>
          <div className="attachments-panel">
            <AttachmentList attachments={r.attachments} lang={lang} href={(id) => `/attachments/${id}`} supplierLabel={translate(lang, "attachments.fromSupplier")} />
          </div>
        </section>
      ) : null}
    </>
  );
}
