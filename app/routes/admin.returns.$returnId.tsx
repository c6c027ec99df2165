import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, TextAreaField } from "~/components/form";
import { codeLabel, formatDateTime } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { staffCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { ReturnDecisionSchema } from "~/modules/returns/schemas";
import { decideReturnRequest, getReturnRequestForStaff } from "~/modules/returns/staff.server";
import { AttachmentField, AttachmentList } from "~/modules/attachments/components/Attachments";
import { readFormWithAttachments, refusalOf } from "~/modules/attachments/upload.server";

export const handle = routeAccess({ area: "admin", permission: "accounts.read", actionPermission: "returns.decide" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.request.number ?? "Return"} · Admin · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "accounts.read");
  const found = await getReturnRequestForStaff(params.returnId ?? "");
  if (!found) notFound();
  return { request: found, canDecide: staffCan(user.staffRole, "returns.decide") };
}

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "returns.decide");
  const { form, files, fileError } = await readFormWithAttachments(request);
  form.set("returnId", params.returnId ?? "");
  const parsed = parseForm(ReturnDecisionSchema, form);
  const refused = refusalOf(parsed, fileError);
  if (refused || !parsed.ok) return data<Result>(refused ?? { ok: false }, { status: 400 });
  const result = await decideReturnRequest({ userId: user.id }, parsed.data, requestOrigin(request, context.clientIp), files);
  if (!result.ok && result.reason === "not_found") notFound();
  if (!result.ok) return data<Result>({ ok: false, message: `${result.number} is already ${codeLabel("en", "status", result.status).toLowerCase()}.`, values: parsed.values }, { status: 409 });
  return data<Result>({ ok: true, message: `${result.number} ${result.status}.` });
}

export default function AdminReturn() {
  const { request: r, canDecide } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p>
        <Link to="/admin/returns">← Return requests</Link>
      </p>
      <h1>
        Return request {r.number} <span className="badge">{codeLabel("en", "status", r.status)}</span>
      </h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : (
        <FormError
          message={
            result?.message ??
            (result?.fieldErrors
              ? Object.entries(result.fieldErrors)
                  .filter(([field]) => field !== "note" && field !== "files")
                  .map(([field, reason]) => `${field} ${reason}`)
                  .join("; ") || null
              : null)
          }
        />
      )}
      <div className="panel">
        <dl className="facts">
          <dt>Account</dt>
          <dd>
            <Link to={`/admin/accounts/${r.accountId}`}>
              {r.accountNumber} {r.accountName}
            </Link>
          </dd>
          <dt>Order</dt>
          <dd>{r.orderNumber ?? "–"}</dd>
          <dt>Reason</dt>
          <dd>{codeLabel("en", "returns.reason", r.reason)}</dd>
          <dt>Requested</dt>
          <dd>
            {formatDateTime("en", r.createdAt)}
            {r.requestedBy ? ` · ${r.requestedBy}` : ""}
            {r.locationName ? ` · ${r.locationName}` : ""}
          </dd>
          <dt>Comment</dt>
          <dd className="wrap-text">{r.comment ?? "–"}</dd>
          {r.decidedAt ? (
            <>
              <dt>Decision</dt>
              <dd className="wrap-text">
                {formatDateTime("en", r.decidedAt)}
                {r.decidedBy ? ` · ${r.decidedBy}` : ""}
                {r.decisionNote ? ` · ${r.decisionNote}` : ""}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <section className="panel">
        <h2>Lines</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              <th>SKU</th>
              <th>Description</th>
              <th className="num">Quantity</th>
            </tr>
          </thead>
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.lineNo}</td>
                <td>{l.sku}</td>
                <td className="wrap">{l.description}</td>
                <td className="num">{formatQuantity("en", l.quantity, l.unit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {r.attachments.length > 0 ? (
        <section className="panel">
          <h2>Attachments</h2>
          <div className="attachments-panel">
            <AttachmentList attachments={r.attachments} lang="en" href={(id) => `/admin/attachments/${id}`} supplierLabel="Staff" />
          </div>
        </section>
      ) : null}
      {canDecide && r.status === "submitted" ? (
        <section className="panel">
          <h2>Decision</h2>
          <Form method="post" encType="multipart/form-data" className="ticket-form">
            <TextAreaField name="note" label="Note to the customer" hint="Shown on their return request (optional)." defaultValue={result?.values?.note} error={result?.fieldErrors?.note} rows={3} maxLength={1000} />
            <AttachmentField lang="en" label="Attachments for the customer (e.g. a return label)" error={result?.fieldErrors?.files} />
            <p className="form-actions">
              <button type="submit" name="intent" value="approve" className="primary" disabled={busy}>
                Approve
              </button>
              <button type="submit" name="intent" value="reject" disabled={busy}>
                Reject
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </>
  );
}
