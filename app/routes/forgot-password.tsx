import { data, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { AuthLayout } from "~/components/AuthLayout";
import { Field } from "~/components/form";
import { translate } from "~/i18n/i18n";
import { requestPasswordReset } from "~/modules/auth/password-reset.server";
import { PasswordResetRequestSchema } from "~/modules/auth/schemas";
import { parseForm } from "~/modules/forms";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export const meta: MetaFunction = () => [{ title: "Reset password · Ledgerlight" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = parseForm(PasswordResetRequestSchema, await request.formData());
  if (!parsed.ok) return data({ sent: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  await requestPasswordReset(parsed.data.email, { ip: context.clientIp, userAgent: request.headers.get("user-agent") });
  return { sent: true, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const lang = useRootData()?.language ?? "en";
  return (
    <AuthLayout title={translate(lang, "reset.title")}>
      {actionData?.sent ? (
        <p className="notice" role="status">
          {translate(lang, "reset.sent")}
        </p>
      ) : (
        <Form method="post" noValidate>
          <p className="muted">{translate(lang, "reset.intro")}</p>
          <Field name="email" type="email" label={translate(lang, "login.email")} autoComplete="username" required defaultValue={actionData?.values.email} error={actionData?.fieldErrors.email} />
          <button type="submit" className="primary">
            {translate(lang, "reset.submit")}
          </button>
        </Form>
      )}
      <div className="links">
        <Link to="/login">{translate(lang, "login.title")}</Link>
      </div>
    </AuthLayout>
  );
}
