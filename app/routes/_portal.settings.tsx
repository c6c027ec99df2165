import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { ActionMessage, SubmitRow } from "~/components/form";
import { useLang } from "~/components/format";
import { useKeptActionData } from "~/components/kept-action-data";
import { translate } from "~/i18n/i18n";
import { requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { parseForm } from "~/modules/forms";
import { getContactSettings, saveContactSettings } from "~/modules/preferences/preferences.server";
import { ContactSettingsSchema } from "~/modules/preferences/schemas";

export const handle = routeAccess({ area: "portal" });

export const meta: MetaFunction = () => [{ title: "Settings · Ledgerlight" }];

/** The signed-in contact's own settings: their language (portal and mails) and whether mails about their tickets and returns reach them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireContact(request);
  return { settings: await getContactSettings(user.id) };
}

type Result = { ok: boolean; message?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireContact(request);
  const parsed = parseForm(ContactSettingsSchema, await request.formData());
  if (!parsed.ok) {
    const message = Object.entries(parsed.fieldErrors).map(([field, reason]) => `${field} ${reason}`).join("; ");
    return data<Result>({ ok: false, message }, { status: 400 });
  }
  await saveContactSettings(user.id, parsed.data);
  return data<Result>({ ok: true, message: translate(parsed.data.language, "settings.saved") });
}

export default function SettingsPage() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useKeptActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const lang = useLang();
  return (
    <>
      <h1>{translate(lang, "settings.title")}</h1>
      <ActionMessage result={result} />
      <section className="panel">
        <Form method="post" className="ticket-form">
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
          <SubmitRow label={translate(lang, "settings.save")} busy={busy} busyText={translate(lang, "common.saving")} />
        </Form>
      </section>
    </>
  );
}
