import { useEffect, useState } from "react";
import type { EInvoiceFormat } from "~/modules/einvoice/model";

/**
 * The download panel of the invoice page: view or save the PDF, and the e-invoice formats. A
 * format the invoice's data cannot satisfy is shown disabled with the rules that stop it, so the
 * contact sees why (and can tell the supplier what to fix).
 */

export interface FormatOption {
  format: EInvoiceFormat;
  label: string;
  available: boolean;
  reasons: { rule: string; term: string; message: string }[];
}

export interface DownloadOptions {
  formats: FormatOption[];
  preferred: EInvoiceFormat;
}

/**
 * `initial` comes from the server loader on a server render; a page served from the browser replica
 * has none, so the panel asks /invoices/:id/formats itself.
 */
export function InvoiceDownloads({ invoiceId, initial, lang }: { invoiceId: string; initial?: DownloadOptions | null; lang: "en" | "de" }) {
  const [options, setOptions] = useState<DownloadOptions | null>(initial ?? null);
  useEffect(() => {
    if (initial) return setOptions(initial);
    let live = true;
    fetch(`/invoices/${invoiceId}/formats`, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? (r.json() as Promise<DownloadOptions>) : null))
      .then((body) => live && body && setOptions(body))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [invoiceId, initial]);
  const de = lang === "de";
  const formats = options?.formats ?? [];
  const preferred = options?.preferred ?? "zugferd-en16931";
  const ordered = [...formats].sort((a, b) => Number(b.format === preferred) - Number(a.format === preferred));
  return (
    <section className="panel" data-testid="invoice-downloads">
      <h2>{de ? "Dokumente" : "Documents"}</h2>
      <p style={{ display: "flex", gap: 8, flexWrap: "wrap", padding: "0 10px" }}>
        <a className="button" href={`/invoices/${invoiceId}/pdf`} target="_blank" rel="noreferrer" data-testid="pdf-view">
          {de ? "PDF ansehen" : "View PDF"}
        </a>
        <a className="button" href={`/invoices/${invoiceId}/pdf?download=1`} download data-testid="pdf-download">
          {de ? "PDF herunterladen" : "Download PDF"}
        </a>
      </p>
      <h3 style={{ padding: "0 10px" }}>{de ? "E-Rechnung" : "E-invoice"}</h3>
      <ul style={{ listStyle: "none", padding: "0 10px", display: "grid", gap: 6 }}>
        {ordered.map((f) => (
          <li key={f.format} data-format={f.format}>
            {f.available ? (
              <a className={f.format === preferred ? "button primary" : "button"} href={`/invoices/${invoiceId}/einvoice/${f.format}`} download data-testid={`einvoice-${f.format}`}>
                {f.label}
              </a>
            ) : (
              <>
                <button type="button" disabled aria-describedby={`why-${f.format}`} data-testid={`einvoice-${f.format}`} style={{ opacity: 0.55, cursor: "not-allowed" }}>
                  {f.label}
                </button>{" "}
                <span id={`why-${f.format}`} className="muted" data-testid={`einvoice-${f.format}-reason`}>
                  {de ? "Nicht möglich: " : "Not available: "}
                  {f.reasons.map((r) => `[${r.rule}] ${r.term} — ${r.message}`).join(" ")}
                </span>
              </>
            )}
            {f.format === preferred ? <span className="muted">{de ? " (Ihr Format)" : " (your format)"}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
