import { Form, useRouteLoaderData, type FormProps } from "@remix-run/react";
import { useEffect, type InputHTMLAttributes, type ReactNode } from "react";
import type { Language } from "~/i18n/i18n";
import { localizeReason } from "~/i18n/reasons";
import type { loader as rootLoader } from "~/root";
import { useLang } from "./format";

/**
 * While staff view the portal as a contact (decision 035) nothing they submit is saved: requireUser
 * refuses every write. Forms say so instead of letting staff fill them in and meet a 403 page
 * (decision 038); null otherwise. English, like the view-as banner: only staff ever read it.
 */
export function useReadOnlyNote(): string | null {
  const viewAs = useRouteLoaderData<typeof rootLoader>("root")?.viewAs;
  return viewAs ? `Read-only while viewing as ${viewAs.name}` : null;
}

/**
 * A portal form that writes (a POST). While staff view as a contact its fields and buttons are
 * disabled, all at once by a disabled fieldset, with the read-only note after them, or only as
 * the fieldset's title for the small buttons of a table row or a page head (`note="title"`).
 * Otherwise exactly a Remix `<Form method="post">`. The server's guard stays what refuses the write.
 */
export function WriteForm({ note = "inline", children, ...props }: Omit<FormProps, "method"> & { note?: "inline" | "title" }) {
  const readOnly = useReadOnlyNote();
  return (
    // eslint-disable-next-line no-restricted-syntax -- the one place a portal POST form is made
    <Form method="post" {...props}>
      {readOnly ? (
        <fieldset disabled className="read-only-form" title={readOnly} data-read-only="view-as">
          {children}
          {note === "inline" ? (
            <p className="read-only-note" data-testid="read-only-note">
              {readOnly}
            </p>
          ) : null}
        </fieldset>
      ) : (
        children
      )}
    </Form>
  );
}

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
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
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

/** An action's answer: its message as a notice when it worked, as an error when it did not; nothing before the first submit. */
export function ActionMessage({ result }: { result?: { ok: boolean; message?: string } | null }) {
  if (!result?.ok) return <FormError message={result?.message} />;
  return (
    <p className="notice" role="status">
      {result.message}
    </p>
  );
}

/**
 * A list page's filter: a GET form with one labelled select that applies as soon as it changes (a
 * "Filter" button without JavaScript). `children` are the options; `keep` are the page's other
 * filters, sent along so that changing this one does not drop them.
 */
export function FilterSelect({
  id,
  name,
  label,
  defaultValue,
  keep = {},
  children,
}: {
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  keep?: Record<string, string | null>;
  children: ReactNode;
}) {
  return (
    <Form method="get" className="toolbar">
      {Object.entries(keep).map(([key, value]) => (value === null ? null : <input key={key} type="hidden" name={key} value={value} />))}
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
        {children}
      </select>
      <noscript>
        <button type="submit">Filter</button>
      </noscript>
    </Form>
  );
}

const describedByOf = (id: string, hint?: string, error?: string) =>
  [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;

/** A field's hint and its error (the field's name, then the reason, in the contact's language). */
function FieldNotes({ id, label, hint, error }: { id: string; label: string; hint?: string; error?: string }) {
  const lang = useLang();
  return (
    <>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="error" id={`${id}-error`} role="alert">
          {label} {localizeReason(lang, error)}
        </span>
      ) : null}
    </>
  );
}

/** A form's submit button with the busy state and the Ctrl+Enter hint beside it. */
export function SubmitRow({ label, busy, busyText, children }: { label: string; busy: boolean; busyText: string; children?: ReactNode }) {
  // Read-only (viewing as): the form's note says why the button is off; no shortcut to offer.
  const readOnly = useReadOnlyNote();
  return (
    <p className="form-actions">
      <button type="submit" className="primary" disabled={busy}>
        {label}
      </button>
      {children}
      <span className="muted" aria-live="polite">
        {busy ? busyText : readOnly ? "" : "Ctrl+Enter"}
      </span>
    </p>
  );
}

interface ChoiceFieldProps {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  defaultValue?: string;
  error?: string;
  hint?: string;
  /** A first, empty choice ("Choose a reason…"): the contact must pick one. */
  placeholder?: string;
  required?: boolean;
}

/** A labelled select whose error names the field and the reason, like `Field`. */
export function SelectField({ name, label, options, defaultValue, error, hint, placeholder, required }: ChoiceFieldProps) {
  const id = `field-${name}`;
  const describedBy = describedByOf(id, hint, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} label={label} hint={hint} error={error} />
    </div>
  );
}

interface TextAreaFieldProps {
  name: string;
  label: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
  rows?: number;
  maxLength?: number;
  required?: boolean;
  autoFocus?: boolean;
}

/** A labelled textarea; Ctrl/Cmd+Enter submits its form (as in mail and chat clients: useCtrlEnterSubmit). */
export function TextAreaField({ name, label, defaultValue, error, hint, rows = 4, maxLength, required, autoFocus }: TextAreaFieldProps) {
  const id = `field-${name}`;
  const describedBy = describedByOf(id, hint, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        required={required}
        autoFocus={autoFocus}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      <FieldNotes id={id} label={label} hint={hint} error={error} />
    </div>
  );
}

/**
 * Ctrl/Cmd+Enter in any field submits its form, as SubmitRow's hint says: in a textarea, where Enter
 * makes a new line, and in inputs, selects and checkboxes alike. A form with several submit buttons
 * (approve / reject) needs the user to pick one: submitting without a button would send no choice.
 */
export function useCtrlEnterSubmit(): void {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
      const target = event.target as (HTMLElement & { form?: HTMLFormElement | null }) | null;
      const form = target?.form;
      if (!form) return;
      event.preventDefault();
      if (form.querySelectorAll("button[type=submit], button:not([type])").length <= 1) form.requestSubmit();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
