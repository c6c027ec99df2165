import { useNavigation } from "@remix-run/react";
import { FormError, SelectField, SubmitRow, TextAreaField, WriteForm } from "~/components/form";
import { codeLabel, formatNumber, translate, type Language } from "~/i18n/i18n";
import { AttachmentField } from "~/modules/attachments/components/Attachments";
import { localizeReason } from "~/i18n/reasons";
import { formatQuantity } from "~/i18n/units";
import type { ReturnableOrder } from "../request.server";
import { quantityField, RETURN_REASONS } from "../schemas";

export type ReturnFormResult = { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> };

/** Errors of fields that have no input of their own (the form, the order, "no line picked"), with their names. */
const FORM_FIELDS = { quantity: "returns.field.lines", form: "returns.field.lines", orderId: "returns.field.orderId", clientMutationId: "returns.field.clientMutationId" } as const;

/**
 * The return form of one order: every line with what was delivered and already requested, a
 * quantity box per line (empty: not returned), the reason and a comment. On a refusal the server's
 * errors sit under their field and every typed value stays.
 */
export function ReturnForm({ data, clientMutationId, result, lang }: { data: ReturnableOrder; clientMutationId: string; result?: ReturnFormResult; lang: Language }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod?.toLowerCase() === "post";
  const errors = result?.fieldErrors ?? {};
  const values = result?.values ?? {};
  const formErrors = Object.entries(FORM_FIELDS)
    .filter(([field]) => errors[field])
    .map(([field, key]) => `${translate(lang, key)} ${localizeReason(lang, errors[field])}`);
  const firstReturnable = data.lines.find((l) => Number(l.returnable) > 0)?.id;
  return (
    <WriteForm encType="multipart/form-data" aria-label={translate(lang, "returns.new")} className="return-form">
      <input type="hidden" name="orderId" value={data.order.id} />
      <input type="hidden" name="clientMutationId" value={values.clientMutationId ?? clientMutationId} />
      <FormError message={formErrors.join(" · ") || null} />
      <p className="muted" id="return-lines-hint">
        {translate(lang, "returns.linesHint")}
      </p>
      <table className="grid" aria-describedby="return-lines-hint">
        <thead>
          <tr>
            <th>#</th>
            <th className="hide-phone">{translate(lang, "common.sku")}</th>
            <th>{translate(lang, "common.description")}</th>
            <th className="num">{translate(lang, "returns.delivered")}</th>
            <th className="num hide-phone">{translate(lang, "returns.alreadyRequested")}</th>
            <th className="num">{translate(lang, "returns.toReturn")}</th>
          </tr>
        </thead>
        <tbody>
          {data.lines.map((line) => {
            const name = quantityField(line.id);
            const error = errors[name];
            const label = translate(lang, "returns.lineQuantity", { lineNo: line.lineNo });
            const none = Number(line.returnable) <= 0;
            return (
              <tr key={line.id} className={none ? "muted" : undefined}>
                <td>{line.lineNo}</td>
                <td className="hide-phone">{line.sku}</td>
                <td className="wrap">{line.description}</td>
                <td className="num">
                  {formatQuantity(lang, line.delivered, line.unit)}
                </td>
                <td className="num hide-phone">{Number(line.requested) > 0 ? formatNumber(lang, line.requested) : "–"}</td>
                <td className="num qty-cell">
                  <input
                    type="text"
                    inputMode="decimal"
                    name={name}
                    aria-label={label}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${name}-error` : undefined}
                    defaultValue={values[name] ?? ""}
                    placeholder={none ? "" : `≤ ${formatNumber(lang, line.returnable)}`}
                    disabled={none}
                    autoFocus={line.id === firstReturnable}
                    autoComplete="off"
                    size={7}
                  />
                  {error ? (
                    <span className="error" id={`${name}-error`} role="alert">
                      {label} {localizeReason(lang, error)}
                    </span>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="form-columns">
        <SelectField
          name="reason"
          label={translate(lang, "returns.reason")}
          placeholder={translate(lang, "returns.chooseReason")}
          options={RETURN_REASONS.map((r) => ({ value: r, label: codeLabel(lang, "returns.reason", r) }))}
          defaultValue={values.reason}
          error={errors.reason}
        />
        <TextAreaField name="comment" label={translate(lang, "returns.comment")} hint={translate(lang, "returns.commentHint")} defaultValue={values.comment} error={errors.comment} maxLength={1000} rows={3} />
      </div>
      <AttachmentField lang={lang} error={errors.files} />
      <SubmitRow label={translate(lang, "returns.submit")} busy={busy} busyText={translate(lang, "common.saving")} />
    </WriteForm>
  );
}
