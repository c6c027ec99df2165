import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, type ClientActionFunctionArgs } from "@remix-run/react";
import { useLang } from "~/components/format";
import { Field, FormError, SelectField, SubmitRow, TextAreaField, WriteForm } from "~/components/form";
import { codeLabel, translate } from "~/i18n/i18n";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { requestOrigin } from "~/modules/audit/audit.server";
import { parseForm } from "~/modules/forms";
import { NewTicketSchema, TICKET_CATEGORIES, TICKET_PRIORITIES } from "~/modules/support/schemas";
import { createTicket, findRelatedRecord } from "~/modules/support/ticket.server";
import { refreshReplicaShapes } from "~/replica/active-replica.client";
import { useKeptActionData } from "~/components/kept-action-data";
import { AttachmentField } from "~/modules/attachments/components/Attachments";
import { readFormWithAttachments, refusalOf } from "~/modules/attachments/upload.server";

export const handle = routeAccess({ area: "portal", permission: "tickets.create" });

export const meta: MetaFunction = () => [{ title: "New ticket · Ledgerlight" }];

/** `?order=<id>` (from an order page) fills in the related order; another account's order is 404. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "tickets.create");
  const orderId = new URL(request.url).searchParams.get("order");
  const related = orderId ? await findRelatedRecord(scope, orderId) : null;
  if (orderId && related?.type !== "sales_order") notFound();
  return { related: related ? { number: related.number, type: related.type } : null, clientMutationId: crypto.randomUUID() };
}

type NewTicketResult = { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireContactPermission(request, "tickets.create");
  const { form, files, fileError } = await readFormWithAttachments(request);
  const parsed = parseForm(NewTicketSchema, form);
  const refused = refusalOf(parsed, fileError);
  if (refused || !parsed.ok) return data<NewTicketResult>(refused ?? { ok: false, fieldErrors: {}, values: {} }, { status: 400 });
  const result = await createTicket(scope, parsed.data, requestOrigin(request, context.clientIp), files);
  if (result.ok) throw redirect(`/support/${result.id}?created=1`);
  if (result.reason === "not_found") notFound();
  return data<NewTicketResult>({ ok: false, fieldErrors: result.fieldErrors, values: parsed.values }, { status: 400 });
}

/** The ticket is in Postgres once the server answers; the replica (search, offline) fetches it now. */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } finally {
    await refreshReplicaShapes(["support_tickets", "ticket_messages"]);
  }
}

export default function NewTicketPage() {
  const { related, clientMutationId } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const lang = useLang();
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  return (
    <>
      <p>
        <Link to="/support">← {translate(lang, "support.title")}</Link>
      </p>
      <h1>{translate(lang, "support.newTitle")}</h1>
      <section className="panel">
        <WriteForm encType="multipart/form-data" className="ticket-form" aria-label={translate(lang, "support.newTitle")}>
          <input type="hidden" name="clientMutationId" value={values.clientMutationId ?? clientMutationId} />
          <FormError message={errors.clientMutationId ? `${translate(lang, "support.field.clientMutationId")} ${errors.clientMutationId}` : null} />
          <Field name="subject" label={translate(lang, "support.subject")} defaultValue={values.subject ?? ""} error={errors.subject} maxLength={200} autoFocus autoComplete="off" />
          <div className="form-row">
            <SelectField
              name="category"
              label={translate(lang, "support.category")}
              options={TICKET_CATEGORIES.map((c) => ({ value: c, label: codeLabel(lang, "support.category", c) }))}
              defaultValue={values.category ?? (related ? "order" : "general")}
              error={errors.category}
            />
            <SelectField
              name="priority"
              label={translate(lang, "support.priority")}
              options={TICKET_PRIORITIES.map((p) => ({ value: p, label: codeLabel(lang, "support.priority", p) }))}
              defaultValue={values.priority ?? "normal"}
              error={errors.priority}
            />
          </div>
          <Field
            name="related"
            label={translate(lang, "support.related")}
            hint={translate(lang, "support.relatedHint")}
            defaultValue={values.related ?? related?.number ?? ""}
            error={errors.related}
            autoComplete="off"
          />
          <TextAreaField name="message" label={translate(lang, "support.message")} defaultValue={values.message} error={errors.message} rows={8} maxLength={10000} />
          <AttachmentField lang={lang} error={errors.files} />
          <SubmitRow label={translate(lang, "support.create")} busy={busy} busyText={translate(lang, "common.saving")} />
        </WriteForm>
      </section>
    </>
  );
}
