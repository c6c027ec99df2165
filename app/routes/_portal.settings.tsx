import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { ActionMessage, Field, SubmitRow, WriteForm } from "~/components/form";
import { useLang } from "~/components/format";
import { useKeptActionData } from "~/components/kept-action-data";
import { translate } from "~/i18n/i18n";
import { notFound, requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { parseForm } from "~/modules/forms";
import { changePassword } from "~/modules/auth/password-change.server";
import { ChangePasswordSchema } from "~/modules/auth/schemas";
import { ThrottledError } from "~/modules/auth/throttle.server";
import { getContactSettings, saveContactSettings } from "~/modules/preferences/preferences.server";
import { ContactSettingsSchema, DIGEST_FREQUENCIES } from "~/modules/preferences/schemas";

export const handle = routeAccess({ area: "portal" });

// Retry-After on a throttled password change must reach the browser on the document response too.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Settings · Ledgerlight" }];

/**
 * The signed-in contact's own settings: their language (portal and mails), whether mails about their
 * tickets and returns reach them, and per account of theirs the digest of new documents (decision 039).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, memberships } = await requireContact(request);
  return { settings: await getContactSettings(user.id), accounts: memberships.map(({ accountId, accountName, accountNumber }) => ({ accountId, accountName, accountNumber })) };
}

type Result = { ok: boolean; form: "settings" | "password"; message?: string; fieldErrors?: Record<string, string>; changedAt?: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = await requireContact(request);
  const form = await request.formData();
  if (form.get("intent") === "password") {
    const parsed = parseForm(ChangePasswordSchema, form);
    if (!parsed.ok) return data<Result>({ ok: false, form: "password", fieldErrors: parsed.fieldErrors }, { status: 400 });
    const origin = { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
    try {
      const changed = await changePassword(user, parsed.data, origin);
      if (!changed.ok) return data<Result>({ ok: false, form: "password", fieldErrors: changed.fieldErrors }, { status: 400 });
    } catch (error) {
      if (!(error instanceof ThrottledError)) throw error;
      return data<Result>({ ok: false, form: "password", message: error.message }, { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } });
    }
    // changedAt keys the form, so every successful change empties its fields.
    return data<Result>({ ok: true, form: "password", message: translate(user.language, "settings.passwordChanged"), changedAt: Date.now() });
  }
  const parsed = parseForm(ContactSettingsSchema, form);
  if (!parsed.ok) {
    const message = Object.entries(parsed.fieldErrors).map(([field, reason]) => `${field} ${reason}`).join("; ");
    return data<Result>({ ok: false, form: "settings", message }, { status: 400 });
  }
  // A digest for an account that is not theirs: not found, like every other account's record.
  if (!(await saveContactSettings(user.id, parsed.data)).ok) notFound();
  return data<Result>({ ok: true, form: "settings", message: translate(parsed.data.language, "settings.saved") });
}

export default function SettingsPage() {
  const { settings, accounts } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const navigation = useNavigation();
  // Each form says "saving" only while it is the one being sent.
  const sending = navigation.state === "submitting" ? (navigation.formData?.get("intent") === "password" ? "password" : "settings") : null;
  const lang = useLang();
  const passwordErrors = result?.form === "password" ? result.fieldErrors : undefined;
  return (
    <>
      <h1>{translate(lang, "settings.title")}</h1>
      {result?.message ? <ActionMessage result={result} /> : null}
      <section className="panel">
        <WriteForm className="ticket-form">
          <h2>{translate(lang, "settings.language")}</h2>
          <div className="field">
            <label htmlFor="settings-language">{translate(lang, "settings.languageLabel")}</label>
            <select id="settings-language" name="language" defaultValue={settings.language}>
              <option value="de">Deutsch</option>
              <option value="en">English</option>
            </select>
          </div>
          <h2>{translate(lang, "settings.mail")}</h2>
          <div className="field">
            <label>
              <input type="checkbox" name="notifyByEmail" defaultChecked={settings.notifyByEmail} aria-describedby="notify-hint" /> {translate(lang, "settings.notifyByEmail")}
            </label>
            <span className="hint" id="notify-hint">
              {translate(lang, "settings.notifyByEmailHint")}
            </span>
          </div>
          <h2>{translate(lang, "settings.digest")}</h2>
          <div className="field">
            <span className="hint" id="digest-hint">
              {translate(lang, "settings.digestHint")}
            </span>
          </div>
          {accounts.map((account) => (
            <div className="field" key={account.accountId}>
              <label htmlFor={`digest-${account.accountId}`}>{translate(lang, "settings.digestLabel", { account: `${account.accountName} (${account.accountNumber})` })}</label>
              <select id={`digest-${account.accountId}`} name={`digest.${account.accountId}`} defaultValue={settings.digests[account.accountId] ?? "off"} aria-describedby="digest-hint">
                {DIGEST_FREQUENCIES.map((frequency) => (
                  <option key={frequency} value={frequency}>
                    {translate(lang, `settings.digest.${frequency}`)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <SubmitRow label={translate(lang, "settings.save")} busy={sending === "settings"} busyText={translate(lang, "common.saving")} />
        </WriteForm>
      </section>
      <section className="panel">
        <WriteForm className="ticket-form" key={result?.form === "password" && result.changedAt ? result.changedAt : "form"}>
          <h2>{translate(lang, "settings.password")}</h2>
          <input type="hidden" name="intent" value="password" />
          <Field name="currentPassword" type="password" label={translate(lang, "settings.currentPassword")} autoComplete="current-password" required error={passwordErrors?.currentPassword} />
          <Field name="password" type="password" label={translate(lang, "password.new")} hint={translate(lang, "password.hint")} autoComplete="new-password" required error={passwordErrors?.password} />
          <Field name="confirmPassword" type="password" label={translate(lang, "password.confirm")} autoComplete="new-password" required error={passwordErrors?.confirmPassword} />
          <SubmitRow label={translate(lang, "settings.changePassword")} busy={sending === "password"} busyText={translate(lang, "common.saving")} />
        </WriteForm>
      </section>
    </>
  );
}
