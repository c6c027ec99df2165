import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, type ClientActionFunctionArgs } from "@remix-run/react";
import { StatusBadge, useLang } from "~/components/format";
import { ActionMessage, SubmitRow, TextAreaField, WriteForm } from "~/components/form";
import { codeLabel, formatDateTime, translate } from "~/i18n/i18n";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { contactCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { TicketThread } from "~/modules/support/components/TicketThread";
import { TicketActionSchema } from "~/modules/support/schemas";
import { actOnTicket, getTicket } from "~/modules/support/ticket.server";
import { refreshReplicaShapes } from "~/replica/active-replica.client";
import { useFlagOnce } from "~/components/flag-once";
import { useKeptActionData } from "~/components/kept-action-data";
import { AttachmentField } from "~/modules/attachments/components/Attachments";
import { readFormWithAttachments, refusalOf } from "~/modules/attachments/upload.server";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.ticket.number ?? "Ticket"} · Ledgerlight` }];

/** From the server: the replica's messages carry no author, and staff-only notes never reach it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const ticket = await getTicket(scope, params.ticketId ?? "");
  if (!ticket) notFound();
  return { ticket, canWrite: contactCan(scope.role, "tickets.create"), clientMutationId: crypto.randomUUID() };
}

type TicketPageResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/** Reply, close or reopen; another account's ticket (or a role that may not write) is 404 before the form is read. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { scope } = await requireContact(request);
  const ticketId = params.ticketId ?? "";
  if (!contactCan(scope.role, "tickets.create") || !(await getTicket(scope, ticketId))) notFound();
  const { form, files, fileError } = await readFormWithAttachments(request);
  const parsed = parseForm(TicketActionSchema, form);
  const refused = refusalOf(parsed, fileError);
  if (refused || !parsed.ok) return data<TicketPageResult>(refused ?? { ok: false }, { status: 400 });
  const result = await actOnTicket(scope, ticketId, parsed.data, requestOrigin(request, context.clientIp), files);
  const lang = scope.language;
  if (!result.ok && result.reason === "not_found") notFound();
  if (!result.ok) {
    const message = translate(lang, "support.conflict", { number: result.number, status: codeLabel(lang, "status", result.status) });
    return data<TicketPageResult>({ ok: false, message, values: parsed.values }, { status: 409 });
  }
  const key = parsed.data.intent === "reply" ? "support.replied" : parsed.data.intent === "close" ? "support.closed" : "support.reopened";
  return data<TicketPageResult>({ ok: true, message: translate(lang, key, { number: result.number }) });
}

/** The change is in Postgres once the server answers; the replica (lists, search) fetches it now. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } finally {
    await refreshReplicaShapes(["support_tickets", "ticket_messages"]);
  }
}

export default function TicketPage() {
  const { ticket, canWrite, clientMutationId } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const justCreated = useFlagOnce("created", ticket.id);
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const lang = useLang();
  const closed = ticket.status === "closed";
  const reopenable = closed || ticket.status === "resolved";
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      <p>
        <Link to="/support">← {translate(lang, "support.title")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {ticket.number} · {ticket.subject} <StatusBadge status={ticket.status} />
        </h1>
        {canWrite ? (
          <WriteForm className="actions" note="title">
            <button type="submit" name="intent" value={reopenable ? "reopen" : "close"} disabled={busy}>
              {translate(lang, reopenable ? "support.reopen" : "support.close")}
            </button>
          </WriteForm>
        ) : null}
      </div>
      {justCreated && !result ? (
        <p className="notice" role="status">
          {translate(lang, "support.created", { number: ticket.number })}
        </p>
      ) : null}
      <ActionMessage result={result} />
      <div className="panel">
        <dl className="facts">
          <dt>{translate(lang, "support.category")}</dt>
          <dd>{codeLabel(lang, "support.category", ticket.category)}</dd>
          <dt>{translate(lang, "support.priority")}</dt>
          <dd>{codeLabel(lang, "support.priority", ticket.priority)}</dd>
          <dt>{translate(lang, "support.opened")}</dt>
          <dd>
            {formatDateTime(lang, ticket.createdAt)}
            {ticket.createdBy ? ` · ${ticket.createdBy}` : ""}
          </dd>
          {ticket.related ? (
            <>
              <dt>{translate(lang, "support.relatedTo")}</dt>
              <dd>
                <Link to={ticket.related.type === "sales_order" ? `/orders/${ticket.related.id}` : `/invoices/${ticket.related.id}`}>{ticket.related.number}</Link>
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <section className="panel">
        <h2>{translate(lang, "support.messages")}</h2>
        <TicketThread messages={ticket.messages} lang={lang} />
      </section>
      {canWrite ? (
        <section className="panel">
          <h2>{translate(lang, "support.writeReply")}</h2>
          {closed ? (
            <p className="muted panel-empty">{translate(lang, "support.closedHint")}</p>
          ) : (
            // A new id after each reply (the loader runs again) empties the form; a refusal keeps what was typed.
            <WriteForm encType="multipart/form-data" className="ticket-form" key={clientMutationId}>
              <input type="hidden" name="intent" value="reply" />
              <input type="hidden" name="clientMutationId" value={result?.values?.clientMutationId ?? clientMutationId} />
              <TextAreaField name="body" label={translate(lang, "support.field.body")} defaultValue={result?.values?.body} error={errors.body} rows={5} maxLength={10000} />
              <AttachmentField lang={lang} error={errors.files} />
              <SubmitRow label={translate(lang, "support.sendReply")} busy={busy} busyText={translate(lang, "common.saving")} />
            </WriteForm>
          )}
        </section>
      ) : (
        <p className="muted">{translate(lang, "support.readOnly")}</p>
      )}
    </>
  );
}
