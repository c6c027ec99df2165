import { useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { useVirtualizer } from "@tanstack/react-virtual";
import { stringify } from "csv-stringify/browser/esm/sync";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { ViewPreference } from "~/modules/preferences/schemas";
import { useRootData } from "~/root";
import { useReadOnlyNote } from "./form";

export interface Column<T> {
  id: string;
  label: string;
  /** Initial width in px; the contact can drag it wider or narrower (kept in their preferences). */
  width?: number;
  align?: "left" | "right";
  /** Makes the column sortable. */
  sortValue?: (row: T) => string | number | null;
  render: (row: T) => ReactNode;
  /** Plain text for the CSV export; columns without it are left out. */
  text?: (row: T) => string;
}

export interface DataTableProps<T> {
  /** The list's name: preferences are stored as view.<id>, the CSV file is <id>.csv. */
  id: string;
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  /** Where Enter or a double click goes (null: the row has no page of its own). */
  rowHref?: (row: T) => string | null | undefined;
  defaultSort?: string;
  preference?: ViewPreference;
  selectable?: boolean;
  bulkActions?: (selected: T[]) => ReactNode;
  /** Tells the page which rows are selected (e.g. for a bulk form outside the table). */
  onSelectionChange?: (selected: T[]) => void;
  /** The name of the row checkboxes (they belong to no form; the page submits the selection). */
  selectName?: string;
  /**
   * Lists with at most this many rows render every row (no virtualization): short lists stay
   * fully in the DOM for find-in-page, screen readers and the e2e specs that compare every row
   * with Postgres. Longer lists render only the visible rows. Default 300.
   */
  virtualizeAbove?: number;
  /** Tells a preview pane which row has the keyboard focus. */
  onActiveChange?: (row: T | null) => void;
  /**
   * The bar's "Export CSV" (the rows as shown, or the selection), on by default. Off where the page
   * has its own export (invoices and documents: the bulk-download bar's server-side, audited CSV).
   */
  csvExport?: boolean;
  emptyText: string;
  /**
   * The list query's row limit (LIST_LIMIT): a list this long was cut there, and the bar says that
   * more records match instead of passing the first ones off as all of them.
   */
  limit?: number;
  autoFocus?: boolean;
  lang: "en" | "de";
}

/** What the bar says when the list query hit its row limit (null: the list is complete). */
export function cappedNotice(lang: "en" | "de", rowCount: number, limit: number | undefined): string | null {
  if (limit === undefined || rowCount < limit) return null;
  return lang === "de"
    ? `die ersten ${limit} Treffer – es gibt mehr: Suche oder Filter eingrenzen`
    : `the first ${limit} matches – more exist: narrow the search or filters`;
}

const ROW_HEIGHT = 29;
export const VIRTUALIZE_ABOVE = 300;

function savePreference(id: string, value: ViewPreference, readOnly: boolean) {
  // Staff viewing as the contact (decision 038): the sort and widths hold in the page, the contact's own stay theirs.
  if (readOnly) return;
  void fetch("/preferences", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "view", key: `view.${id}`, value }),
  }).catch(() => undefined);
}

