import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthLayout } from "~/components/AuthLayout";
import { SetPasswordForm } from "~/components/SetPasswordForm";
import { translate } from "~/i18n/i18n";
import { SetPasswordSchema } from "~/modules/auth/schemas";
import { createUserSession } from "~/modules/auth/session.server";
import { acceptInvitation, findInvitation } from "~/modules/contacts/invitations.server";
import { parseForm } from "~/modules/forms";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token ?? "");
  return { invitation: invitation ? { name: invitation.name, email: invitation.email, accountName: invitation.accountName, language: invitation.language } : null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = parseForm(SetPasswordSchema, await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: null }, { status: 400 });
  const origin = { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
  const accepted = await acceptInvitation(params.token ?? "", parsed.data.password, origin);
  if (!accepted) return data({ fieldErrors: {} as Record<string, string>, formError: "invalid-link" }, { status: 410 });
  const cookie = await createUserSession(accepted.userId, accepted.accountId, origin);
  return redirect("/overview", { headers: { "Set-Cookie": cookie } });
}

export default function AcceptInvitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const root = useRootData();
  const lang = invitation?.language ?? root?.language ?? "en";
  if (!invitation || actionData?.formError === "invalid-link") {
    return (
      <AuthLayout title={translate(lang, "reset.invalidLink")}>
        <p>
          <Link to="/login">{translate(lang, "login.title")}</Link>
        </p>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={translate(lang, "invite.title", { supplier: root?.supplierName ?? "" })}>
      <p>{translate(lang, "invite.intro", { name: invitation.name, account: invitation.accountName })}</p>
      <p className="muted">{invitation.email}</p>
      <SetPasswordForm lang={lang} submitLabel={translate(lang, "invite.submit")} fieldErrors={actionData?.fieldErrors} />
    </AuthLayout>
  );
}
