import { Link } from "@remix-run/react";
import { DateText } from "~/components/format";
import type { DocumentRow } from "~/modules/documents/documents.server";
import { documentPdfPath } from "~/modules/documents/paths";

/**
 * The documents list's preview pane content (the pane itself, and when it loads, is SplitView's):
 * invoices and credit notes show their PDF inline; other documents their key facts and links.
 */
export function DocumentPreview({ document: shown, typeLabel, lang }: { document: DocumentRow; typeLabel: (row: DocumentRow) => string; lang: "en" | "de" }) {
  const de = lang === "de";
  const pdf = documentPdfPath(shown.type, shown.id);
  const isInvoice = shown.type === "invoice" || shown.type === "credit_note";
  return (
    <>
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
    </>
  );
}
