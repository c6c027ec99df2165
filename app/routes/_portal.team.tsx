import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Field, FormError, WriteForm } from "~/components/form";
import { StatusBadge, useLang } from "~/components/format";
import { formatDateTime, translate } from "~/i18n/i18n";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { CONTACT_ROLES } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { listAccountLocations, listTeam, removeTeamMember } from "~/modules/contacts/contacts.server";
import { ContactConflictError, inviteContact, reinviteContact, type Actor } from "~/modules/contacts/invitations.server";
import { ContactSchema } from "~/modules/contacts/schemas";
import { parseForm } from "~/modules/forms";
import { useKeptActionData } from "~/components/kept-action-data";

export const handle = routeAccess({ area: "portal", permission: "contacts.manage" });

export const meta: MetaFunction = () => [{ title: "Team · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope, memberships } = await requireContactPermission(request, "contacts.manage");
  const [team, locations] = await Promise.all([listTeam(scope), listAccountLocations(scope)]);
  return { team, locations, accountName: memberships.find((m) => m.accountId === scope.accountId)?.accountName ?? "" };
}

type Result = { ok: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, scope } = await requireContactPermission(request, "contacts.manage");
  const actor: Actor = { userId: user.id, name: user.name, ip: context.clientIp, userAgent: request.headers.get("user-agent") };
  const form = await request.formData();
  const intent = form.get("intent");
  const lang = scope.language;
  if (intent === "invite") {
    const parsed = parseForm(ContactSchema, form);
    if (!parsed.ok) return data<Result>({ ok: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
    try {
      await inviteContact(actor, scope.accountId, parsed.data);
    } catch (error) {
      if (!(error instanceof ContactConflictError)) throw error;
      return data<Result>({ ok: false, fieldErrors: { [error.field]: error.message }, values: { email: parsed.data.email, name: parsed.data.name } }, { status: 409 });
    }
    return data<Result>({ ok: true, message: translate(lang, "team.sent", { email: parsed.data.email }) });
  }
  const member = (await listTeam(scope)).find((m) => m.userId === form.get("userId"));
  if (!member) notFound();
  if (intent === "reinvite" && member.status === "invited") {
    await reinviteContact(actor, scope.accountId, member.userId);
    return data<Result>({ ok: true, message: translate(lang, "team.reinvited", { email: member.email }) });
  }
  if (intent === "remove" && !member.isSelf) {
    await removeTeamMember(scope, actor, member.userId);
    return data<Result>({ ok: true, message: translate(lang, "team.removed", { email: member.email }) });
  }
  return data<Result>({ ok: false, message: "intent must be invite, reinvite or remove (not for yourself)" }, { status: 400 });
}

export default function TeamPage() {
  const { team, locations, accountName } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const lang = useLang();
  const v = result?.values ?? {};
  const e = result?.fieldErrors ?? {};
  return (
    <>
      <h1>{translate(lang, "team.title")}</h1>
      <p className="muted">{translate(lang, "team.intro", { account: accountName })}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : (
        <FormError message={result?.message} />
      )}
      <div className="panel">
        <table className="grid" data-testid="team-table">
          <thead>
            <tr>
              <th>{translate(lang, "team.name")}</th>
              <th>{translate(lang, "login.email")}</th>
              <th>{translate(lang, "team.role")}</th>
              <th>{translate(lang, "team.status")}</th>
              <th>{translate(lang, "team.lastLogin")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {team.map((m) => (
              <tr key={m.userId} data-email={m.email}>
                <td>
                  {m.name} {m.isSelf ? <span className="muted">({translate(lang, "team.you")})</span> : null}
                </td>
                <td>{m.email}</td>
                <td>{m.role}</td>
                <td>
                  <StatusBadge status={m.status} />
                </td>
                <td>{m.lastLoginAt ? formatDateTime(lang, m.lastLoginAt) : translate(lang, "team.never")}</td>
                <td>
                  {m.isSelf ? null : (
                    <WriteForm className="inline-form" note="title">
                      <input type="hidden" name="userId" value={m.userId} />
                      {m.status === "invited" ? (
                        <button type="submit" name="intent" value="reinvite">
                          {translate(lang, "team.reinvite")}
                        </button>
                      ) : null}{" "}
                      <button type="submit" name="intent" value="remove" className="danger">
                        {translate(lang, "team.remove")}
                      </button>
                    </WriteForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="panel">
        <h2>{translate(lang, "team.invite")}</h2>
        <WriteForm noValidate style={{ padding: 10, maxWidth: 520 }} key={result?.ok ? "sent" : "form"}>
          <input type="hidden" name="intent" value="invite" />
          <Field name="name" label={translate(lang, "team.name")} required defaultValue={v.name} error={e.name} />
          <Field name="email" type="email" label={translate(lang, "login.email")} required defaultValue={v.email} error={e.email} />
          <div className="field">
            <label htmlFor="team-role">{translate(lang, "team.role")}</label>
            <select id="team-role" name="role" defaultValue={v.role ?? "viewer"}>
              {CONTACT_ROLES.map((role) => (
                <option key={role} value={role}>
                  {translate(lang, `team.role.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="team-language">{translate(lang, "team.language")}</label>
            <select id="team-language" name="language" defaultValue={v.language ?? lang}>
              <option value="en">English</option>
              <option value="de">Deutsch</option>
            </select>
          </div>
          {locations.length > 1 ? (
            <fieldset className="field">
              <legend>{translate(lang, "team.locations")}</legend>
              {locations.map((l) => (
                <label key={l.id}>
                  <input type="checkbox" name="locationIds" value={l.id} /> {l.name}
                </label>
              ))}
              {e.locationIds ? <span className="error">{e.locationIds}</span> : null}
            </fieldset>
          ) : null}
          <button type="submit" className="primary">
            {translate(lang, "team.send")}
          </button>
        </WriteForm>
      </section>
    </>
  );
}
