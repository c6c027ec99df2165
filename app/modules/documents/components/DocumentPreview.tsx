import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { DateText } from "~/components/format";
import type { DocumentRow } from "~/modules/documents/documents.server";
import { documentPdfPath } from "~/modules/documents/paths";

/**
 * The preview pane of the documents list: the row with the keyboard focus, after it has kept the
 * focus for a moment (moving with j/k does not load, and audit, a PDF per row passed). Invoices and
 * credit notes show their PDF inline; other documents their key facts and links.
 */
export function DocumentPreview({ document: row, typeLabel, lang }: { document: DocumentRow | null; typeLabel: (row: DocumentRow) => string; lang: "en" | "de" }) {
  const [shown, setShown] = useState<DocumentRow | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setShown(row), 350);
    return () => clearTimeout(timer);
  }, [row]);
  const de = lang === "de";
  if (!shown) {
    return (
      <aside className="preview" aria-label={de ? "Vorschau" : "Preview"} data-testid="document-preview">
        <p className="muted">{de ? "Wählen Sie ein Dokument (j/k)." : "Pick a document (j/k)."}</p>
      </aside>
    );
  }
  const pdf = documentPdfPath(shown.type, shown.id);
  const isInvoice = shown.type === "invoice" || shown.type === "credit_note";
  return (
    <aside className="preview" aria-label={de ? "Vorschau" : "Preview"} data-testid="document-preview">
      <h2 style={{ marginTop: 0 }}>
        {typeLabel(shown)} {shown.number}
      </h2>
      <dl className="facts">
        <dt>{de ? "Datum" : "Date"}</dt>
        <dd>
          <DateText value={shown.issueDate} />
        </dd>
        <dt>{de ? "Auftrag" : "Order"}</dt>
        <dd>{shown.orderId ? <Link to={`/orders/${shown.orderId}`}>{shown.orderNumber}</Link> : "–"}</dd>
      </dl>
      <p>
        {isInvoice ? <Link to={`/invoices/${shown.id}`}>{de ? "Öffnen" : "Open"}</Link> : null}
        {isInvoice && pdf ? " · " : null}
        {pdf ? (
          <a href={pdf} target="_blank" rel="noreferrer">
            PDF
          </a>
        ) : null}
      </p>
      {isInvoice && pdf ? (
        <iframe key={shown.id} title={`PDF ${shown.number}`} src={pdf} style={{ width: "100%", height: "70vh", border: "1px solid var(--line)" }} />
      ) : null}
    </aside>
  );
}
