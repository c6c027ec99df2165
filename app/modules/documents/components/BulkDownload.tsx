import { useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { EINVOICE_FORMATS, FORMAT_INFO } from "~/modules/einvoice/model";

/**
 * Bulk download for a list: the list's DataTable keeps the selection (also of rows scrolled out
 * of the virtualized window) and passes it here as `selected` ("kind:id" values); the form posts
 * them as hidden `ids` inputs. "Download selected" posts the selected rows, "Download all results" posts
 * the list's search (list, q, state) and the server selects the same rows. The browser saves the
 * streamed ZIP itself (a plain form post: works without JavaScript); with JavaScript the bar polls
 * the job's progress. "CSV" exports the list as shown.
 */

export const BULK_FORM_ID = "bulk-download";

export function BulkDownload({ list, lang, selected, einvoices = true }: { list: "invoices" | "documents"; lang: "en" | "de"; selected: readonly string[]; einvoices?: boolean }) {
  const [params] = useSearchParams();
  const [progress, setProgress] = useState<{ done: number; total: number; finished: boolean } | null>(null);
  const jobRef = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const de = lang === "de";

  useEffect(() => () => clearInterval(timer.current), []);

  function onSubmit() {
    const job = `job-${crypto.randomUUID()}`;
    if (jobRef.current) jobRef.current.value = job;
    setProgress({ done: 0, total: 0, finished: false });
    clearInterval(timer.current);
    timer.current = setInterval(async () => {
      const response = await fetch(`/documents/download?job=${job}`, { headers: { Accept: "application/json" } }).catch(() => null);
      const body = response?.ok ? ((await response.json().catch(() => null)) as { progress?: { done: number; total: number; finished: boolean } | null } | null) : null;
      if (body?.progress) {
        setProgress(body.progress);
        if (body.progress.finished) clearInterval(timer.current);
      }
    }, 500);
  }

  const exportQuery = new URLSearchParams({ list });
  for (const key of ["q", "state"]) if (params.get(key)) exportQuery.set(key, params.get(key)!);
  return (
    // eslint-disable-next-line no-restricted-syntax -- a POST that only reads (decision 038): staff viewing as a contact use it too
    <form id={BULK_FORM_ID} method="post" action="/documents/download" className="toolbar" onSubmit={onSubmit} data-testid="bulk-download">
      <input type="hidden" name="job" ref={jobRef} />
      {selected.map((value) => (
        <input key={value} type="hidden" name="ids" value={value} />
      ))}
      {einvoices ? (
        <>
          <label htmlFor="bulk-include" className="sr-only">
            {de ? "Inhalt" : "Content"}
          </label>
          <select id="bulk-include" name="include" defaultValue="pdf">
            <option value="pdf">PDF</option>
            <option value="einvoice">{de ? "E-Rechnung" : "E-invoice"}</option>
            <option value="both">{de ? "PDF und E-Rechnung" : "PDF and e-invoice"}</option>
          </select>
          <label htmlFor="bulk-format" className="sr-only">
            {de ? "E-Rechnungsformat" : "E-invoice format"}
          </label>
          <select id="bulk-format" name="format" defaultValue="zugferd-en16931">
            {EINVOICE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_INFO[f].label[lang]}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <button type="submit" disabled={selected.length === 0} data-testid="download-selected">
        {de ? `Auswahl als ZIP (${selected.length})` : `Download selected as ZIP (${selected.length})`}
      </button>
      <button type="submit" name="list" value={list} data-testid="download-all">
        {de ? "Alle Ergebnisse als ZIP" : "All results as ZIP"}
      </button>
      {params.get("q") ? <input type="hidden" name="q" value={params.get("q") ?? ""} /> : null}
      {params.get("state") ? <input type="hidden" name="state" value={params.get("state") ?? ""} /> : null}
      <a className="button" href={`/documents/export?${exportQuery}`} data-testid="export-csv">
        CSV
      </a>
      {progress ? (
        <span role="status" data-testid="bulk-progress">
          {progress.finished ? (de ? `Fertig: ${progress.total} Dokumente` : `Done: ${progress.total} documents`) : de ? `Wird erstellt… ${progress.done} / ${progress.total || "?"}` : `Preparing… ${progress.done} / ${progress.total || "?"}`}
        </span>
      ) : null}
    </form>
  );
}
