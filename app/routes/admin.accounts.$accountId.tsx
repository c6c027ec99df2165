import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/form";
import { formatDateTime } from "~/i18n/i18n";
import { notFound, requireStaff } from "~/modules/access/guards.server";
import { CONTACT_ROLES, staffCan } from "~/modules/access/permissions";
import { getAccountDetail } from "~/modules/admin/accounts.server";
import { setContactStatus } from "~/modules/contacts/contacts.server";
import { ContactConflictError, inviteContact, reinviteContact, type Actor } from "~/modules/contacts/invitations.server";
import { ContactSchema } from "~/modules/contacts/schemas";
import { parseForm } from "~/modules/forms";
import { isUuid } from "~/modules/ids";
import { routeAccess } from "~/modules/access/route-access";
import { AccountEInvoiceDefault } from "~/modules/documents/components/AccountEInvoiceDefault";
import { getAccountDefaultFormat } from "~/modules/documents/preferences.server";

export const handle = routeAccess({ area: "admin", permission: "accounts.read", actionPermission: "contacts.manage" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.account.name ?? "Account"} · Admin · Ledgerlight` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireStaff(request, "accounts.read");
  const account = await getAccountDetail(params.accountId ?? "");
  if (!account) notFound();
  return { account, einvoiceDefault: await getAccountDefaultFormat(account.id), canViewAs: staffCan(user.staffRole, "contacts.view_as") };
}

type ActionResult = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user } = await requireStaff(request, "contacts.manage");
  const account = await getAccountDetail(params.accountId ?? "");
  if (!account) notFound();
  const actor: Actor = { userId: user.id, name: user.name, ip: context.clientIp, userAgent: request.headers.get("user-agent") };
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "invite") {
    const parsed = parseForm(ContactSchema, form);
    if (!parsed.ok) return data<ActionResult>({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
    try {
      await inviteContact(actor, account.id, parsed.data);
    } catch (error) {
      if (error instanceof ContactConflictError) {
        const values = { email: parsed.data.email, name: parsed.data.name, role: parsed.data.role, language: parsed.data.language };
        return data<ActionResult>({ ok: false, fieldErrors: { [error.field]: error.message }, values }, { status: 409 });
      }
      throw error;
    }
    return data<ActionResult>({ ok: true, message: `Invitation sent to ${parsed.data.email}.` });
  }
  const userId = String(form.get("userId") ?? "");
  const contact = account.contacts.find((c) => c.userId === userId);
  if (!isUuid(userId) || !contact) notFound();
  if (intent === "reinvite") {
    await reinviteContact(actor, account.id, userId);
    return data<ActionResult>({ ok: true, message: `A new invitation went to ${contact.email}.` });
  }
  if (intent === "disable" || intent === "enable") {
    await setContactStatus(actor, account.id, userId, intent === "disable" ? "disabled" : "active");
    return data<ActionResult>({ ok: true, message: `${contact.email} ${intent === "disable" ? "disabled; their sessions ended" : "enabled"}.` });
  }
  return data<ActionResult>({ ok: false, message: "intent must be invite, reinvite, disable or enable" }, { status: 400 });
}

export default function AdminAccount() {
  const { account, einvoiceDefault, canViewAs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const v = result?.values ?? {};
  const e = result?.fieldErrors ?? {};
  return (
    <>
      <p>
        <Link to="/admin">← Accounts</Link>
      </p>
      <h1>
        {account.name} <span className="muted">{account.number}</span>
      </h1>
      {result?.ok && result.message ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {!result?.ok && result?.message ? <FormError message={result.message} /> : null}
      <div className="panel">
        <dl className="facts">
          <dt>VAT id</dt>
          <dd>{account.vatId}</dd>
          <dt>Country / language / currency</dt>
          <dd>
            {account.countryCode} / {account.language} / {account.currency}
          </dd>
          <dt>Buyer reference</dt>
          <dd>{account.buyerReference ?? "–"}</dd>
          {account.parent ? (
            <>
              <dt>Parent</dt>
              <dd>
                <Link to={`/admin/accounts/${account.parent.id}`}>{account.parent.name}</Link>
              </dd>
            </>
          ) : null}
          {account.subsidiaries.length > 0 ? (
            <>
              <dt>Subsidiaries</dt>
              <dd>
                {account.subsidiaries.map((s, i) => (
                  <span key={s.id}>
                    {i > 0 ? ", " : ""}
                    <Link to={`/admin/accounts/${s.id}`}>{s.name}</Link>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          <dt>Locations</dt>
          <dd>{account.locations.map((l) => `${l.name} (${l.code})`).join(", ") || "–"}</dd>
        </dl>
      </div>
      <AccountEInvoiceDefault accountId={account.id} current={einvoiceDefault} />
      <section className="panel">
        <h2>Contacts</h2>
        <table className="grid" data-testid="contacts-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Scope</th>
              <th>Status</th>
              <th>Last sign-in</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {account.contacts.map((c) => (
              <tr key={c.userId} data-email={c.email}>
                <td>{c.name}</td>
                <td>{c.email}</td>
                <td>{c.role}</td>
                <td>
                  {c.includeSubsidiaries ? "with subsidiaries" : ""}
                  {c.locations.length > 0 ? `only ${c.locations.join(", ")}` : ""}
                </td>
                <td>
                  <span className={`badge ${c.status === "disabled" ? "danger" : c.status === "active" ? "ok" : "warn"}`}>{c.status}</span>
                  {c.pendingInvitationExpiresAt ? (
                    <div className="muted" style={{ fontSize: 11 }}>
                      link valid until {formatDateTime("en", c.pendingInvitationExpiresAt)}
                    </div>
                  ) : null}
                </td>
                <td>{formatDateTime("en", c.lastLoginAt) || "never"}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={c.userId} />
                    {c.status === "invited" ? (
                      <button type="submit" name="intent" value="reinvite">
                        Re-invite
                      </button>
                    ) : null}{" "}
                    {c.status === "disabled" ? (
                      <button type="submit" name="intent" value="enable">
                        Enable
                      </button>
                    ) : (
                      <button type="submit" name="intent" value="disable" className="danger">
                        Disable
                      </button>
                    )}
                  </Form>
                  {canViewAs && c.status === "active" ? <ViewAsForm accountId={account.id} contact={c} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <h2>Invite a contact</h2>
        <Form method="post" noValidate style={{ padding: 10, maxWidth: 520 }} key={result?.ok ? "sent" : "form"}>
          <input type="hidden" name="intent" value="invite" />
          <Field name="name" label="Name" required defaultValue={v.name} error={e.name} />
          <Field name="email" type="email" label="Email" required defaultValue={v.email} error={e.email} />
          <div className="field">
            <label htmlFor="invite-role">Role</label>
            <select id="invite-role" name="role" defaultValue={v.role ?? "buyer"}>
              {CONTACT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            {e.role ? <span className="error">Role {e.role}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="invite-language">Language</label>
            <select id="invite-language" name="language" defaultValue={v.language ?? account.language}>
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </div>
          {account.subsidiaries.length > 0 ? (
            <div className="field">
              <label>
                <input type="checkbox" name="includeSubsidiaries" defaultChecked={v.includeSubsidiaries === "on"} /> Include subsidiaries
              </label>
            </div>
          ) : null}
          {account.locations.length > 1 ? (
            <fieldset className="field">
              <legend>Restrict to locations (none = all)</legend>
              {account.locations.map((l) => (
                <label key={l.id}>
                  <input type="checkbox" name="locationIds" value={l.id} /> {l.name}
                </label>
              ))}
              {e.locationIds ? <span className="error">Locations {e.locationIds}</span> : null}
            </fieldset>
          ) : null}
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            Send invitation
          </button>
        </Form>
      </section>
    </>
  );
}

/**
 * "View as": the portal exactly as this contact sees it, read-only and audited (decision 035). The
 * reason is optional and lands in the audit trail.
 */
function ViewAsForm({ accountId, contact }: { accountId: string; contact: { userId: string; name: string; email: string } }) {
  const fetcher = useFetcher<{ ok: false; fieldErrors: Record<string, string> }>();
  const errors = fetcher.data?.fieldErrors ?? {};
  const reasonId = `view-as-reason-${contact.userId}`;
  return (
    <fetcher.Form method="post" action={`/admin/accounts/${accountId}/view-as`} className="view-as-form" aria-label={`View as ${contact.name}`}>
      <input type="hidden" name="contactId" value={contact.userId} />
      <label htmlFor={reasonId} className="sr-only">
        Reason for viewing as {contact.name} (optional)
      </label>
      <input id={reasonId} name="reason" placeholder="Reason (optional)" maxLength={300} aria-invalid={errors.reason ? true : undefined} />
      <button type="submit" disabled={fetcher.state !== "idle"}>
        View as
      </button>
      {Object.entries(errors).map(([field, message]) => (
        <span key={field} className="error" role="alert">
          {field === "reason" ? "Reason" : field === "contactId" ? "Contact" : field} {message}
        </span>
      ))}
    </fetcher.Form>
  );
}
