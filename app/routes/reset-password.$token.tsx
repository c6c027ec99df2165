import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AuthLayout } from "~/components/AuthLayout";
import { SetPasswordForm } from "~/components/SetPasswordForm";
import { translate } from "~/i18n/i18n";
import { completePasswordReset, findPasswordResetUser } from "~/modules/auth/password-reset.server";
import { SetPasswordSchema } from "~/modules/auth/schemas";
import { parseForm } from "~/modules/forms";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function loader({ params }: LoaderFunctionArgs) {
  const user = await findPasswordResetUser(params.token ?? "");
  return { valid: user !== null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsed = parseForm(SetPasswordSchema, await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: null }, { status: 400 });
  const origin = { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
  const userId = await completePasswordReset(params.token ?? "", parsed.data.password, origin);
  if (!userId) return data({ fieldErrors: {} as Record<string, string>, formError: "invalid-link" }, { status: 410 });
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const lang = useRootData()?.language ?? "en";
  const invalid = !valid || actionData?.formError === "invalid-link";
  return (
    <AuthLayout title={translate(lang, "reset.newTitle")}>
      {invalid ? (
        <p className="form-error" role="alert">
          {translate(lang, "reset.invalidLink")} <Link to="/forgot-password">{translate(lang, "reset.title")}</Link>
        </p>
      ) : (
        <SetPasswordForm lang={lang} submitLabel={translate(lang, "password.save")} fieldErrors={actionData?.fieldErrors} />
      )}
    </AuthLayout>
  );
}
