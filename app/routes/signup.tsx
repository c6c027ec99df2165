import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { AuthLayout } from "~/components/AuthLayout";
import { Field } from "~/components/form";
import { getDb } from "~/db/connection.server";
import { translate } from "~/i18n/i18n";
import { notFound } from "~/modules/access/guards.server";
import { SignupRequestSchema } from "~/modules/auth/schemas";
import { createSignupRequest } from "~/modules/auth/signup.server";
import { parseForm } from "~/modules/forms";
import { getSupplierSettings } from "~/modules/supplier/supplier.server";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

export async function loader(_: LoaderFunctionArgs) {
  const supplier = await getSupplierSettings(await getDb());
  if (!supplier.selfSignupEnabled) notFound();
  return { language: supplier.defaultLanguage };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const supplier = await getSupplierSettings(await getDb());
  if (!supplier.selfSignupEnabled) notFound();
  const parsed = parseForm(SignupRequestSchema, await request.formData());
  if (!parsed.ok) return data({ done: false, fieldErrors: parsed.fieldErrors, values: parsed.values }, { status: 400 });
  await createSignupRequest(parsed.data, supplier.defaultLanguage, { ip: context.clientIp, userAgent: request.headers.get("user-agent") });
  return { done: true, fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> };
}

export default function Signup() {
  const actionData = useActionData<typeof action>();
  const lang = useRootData()?.language ?? "en";
  const v = actionData?.values ?? {};
  const e = actionData?.fieldErrors ?? {};
  return (
    <AuthLayout title={translate(lang, "login.signup")}>
      {actionData?.done ? (
        <p className="notice" role="status">
          {translate(lang, "mail.signup.subject")}
        </p>
      ) : (
        <Form method="post" noValidate>
          <Field name="name" label="Name" required defaultValue={v.name} error={e.name} autoComplete="name" />
          <Field name="email" type="email" label={translate(lang, "login.email")} required defaultValue={v.email} error={e.email} autoComplete="email" />
          <Field name="companyName" label="Company" required defaultValue={v.companyName} error={e.companyName} autoComplete="organization" />
          <Field name="vatId" label="VAT id" defaultValue={v.vatId} error={e.vatId} />
          <Field name="customerNumber" label="Customer number" defaultValue={v.customerNumber} error={e.customerNumber} />
          <button type="submit" className="primary">
            {translate(lang, "login.signup")}
          </button>
        </Form>
      )}
      <div className="links">
        <Link to="/login">{translate(lang, "login.title")}</Link>
      </div>
    </AuthLayout>
  );
}
