import { useEffect, useState, type ReactNode } from "react";
import { DataTable, type DataTableProps } from "./DataTable";

export interface SplitViewProps<T> extends Omit<DataTableProps<T>, "onActiveChange"> {
  /** The pane's content for the row with the keyboard focus. */
  preview: (row: T) => ReactNode;
  previewLabel: string;
  /** Shown until a row has kept the focus for a moment. */
  previewEmpty: string;
  previewTestId: string;
}

/** How long a row must keep the focus before the pane loads it. */
const SETTLE_MS = 350;

/**
 * A list with a preview pane beside it (desktop width; below 1100 px the pane hides and the list
 * takes the width): j/k or the arrows move the focus and the pane follows, Enter opens the row's
 * page (DataTable). The pane shows a row once it has kept the focus for a moment, so holding j does
 * not load (and audit) every row passed.
 */
export function SplitView<T>({ preview, previewLabel, previewEmpty, previewTestId, ...table }: SplitViewProps<T>) {
  const [active, setActive] = useState<T | null>(null);
  const [shown, setShown] = useState<T | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setShown(active), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [active]);
  return (
    <div className="split">
      <DataTable {...table} onActiveChange={setActive} />
      <aside className="preview" aria-label={previewLabel} data-testid={previewTestId}>
        {shown ? preview(shown) : <p className="muted">{previewEmpty}</p>}
      </aside>
    </div>
  );
}
