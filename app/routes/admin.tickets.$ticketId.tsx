import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, SelectField, SubmitRow, TextAreaField } from "~/components/form";
import { codeLabel, formatDateTime } from "~/i18n/i18n";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { staffCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { TicketThread } from "~/modules/support/components/TicketThread";
import { StaffTicketSchema, staffStatusLabel, TICKET_STATUSES, TicketAssignSchema } from "~/modules/support/schemas";
import { answerTicket, assignTicket, getTicketForStaff, listTicketAssignees } from "~/modules/support/staff.server";
import { getDb } from "~/db/connection.server";
import { AttachmentField } from "~/modules/attachments/components/Attachments";
import { readFormWithAttachments, refusalOf } from "~/modules/attachments/upload.server";

export const handle = routeAccess({ area: "admin", permission: "accounts.read", actionPermission: "tickets.answer" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.ticket.number ?? "Ticket"} · Admin · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "accounts.read");
  const ticket = await getTicketForStaff(params.ticketId ?? "");
  if (!ticket) notFound();
  const canAnswer = staffCan(user.staffRole, "tickets.answer");
  return { ticket, canAnswer, me: user.id, assignees: canAnswer ? await listTicketAssignees(await getDb()) : [] };
}

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "tickets.answer");
  const { form, files, fileError } = await readFormWithAttachments(request);
  const intent = form.get("intent");
  if (intent === "assign" || intent === "assign-me") {
    if (intent === "assign-me") form.set("assignee", user.id);
    const parsed = parseForm(TicketAssignSchema, form);
    if (!parsed.ok) return data<Result>({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
    const assigned = await assignTicket({ userId: user.id }, params.ticketId ?? "", parsed.data, requestOrigin(request, context.clientIp));
    if (!assigned.ok && assigned.reason === "not_found") notFound();
    if (!assigned.ok) return data<Result>({ ok: false, fieldErrors: assigned.fieldErrors, values: parsed.values }, { status: 400 });
    const to = assigned.assigneeName ? `${assigned.assigneeName}${assigned.mailed ? ", who gets a mail about it" : ""}` : "nobody";
    return data<Result>({ ok: true, message: `${assigned.number} is assigned to ${to}.` });
  }
  const parsed = parseForm(StaffTicketSchema, form);
  const refused = refusalOf(parsed, fileError);
  if (refused || !parsed.ok) return data<Result>(refused ?? { ok: false }, { status: 400 });
  // Files belong to a message: an answer or a note.
  if (files.length > 0 && !parsed.data.body) return data<Result>({ ok: false, fieldErrors: { body: "is required to attach files" }, values: parsed.values }, { status: 400 });
  const result = await answerTicket({ userId: user.id }, params.ticketId ?? "", parsed.data, requestOrigin(request, context.clientIp), files);
  if (!result.ok) notFound();
  return data<Result>({ ok: true, message: `Saved. ${result.number} is now ${staffStatusLabel(result.status).toLowerCase()}.` });
}

export default function AdminTicket() {
  const { ticket, canAnswer, me, assignees } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      <p>
        <Link to="/admin/tickets">← Support tickets</Link>
      </p>
      <h1>
        {ticket.number} · {ticket.subject} <span className="badge">{staffStatusLabel(ticket.status)}</span>
      </h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      <div className="panel">
        <dl className="facts">
          <dt>Account</dt>
          <dd>
            <Link to={`/admin/accounts/${ticket.accountId}`}>
              {ticket.accountNumber} {ticket.accountName}
            </Link>
          </dd>
          <dt>Category / priority</dt>
          <dd>
            {codeLabel("en", "support.category", ticket.category)} / {codeLabel("en", "support.priority", ticket.priority)}
          </dd>
          <dt>Opened</dt>
          <dd>
            {formatDateTime("en", ticket.createdAt)}
            {ticket.createdBy ? ` · ${ticket.createdBy}` : ""}
          </dd>
          <dt>Assigned to</dt>
          <dd data-testid="ticket-assignee">{ticket.assigneeName ?? "Nobody"}</dd>
          {ticket.related ? (
            <>
              <dt>Related to</dt>
              <dd>
                {ticket.related.type === "invoice" ? (
                  <Link to={`/admin/documents/invoices/${ticket.related.id}`}>{ticket.related.number}</Link>
                ) : (
                  `Order ${ticket.related.number}`
                )}
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      {canAnswer ? (
        <Form method="post" className="toolbar" aria-label="Assign">
          <label htmlFor="ticket-assignee-select">Assign to</label>
          <select id="ticket-assignee-select" name="assignee" defaultValue={ticket.assigneeId ?? ""} key={ticket.assigneeId ?? ""} aria-invalid={errors.assignee ? true : undefined}>
            <option value="">Nobody</option>
            {assignees.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.id === me ? " (me)" : ""}
              </option>
            ))}
          </select>
          <button type="submit" name="intent" value="assign" disabled={busy}>
            Assign
          </button>
          {ticket.assigneeId !== me && assignees.some((a) => a.id === me) ? (
            <button type="submit" name="intent" value="assign-me" disabled={busy}>
              Assign to me
            </button>
          ) : null}
          {errors.assignee ? (
            <span className="error" role="alert">
              Assign to {errors.assignee}
            </span>
          ) : null}
        </Form>
      ) : null}
      <section className="panel">
        <h2>Messages</h2>
        <TicketThread messages={ticket.messages} lang="en" supplierLabel="Staff" attachmentHref={(id) => `/admin/attachments/${id}`} />
      </section>
      {canAnswer ? (
        <section className="panel">
          <h2>Answer</h2>
          <Form method="post" encType="multipart/form-data" className="ticket-form" key={ticket.messages.length + ticket.status}>
            <FormError message={result && !result.ok && !errors.body && !errors.files ? "The answer was not saved." : null} />
            <TextAreaField name="body" label="Answer or note" hint="The customer reads it, unless it is an internal note." defaultValue={result?.values?.body} error={errors.body} rows={5} />
            <div className="field">
              <label>
                <input type="checkbox" name="internal" defaultChecked={result?.values?.internal === "on"} /> Internal note (never shown to the customer)
              </label>
            </div>
            <AttachmentField lang="en" label="Attachments (e.g. a return label)" error={errors.files} />
            <SelectField
              name="status"
              label="Status"
              hint="A public reply to an open ticket sets “waiting on customer” unless you choose another status."
              options={TICKET_STATUSES.map((s) => ({ value: s, label: staffStatusLabel(s) }))}
              defaultValue={result?.values?.status ?? ticket.status}
              error={errors.status}
            />
            <SubmitRow label="Save" busy={busy} busyText="Saving…" />
          </Form>
        </section>
      ) : (
        <p className="muted">Your staff role can read tickets but not answer them.</p>
      )}
    </>
  );
}
