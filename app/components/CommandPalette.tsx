import { useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { codeLabel, formatDate, formatMoney, type Language } from "~/i18n/i18n";
import { getActiveReplica } from "~/replica/active-replica.client";
import type { DocumentType, SearchResult } from "../../electric/replica/search";
import { resultHref } from "./search-links";

const TYPE_LABEL: Record<Language, Record<DocumentType, string>> = {
  en: {
    order: "Order", invoice: "Invoice", credit_note: "Credit note", shipment: "Shipment", delivery_note: "Delivery note",
    order_confirmation: "Confirmation", quote: "Quote", file: "File", return_request: "Return", support_ticket: "Ticket",
  },
  de: {
    order: "Auftrag", invoice: "Rechnung", credit_note: "Gutschrift", shipment: "Lieferung", delivery_note: "Lieferschein",
    order_confirmation: "Bestätigung", quote: "Angebot", file: "Datei", return_request: "Retoure", support_ticket: "Ticket",
  },
};

/** A ticket's subtitle is its category code (the search index keeps codes; people read words). */
function subtitleOf(lang: Language, r: SearchResult): string | null | undefined {
  return r.type === "support_ticket" ? codeLabel(lang, "support.category", r.subtitle) : r.subtitle;
}

const FILTERS: { label: Record<Language, string>; types?: DocumentType[] }[] = [
  { label: { en: "All", de: "Alle" } },
  { label: { en: "Orders", de: "Aufträge" }, types: ["order", "order_confirmation"] },
  { label: { en: "Invoices", de: "Rechnungen" }, types: ["invoice", "credit_note"] },
  { label: { en: "Shipments", de: "Lieferungen" }, types: ["shipment", "delivery_note"] },
  { label: { en: "Quotes", de: "Angebote" }, types: ["quote"] },
];

interface Filters {
  dateFrom: string;
  dateTo: string;
  status: string;
  locationId: string;
  costCenterId: string;
}

const NO_FILTERS: Filters = { dateFrom: "", dateTo: "", status: "", locationId: "", costCenterId: "" };
const STATUSES = ["open", "confirmed", "partially_shipped", "shipped", "in_transit", "delivered", "partially_paid", "paid", "cancelled", "sent", "accepted"];

async function runSearch(
  query: string,
  types: DocumentType[] | undefined,
  filters: Filters,
  signal: AbortSignal,
): Promise<{ results: SearchResult[]; source: "replica" | "server" }> {
  const replica = getActiveReplica();
  if (replica?.status()?.searchReady) {
    try {
      const results = await replica.search(query, {
        types,
        limit: 20,
        dateFrom: filters.dateFrom || undefined,
        dateTo: filters.dateTo || undefined,
        status: filters.status || undefined,
        locationId: filters.locationId || undefined,
        costCenterId: filters.costCenterId || undefined,
      });
      return { results, source: "replica" };
    } catch {
      // fall through to the server
    }
  }
  const params = new URLSearchParams({ q: query, limit: "20" });
  for (const type of types ?? []) params.append("type", type);
  const serverNames: Record<keyof Filters, string> = { dateFrom: "from", dateTo: "to", status: "status", locationId: "location", costCenterId: "costCenter" };
  for (const [key, name] of Object.entries(serverNames)) {
    const value = filters[key as keyof Filters];
    if (value) params.set(name, value);
  }
  const response = await fetch(`/search?${params}`, { signal, headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`search failed: ${response.status}`);
  return { results: ((await response.json()) as { results: SearchResult[] }).results, source: "server" };
}

/** Ctrl/Cmd+K or "/" opens it; results as you type; arrows move; Enter opens; Esc closes. */
export function CommandPalette({ lang }: { lang: Language }) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState(0);
  const [results, setResults] = useState<SearchResult[]>([]);
  const [source, setSource] = useState<"replica" | "server" | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [places, setPlaces] = useState<{ locations: { id: string; name: string }[]; costCenters: { id: string; name: string }[] }>({
    locations: [],
    costCenters: [],
  });
  const input = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      if ((event.key === "k" && (event.metaKey || event.ctrlKey)) || (event.key === "/" && !typing)) {
        event.preventDefault();
        setOpen(true);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (!open) return;
    input.current?.focus();
    const replica = getActiveReplica();
    if (!replica?.status()?.searchReady) return;
    Promise.all([
      replica.query("rows.list", { shape: "locations", orderBy: "name", limit: 200 }),
      replica.query("rows.list", { shape: "cost_centers", orderBy: "name", limit: 200 }),
    ])
      .then(([locations, costCenters]) =>
        setPlaces({
          locations: locations.map((l) => ({ id: l.id ?? "", name: l.name ?? "" })),
          costCenters: costCenters.map((c) => ({ id: c.id ?? "", name: `${c.code ?? ""} ${c.name ?? ""}`.trim() })),
        }),
      )
      .catch(() => undefined);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    runSearch(query, FILTERS[filter].types, filters, controller.signal)
      .then(({ results: found, source: from }) => {
        setResults(found);
        setSource(from);
        setSelected(0);
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== "AbortError") setError(e.message);
      });
    return () => controller.abort();
  }, [open, query, filter, filters]);

  const close = useCallback(() => {
    setOpen(false);
    setQuery("");
  }, []);

  const choose = useCallback(
    (result: SearchResult | undefined) => {
      if (!result) return;
      close();
      navigate(resultHref(result));
    },
    [close, navigate],
  );

  if (!open) return null;
  const de = lang === "de";
  return (
    <div className="palette-backdrop" onMouseDown={close} role="presentation">
      <div className="palette" role="dialog" aria-modal="true" aria-label={de ? "Suche" : "Search"} onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          type="search"
          value={query}
          aria-label={de ? "Dokumente suchen" : "Search documents"}
          aria-controls="palette-results"
          aria-activedescendant={results[selected] ? `palette-${results[selected].type}-${results[selected].id}` : undefined}
          placeholder={de ? "Nummer, Bestellnummer, Artikel, Sendungsnummer…" : "Number, PO, SKU, tracking number…"}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") close();
            else if (e.key === "ArrowDown") {
              e.preventDefault();
              setSelected((i) => Math.min(i + 1, results.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setSelected((i) => Math.max(i - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              choose(results[selected]);
            } else if (e.key === "Tab") {
              e.preventDefault();
              setFilter((f) => (f + (e.shiftKey ? FILTERS.length - 1 : 1)) % FILTERS.length);
            }
          }}
        />
        <div className="palette-filters" role="group" aria-label={de ? "Typ" : "Type"}>
          {FILTERS.map((f, index) => (
            <button key={f.label.en} type="button" aria-pressed={index === filter} onClick={() => setFilter(index)}>
              {f.label[lang]}
            </button>
          ))}
          <span className="muted" data-testid="palette-source">
            {source === "replica" ? (de ? "lokal" : "local") : source === "server" ? "server" : ""}
          </span>
        </div>
        <div className="palette-filters">
          <label>
            {de ? "von" : "from"} <input type="date" value={filters.dateFrom} onChange={(e) => setFilters({ ...filters, dateFrom: e.target.value })} />
          </label>
          <label>
            {de ? "bis" : "to"} <input type="date" value={filters.dateTo} onChange={(e) => setFilters({ ...filters, dateTo: e.target.value })} />
          </label>
          <select aria-label="Status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="">{de ? "Status: alle" : "Status: any"}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {codeLabel(lang, "status", s)}
              </option>
            ))}
          </select>
          {places.locations.length > 1 ? (
            <select aria-label={de ? "Standort" : "Location"} value={filters.locationId} onChange={(e) => setFilters({ ...filters, locationId: e.target.value })}>
              <option value="">{de ? "Standort: alle" : "Location: any"}</option>
              {places.locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          ) : null}
          {places.costCenters.length > 0 ? (
            <select aria-label={de ? "Kostenstelle" : "Cost center"} value={filters.costCenterId} onChange={(e) => setFilters({ ...filters, costCenterId: e.target.value })}>
              <option value="">{de ? "Kostenstelle: alle" : "Cost center: any"}</option>
              {places.costCenters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          ) : null}
        </div>
        {error ? <p className="form-error">{error}</p> : null}
        <ul id="palette-results" role="listbox" className="palette-results">
          {results.map((r, index) => (
            <li
              key={`${r.type}-${r.id}`}
              id={`palette-${r.type}-${r.id}`}
              role="option"
              aria-selected={index === selected}
              onMouseEnter={() => setSelected(index)}
              onClick={() => choose(r)}
            >
              <span className="badge">{TYPE_LABEL[lang][r.type]}</span>
              <strong>{r.number}</strong>
              <span className="muted">{[r.title, subtitleOf(lang, r)].filter(Boolean).join(" · ")}</span>
              <span className="spacer" />
              {r.status ? <span className="muted">{codeLabel(lang, "status", r.status)}</span> : null}
              <span className="num">{r.amount && r.currency ? formatMoney(lang, r.amount, r.currency) : ""}</span>
              <span className="muted num">{formatDate(lang, r.date)}</span>
            </li>
          ))}
          {results.length === 0 && query ? <li className="muted">{de ? "Nichts gefunden." : "Nothing found."}</li> : null}
        </ul>
        <div className="palette-help muted">↑↓ {de ? "wählen" : "select"} · Enter {de ? "öffnen" : "open"} · Tab {de ? "Filter" : "filter"} · Esc {de ? "schließen" : "close"}</div>
      </div>
    </div>
  );
}
