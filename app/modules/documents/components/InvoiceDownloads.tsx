import { useEffect, useState } from "react";
import type { EInvoiceFormat } from "~/modules/einvoice/model";
import { describeRefusal } from "../einvoice-reasons";

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

// A rule broken on several lines reads once in German (the catalog text names no line).
const reasonText = (lang: "en" | "de", f: FormatOption) => [...new Set(f.reasons.map((r) => describeRefusal(lang, r)))].join(" ");

/** Unavailable formats that fail for the same reasons, together: the reason is said once. */
function groupByReasons(lang: "en" | "de", formats: FormatOption[]): FormatOption[][] {
  const groups = new Map<string, FormatOption[]>();
  for (const f of formats) groups.set(reasonText(lang, f), [...(groups.get(reasonText(lang, f)) ?? []), f]);
  return [...groups.values()];
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
      {options === null ? (
        <p className="muted" style={{ padding: "0 10px" }} role="status">
          {de ? "Formate werden geprüft…" : "Checking the formats…"}
        </p>
      ) : null}
      <ul style={{ listStyle: "none", padding: "0 10px", display: "grid", gap: 6 }}>
        <li style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
          {ordered
            .filter((f) => f.available)
            .map((f) => (
              <a
                key={f.format}
                className={f.format === preferred ? "button primary" : "button"}
                href={`/invoices/${invoiceId}/einvoice/${f.format}`}
                download
                data-testid={`einvoice-${f.format}`}
                title={f.format === preferred ? (de ? "Ihr Format" : "Your format") : undefined}
              >
                {f.label}
                {f.format === preferred ? (de ? " (Ihr Format)" : " (your format)") : ""}
              </a>
            ))}
        </li>
        {groupByReasons(lang, ordered.filter((f) => !f.available)).map((group) => (
          <li key={group[0].format} data-format={group.map((f) => f.format).join(" ")}>
            {group.map((f) => (
              <span key={f.format}>
                <button type="button" disabled aria-describedby={`why-${group[0].format}`} data-testid={`einvoice-${f.format}`} style={{ opacity: 0.55, cursor: "not-allowed" }}>
                  {f.label}
                  {f.format === preferred ? (de ? " (Ihr Format)" : " (your format)") : ""}
                </button>{" "}
              </span>
            ))}
            <span id={`why-${group[0].format}`} className="muted" data-testid={`einvoice-${group[0].format}-reason`} style={{ display: "block", marginTop: 3 }}>
              {de ? "Nicht möglich: " : "Not available: "}
              {reasonText(lang, group[0])}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
