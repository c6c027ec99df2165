import { translate, type Language } from "~/i18n/i18n";
import { localizeReason } from "~/i18n/reasons";
import { ATTACHMENT_ACCEPT, ATTACHMENT_FIELD, attachmentKind, formatBytes, INLINE_IMAGE_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, type AttachmentMeta } from "../limits";

/**
 * The file input of the upload forms (the form needs `encType="multipart/form-data"`). A refusal
 * names each refused file with its reason and asks to choose the files again without them (a file
 * input cannot drop one of its files; without JavaScript the reloaded page has none chosen).
 */
export function AttachmentField({ lang, error, label }: { lang: Language; error?: string; label?: string }) {
  const id = `field-${ATTACHMENT_FIELD}`;
  const text = label ?? translate(lang, "attachments.field");
  const reasons = error ? error.split("; ").map((reason) => localizeReason(lang, reason)) : [];
  return (
    <div className="field attachment-field">
      <label htmlFor={id}>{text}</label>
      <input
        id={id}
        type="file"
        name={ATTACHMENT_FIELD}
        multiple
        accept={ATTACHMENT_ACCEPT}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(" ")}
      />
      <span className="hint" id={`${id}-hint`}>
        {translate(lang, "attachments.hint", { max: MAX_ATTACHMENTS, size: formatBytes(MAX_ATTACHMENT_BYTES, lang) })}
      </span>
      {error ? (
        <span className="error" id={`${id}-error`} role="alert">
          {`${text}: ${reasons.join("; ")}. ${translate(lang, "attachments.reselect")}`}
        </span>
      ) : null}
    </div>
  );
}

/**
 * Attachments as a list: a thumbnail for images a browser shows (with a type badge) or the type in
 * its place, the name (a link that downloads it) and the size. `href` builds the download URL
 * (contacts' or staff's route); `showUploader` off where the message already names its author.
 */
export function AttachmentList({
  attachments,
  lang,
  href,
  supplierLabel,
  showUploader = true,
}: {
  attachments: readonly AttachmentMeta[];
  lang: Language;
  href: (id: string) => string;
  supplierLabel?: string;
  showUploader?: boolean;
}) {
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label={translate(lang, "attachments.title")}>
      {attachments.map((a) => {
        const image = INLINE_IMAGE_TYPES.includes(a.mediaType);
        return (
          <li key={a.id} data-testid="attachment">
            {image ? (
              <a href={href(a.id)} target="_blank" rel="noreferrer" className="thumb" aria-hidden="true" tabIndex={-1}>
                <img src={href(a.id)} alt="" loading="lazy" />
              </a>
            ) : (
              <span className="thumb kind" aria-hidden="true">
                {attachmentKind(a.mediaType)}
              </span>
            )}
            <span className="attachment-text">
              <a href={`${href(a.id)}?download=1`} download={a.fileName} aria-label={translate(lang, "attachments.download", { name: a.fileName })}>
                {a.fileName}
              </a>
              <span className="muted">
                {image ? <span className="badge">{attachmentKind(a.mediaType)}</span> : null} {formatBytes(a.byteSize, lang)}
                {a.fromSupplier && supplierLabel ? ` · ${supplierLabel}` : ""}
                {showUploader && a.uploadedBy ? ` · ${a.uploadedBy}` : ""}
              </span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
