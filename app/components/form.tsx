import type { InputHTMLAttributes } from "react";
import type { Language } from "~/i18n/i18n";
import { localizeReason } from "~/i18n/reasons";
import { useLang } from "./format";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  /** The page's language when it differs from the signed-in user's (e.g. an invitation). */
  lang?: Language;
}

/** A labelled input whose error names the field and the reason, announced to screen readers. */
export function Field({ name, label, error, hint, id, lang: pageLang, ...input }: FieldProps) {
  const userLang = useLang();
  const lang = pageLang ?? userLang;
  const inputId = id ?? `field-${name}`;
  const describedBy = [error ? `${inputId}-error` : null, hint ? `${inputId}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint ? (
        <span className="hint" id={`${inputId}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="error" id={`${inputId}-error`} role="alert">
          {label} {localizeReason(lang, error)}
        </span>
      ) : null}
    </div>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      {message}
    </div>
  );
}
