import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AuthLayout } from "~/components/AuthLayout";
import { Field, FormError } from "~/components/form";
import { getDb } from "~/db/connection.server";
import { translate } from "~/i18n/i18n";
import { currentUser } from "~/modules/access/guards.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { authenticator, InvalidCredentialsError, withClientIp } from "~/modules/auth/login.server";
import { createUserSession, safeRedirect } from "~/modules/auth/session.server";
import { ThrottledError } from "~/modules/auth/throttle.server";
import { getSupplierSettings } from "~/modules/supplier/supplier.server";
import { useRootData } from "~/root";
import { routeAccess } from "~/modules/access/route-access";

export const handle = routeAccess({ area: "public" });

// Retry-After on a throttled sign-in must reach the browser on the document response too.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: "Sign in · Ledgerlight" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await currentUser(request);
  if (user) throw redirect(user.kind === "staff" ? "/admin" : "/overview");
  const supplier = await getSupplierSettings(await getDb());
  return { selfSignup: supplier.selfSignupEnabled };
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const user = await authenticator.authenticate("form", withClientIp(request, context.clientIp));
    const origin = { ip: context.clientIp, userAgent: request.headers.get("user-agent") };
    const cookie = await createUserSession(user.id, null, origin);
    await recordAuditEvent(await getDb(), { action: "auth.login", actorUserId: user.id, ...origin });
    const fallback = user.kind === "staff" ? "/admin" : "/overview";
    const target = safeRedirect(user.redirectTo, fallback);
    // A contact cannot use an admin URL and vice versa; land them where they belong.
    const allowed = user.kind === "staff" ? target.startsWith("/admin") : !target.startsWith("/admin");
    return redirect(allowed ? target : fallback, { headers: { "Set-Cookie": cookie } });
  } catch (error) {
    if (error instanceof ThrottledError) {
      return data(
        { formError: error.message, fieldErrors: {} as Record<string, string> },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    if (error instanceof InvalidCredentialsError) {
      const hasFieldErrors = Object.keys(error.fieldErrors).length > 0;
      return data(
        { formError: hasFieldErrors ? null : error.message, fieldErrors: error.fieldErrors },
        { status: hasFieldErrors ? 400 : 401 },
      );
    }
    throw error;
  }
}

export default function Login() {
  const { selfSignup } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const lang = useRootData()?.language ?? "en";
  return (
    <AuthLayout title={translate(lang, "login.title")}>
      <Form method="post" noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="email" type="email" label={translate(lang, "login.email")} autoComplete="username" autoFocus required error={actionData?.fieldErrors.email} />
        <Field name="password" type="password" label={translate(lang, "login.password")} autoComplete="current-password" required error={actionData?.fieldErrors.password} />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {translate(lang, "login.submit")}
        </button>
      </Form>
      <div className="links">
        <Link to="/forgot-password">{translate(lang, "login.forgot")}</Link>
        {selfSignup ? <Link to="/signup">{translate(lang, "login.signup")}</Link> : null}
      </div>
    </AuthLayout>
  );
}
