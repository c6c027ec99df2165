import { Form } from "@remix-run/react";
import { translate, type Language } from "~/i18n/i18n";
import { Field, FormError } from "./form";

export function SetPasswordForm({
  lang,
  submitLabel,
  fieldErrors,
  formError,
}: {
  lang: Language;
  submitLabel: string;
  fieldErrors?: Record<string, string>;
  formError?: string | null;
}) {
  return (
    // eslint-disable-next-line no-restricted-syntax -- public pages (invitation, password reset), outside the portal
    <Form method="post" noValidate>
      <FormError message={formError} />
      <Field lang={lang} name="password" type="password" label={translate(lang, "password.new")} hint={translate(lang, "password.hint")} autoComplete="new-password" required autoFocus error={fieldErrors?.password} />
      <Field lang={lang} name="confirmPassword" type="password" label={translate(lang, "password.confirm")} autoComplete="new-password" required error={fieldErrors?.confirmPassword} />
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}
