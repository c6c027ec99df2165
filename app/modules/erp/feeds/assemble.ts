import type { FieldError } from "../entities/types";
import type { RawRecord } from "../ingest/ingest.server";
import type { FlatField } from "./fields";

/**
 * Flat rows (a CSV line, a SQL row) into records. For entities with lines, consecutive rows with the
 * same erpId are one record, one line per row (header cells may repeat, or stay empty after the first
 * row); a record is handed on only when it is complete, so a batch never holds half a record.
 */

export interface FlatCell {
  field: FlatField;
  value: unknown;
  /** Where the value came from, for reasons: a column name. */
  source: string;
}

export interface FlatRow {
  cells: FlatCell[];
  errors: { field: FlatField | null; source: string; message: string }[];
  /** CSV line or SQL row number. */
  line: number;
  raw: string;
}

interface Group {
  erpId: string | null;
  header: Record<string, unknown>;
  headerFrom: Map<string, number>;
  items: Record<string, unknown>[];
  errors: FieldError[];
  line: number;
  raws: string[];
}

export class RecordAssembler {
  private current: Group | null = null;

  constructor(
    private readonly rowCollection: string | null,
    private readonly where: "line" | "row" = "line",
  ) {}

  /** Adds a row; returns the record it completed, if any. */
  push(row: FlatRow): RawRecord | null {
    const erpIdCell = row.cells.find((c) => c.field.path === "erpId" && c.value !== undefined);
    const erpId = erpIdCell ? String(erpIdCell.value) : null;
    let done: RawRecord | null = null;
    const continues = this.rowCollection && this.current && (erpId === null || erpId === this.current.erpId);
    if (!continues) {
      done = this.flush();
      this.current = { erpId, header: {}, headerFrom: new Map(), items: [], errors: [], line: row.line, raws: [] };
    }
    this.addRow(this.current!, row);
    if (!this.rowCollection) done = this.flush();
    return done;
  }

  /** Marks the record being built as broken (a row of it could not be read); false when none is open. */
  poison(message: string, raw: string): boolean {
    if (!this.current) return false;
    this.current.errors.push({ path: "record", message });
    this.current.raws.push(raw.replace(/\r?\n$/, ""));
    return true;
  }

  /** The record being built, complete at the end of the input. */
  flush(): RawRecord | null {
    const group = this.current;
    this.current = null;
    if (!group) return null;
    const value: Record<string, unknown> = { ...group.header };
    if (this.rowCollection) value[this.rowCollection] = group.items;
    return { value, raw: group.raws.join("\n"), line: group.line, preErrors: group.errors.length > 0 ? group.errors : undefined };
  }

  private addRow(group: Group, row: FlatRow): void {
    group.raws.push(row.raw.replace(/\r?\n$/, ""));
    const at = (source: string) => `(${source ? `column "${source}", ` : ""}${this.where} ${row.line})`;
    const item: Record<string, unknown> = {};
    const itemIndex = group.items.length;
    for (const cell of row.cells) {
      if (cell.value === undefined) continue;
      if (cell.field.inRow) {
        item[cell.field.path.slice(cell.field.path.indexOf(".") + 1)] = cell.value;
        continue;
      }
      const path = cell.field.path;
      if (!(path in group.header)) {
        group.header[path] = cell.value;
        group.headerFrom.set(path, row.line);
      } else if (JSON.stringify(group.header[path]) !== JSON.stringify(cell.value)) {
        group.errors.push({
          path,
          message: `differs between the rows of this record (${JSON.stringify(group.header[path])} on ${this.where} ${group.headerFrom.get(path)}, ${JSON.stringify(cell.value)} ${at(cell.source)})`,
        });
      }
    }
    for (const error of row.errors) {
      const path = !error.field ? "record" : error.field.inRow ? `${this.rowCollection}.${itemIndex}.${error.field.path.split(".")[1]}` : error.field.path;
      group.errors.push({ path, message: `${error.message} ${at(error.source)}` });
    }
    if (this.rowCollection && (Object.keys(item).length > 0 || row.errors.some((e) => e.field?.inRow))) group.items.push(item);
  }
}
