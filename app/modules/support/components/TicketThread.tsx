import { formatDateTime, translate, type Language } from "~/i18n/i18n";
import { AttachmentList } from "~/modules/attachments/components/Attachments";
import type { TicketMessage } from "../ticket.server";

/**
 * A ticket's messages, oldest first; the supplier's answers marked, internal notes (staff pages only)
 * dashed; each message's files below it. `attachmentHref`: the contacts' or the staff's download route.
 */
export function TicketThread({
  messages,
  lang,
  supplierLabel,
  attachmentHref = (id) => `/attachments/${id}`,
}: {
  messages: readonly TicketMessage[];
  lang: Language;
  supplierLabel?: string;
  attachmentHref?: (id: string) => string;
}) {
  return (
    <ol className="thread" aria-label={translate(lang, "support.messages")} data-testid="ticket-thread">
      {messages.map((m) => (
        <li key={m.id} className={[m.fromSupplier ? "supplier" : "", m.isInternal ? "internal" : ""].join(" ").trim() || undefined}>
          <div className="meta">
            <strong>{m.authorName ?? "–"}</strong>
            {m.fromSupplier ? <span className="badge">{supplierLabel ?? translate(lang, "support.fromSupplier")}</span> : null}
            {m.isInternal ? <span className="badge warn">internal note</span> : null}
            <span>{formatDateTime(lang, m.createdAt)}</span>
          </div>
          <div className="body">{m.body}</div>
          <AttachmentList attachments={m.attachments} lang={lang} href={attachmentHref} showUploader={false} />
        </li>
      ))}
    </ol>
  );
}