/**
 * A dense, virtualized, keyboard-first table: j/k or arrows move, Enter opens, x selects, Esc
 * clears; headers sort (kept in the URL) and resize (kept per contact); CSV export of the
 * selection or the whole list.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { id, rows, columns, rowKey, rowHref, selectable, bulkActions, onActiveChange, onSelectionChange, lang } = props;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const scroller = useRef<HTMLDivElement>(null);
  const [widths, setWidths] = useState<Record<string, number>>(props.preference?.widths ?? {});
  const readOnly = useReadOnlyNote() !== null;
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const de = lang === "de";

  const sort = params.get("sort") ?? props.preference?.sort ?? props.defaultSort ?? "";
  const [sortColumn, sortDirection] = sort.split(":") as [string, "asc" | "desc" | undefined];
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sortColumn && c.sortValue);
    if (!column?.sortValue) return rows;
    const value = column.sortValue;
    const factor = sortDirection === "desc" ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * factor;
    });
  }, [rows, columns, sortColumn, sortDirection]);

  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 600 },
  });

  useEffect(() => {
    if (active >= sorted.length) setActive(Math.max(0, sorted.length - 1));
  }, [sorted.length, active]);

  useEffect(() => {
    onActiveChange?.(sorted[active] ?? null);
  }, [active, sorted, onActiveChange]);

  const selectedRows = sorted.filter((row) => selected.has(rowKey(row)));
  // Reported only when the selection itself changes (the page's column and key functions may be
  // new on every render).
  const latestSelection = useRef(selectedRows);
  latestSelection.current = selectedRows;
  const reportSelection = useRef(onSelectionChange);
  reportSelection.current = onSelectionChange;
  useEffect(() => {
    reportSelection.current?.(latestSelection.current);
  }, [selected]);

  // On arrival, and after each search or filter (the URL's query changes), the table takes the
  // keyboard focus so j/k and Enter work at once.
  const search = useLocation().search;
  useEffect(() => {
    if (props.autoFocus) scroller.current?.focus({ preventScroll: true });
  }, [props.autoFocus, search]);

  const changeSort = (column: Column<T>) => {
    if (!column.sortValue) return;
    const next = `${column.id}:${sortColumn === column.id && sortDirection === "asc" ? "desc" : "asc"}`;
    const nextParams = new URLSearchParams(params);
    nextParams.set("sort", next);
    setParams(nextParams, { replace: true, preventScrollReset: true });
    savePreference(id, { ...props.preference, widths, sort: next }, readOnly);
  };

  const startResize = (column: Column<T>, startX: number, startWidth: number) => {
    let latest = startWidth;
    const move = (event: PointerEvent) => {
      latest = Math.max(40, Math.min(1200, Math.round(startWidth + event.clientX - startX)));
      setWidths((w) => ({ ...w, [column.id]: latest }));
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      setWidths((w) => {
        const next = { ...w, [column.id]: latest };
        savePreference(id, { ...props.preference, sort: sort || undefined, widths: next }, readOnly);
        return next;
      });
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  };

  const toggle = useCallback(
    (row: T) =>
      setSelected((current) => {
        const next = new Set(current);
        const key = rowKey(row);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [rowKey],
  );

  const virtualized = sorted.length > (props.virtualizeAbove ?? VIRTUALIZE_ABOVE);
  const open = (row: T | undefined) => {
    const href = row && rowHref?.(row);
    if (href) navigate(href);
  };

  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(sorted.length - 1, index));
    setActive(clamped);
    if (virtualized) virtualizer.scrollToIndex(clamped, { align: "auto" });
    else if (sorted[clamped]) document.getElementById(`${id}-row-${rowKey(sorted[clamped])}`)?.scrollIntoView({ block: "nearest" });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.metaKey || event.ctrlKey || event.altKey) return;
    const row = sorted[active];
    const keys: Record<string, () => void> = {
      j: () => moveTo(active + 1),
      ArrowDown: () => moveTo(active + 1),
      k: () => moveTo(active - 1),
      ArrowUp: () => moveTo(active - 1),
      PageDown: () => moveTo(active + 15),
      PageUp: () => moveTo(active - 15),
      Home: () => moveTo(0),
      End: () => moveTo(sorted.length - 1),
      Enter: () => open(row),
      x: () => selectable && row && toggle(row),
      " ": () => selectable && row && toggle(row),
      Escape: () => setSelected(new Set()),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  const exportCsv = (subset: readonly T[]) => {
    const exported = columns.filter((c) => c.text);
    const csv = stringify([exported.map((c) => c.label), ...subset.map((row) => exported.map((c) => c.text!(row)))], { bom: true });
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${id}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const items = virtualized ? virtualizer.getVirtualItems() : sorted.map((_, index) => ({ index, start: index * ROW_HEIGHT, end: (index + 1) * ROW_HEIGHT }));
  const paddingTop = virtualized ? (items[0]?.start ?? 0) : 0;
  const paddingBottom = virtualized ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const template = columns.map((c) => widths[c.id] ?? c.width ?? 120);
  const totalWidth = template.reduce((a, b) => a + b, 0) + (selectable ? 32 : 0);

  const capped = cappedNotice(lang, props.rows.length, props.limit);
  return (
    <div className="datatable">
      <div className="datatable-bar">
        <span className="muted" aria-live="polite">
          {selected.size > 0 ? `${selected.size} ${de ? "ausgewählt" : "selected"} · ` : ""}
          {sorted.length} {de ? "Zeilen" : "rows"}
        </span>
        {capped ? (
          <span className="datatable-capped" data-testid="list-capped">
            {capped}
          </span>
        ) : null}
        {selected.size > 0 && bulkActions ? bulkActions(selectedRows) : null}
        {props.csvExport === false ? null : (
          <button type="button" onClick={() => exportCsv(selected.size > 0 ? selectedRows : sorted)}>
            {de ? "CSV exportieren" : "Export CSV"}
          </button>
        )}
        <span className="muted datatable-keys">j/k · Enter · {selectable ? "x · " : ""}Esc</span>
      </div>
      <div
        ref={scroller}
        className="datatable-scroll"
        tabIndex={0}
        role="grid"
        aria-label={props.label}
        aria-rowcount={sorted.length + 1}
        aria-multiselectable={selectable || undefined}
        aria-activedescendant={sorted[active] ? `${id}-row-${rowKey(sorted[active])}` : undefined}
        onKeyDown={onKeyDown}
        data-testid={`${id}-table`}
      >
        {/* At least as wide as its box: a spacer column after the data takes the rest, so the rows,
            their highlight and the select column reach the right edge while every column keeps its
            (resizable) width. */}
        <table className="grid" role="presentation" style={{ width: totalWidth, minWidth: "100%", tableLayout: "fixed" }}>
          <colgroup>
            {template.map((width, index) => (
              <col key={columns[index].id} style={{ width }} />
            ))}
            <col className="spacer-col" />
            {selectable ? <col style={{ width: 32 }} /> : null}
          </colgroup>
          <thead role="rowgroup">
            <tr role="row" aria-rowindex={1}>
              {columns.map((column) => (
                <th
                  key={column.id}
                  role="columnheader"
                  className={column.align === "right" ? "num" : undefined}
                  aria-sort={sortColumn === column.id ? (sortDirection === "desc" ? "descending" : "ascending") : undefined}
                >
                  {column.sortValue ? (
                    <button type="button" className="th-sort" onClick={() => changeSort(column)}>
                      {column.label}
                      {sortColumn === column.id ? (sortDirection === "desc" ? " ▼" : " ▲") : ""}
                    </button>
                  ) : (
                    column.label
                  )}
                  <span
                    className="th-resize"
                    aria-hidden="true"
                    onPointerDown={(e) => {
                      e.preventDefault();
                      startResize(column, e.clientX, widths[column.id] ?? column.width ?? 120);
                    }}
                  />
                </th>
              ))}
              <th aria-hidden="true" className="spacer-cell" />
              {selectable ? (
                <th role="columnheader">
                  <input
                    type="checkbox"
                    aria-label={de ? "Alle auswählen" : "Select all"}
                    checked={selected.size > 0 && selected.size === sorted.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(sorted.map(rowKey)) : new Set())}
                  />
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody role="rowgroup">
            {paddingTop > 0 ? (
              <tr aria-hidden="true">
                <td style={{ height: paddingTop, padding: 0, border: 0 }} colSpan={columns.length + 2} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = sorted[item.index];
              const key = rowKey(row);
              return (
                <tr
                  key={key}
                  id={`${id}-row-${key}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selectable ? selected.has(key) : item.index === active}
                  className={item.index === active ? "active" : undefined}
                  onClick={() => setActive(item.index)}
                  onDoubleClick={() => open(row)}
                >
                  {columns.map((column) => (
                    // The plain text as a tooltip: a cell cut short by its column width can still be read.
                    <td key={column.id} role="gridcell" className={column.align === "right" ? "num" : undefined} title={column.text?.(row) || undefined}>
                      {column.render(row)}
                    </td>
                  ))}
                  <td aria-hidden="true" className="spacer-cell" />
                  {selectable ? (
                    <td role="gridcell">
                      <input
                        type="checkbox"
                        name={props.selectName}
                        value={key}
                        aria-label={`${de ? "Auswählen" : "Select"} ${columns[0]?.text?.(row) ?? ""}`.trim()}
                        checked={selected.has(key)}
                        onChange={() => toggle(row)}
                      />
                    </td>
                  ) : null}
                </tr>
              );
            })}
            {paddingBottom > 0 ? (
              <tr aria-hidden="true">
                <td style={{ height: paddingBottom, padding: 0, border: 0 }} colSpan={columns.length + 2} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {sorted.length === 0 ? <p className="muted" style={{ padding: 10 }}>{props.emptyText}</p> : null}
    </div>
  );
}

/** The signed-in contact's saved view (column widths, sort) for the list `id`. */
export function useViewPreference(id: string): ViewPreference | undefined {
  return useRootData()?.preferences[`view.${id}`] as ViewPreference | undefined;
}
