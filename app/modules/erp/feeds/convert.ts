import type { FieldKind } from "../schemas/fields";

/**
 * Text from a CSV cell (or a value from a SQL row) into the JSON value the entity schema takes,
 * reading numbers and dates the way the mapping says ("1.234,56" and "31.12.2026" in German files).
 * Only the form is converted here; the schema then checks the value (scale, calendar, ranges).
 */

export type NumberFormat = "en" | "de";
export type DateFormat = "YYYY-MM-DD" | "DD.MM.YYYY" | "DD/MM/YYYY" | "MM/DD/YYYY";

export interface ConvertOptions {
  numberFormat: NumberFormat;
  dateFormat: DateFormat;
  /** Offset for date-times written without one ("Z", "+01:00"). */
  timeZoneOffset: string;
}

export type Converted = { ok: true; value: unknown } | { ok: false; message: string };

const NUMBER: Record<NumberFormat, { grouped: RegExp; plain: RegExp; group: string; decimal: string; example: string }> = {
  de: { grouped: /^-?\d{1,3}(\.\d{3})+(,\d+)?$/, plain: /^-?\d+(,\d+)?$/, group: ".", decimal: ",", example: "1.234,56" },
  en: { grouped: /^-?\d{1,3}(,\d{3})+(\.\d+)?$/, plain: /^-?\d+(\.\d+)?$/, group: ",", decimal: ".", example: "1,234.56" },
};

function readNumber(text: string, format: NumberFormat): string | null {
  const f = NUMBER[format];
  const compact = text.replace(/\s/g, "").replace(/^\+/, "");
  if (!f.grouped.test(compact) && !f.plain.test(compact)) return null;
  return compact.split(f.group).join("").replace(f.decimal, ".");
}

const DATE_PATTERNS: Record<DateFormat, { re: RegExp; order: [number, number, number] }> = {
  "YYYY-MM-DD": { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: [1, 2, 3] },
  "DD.MM.YYYY": { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
  "DD/MM/YYYY": { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  "MM/DD/YYYY": { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
};

function readDate(text: string, format: DateFormat): string | null {
  const p = DATE_PATTERNS[format];
  const m = p.re.exec(text);
  if (!m) return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null; // ISO is always understood
  const [y, mo, d] = p.order.map((i) => m[i]);
  return `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
}

function readDateTime(text: string, options: ConvertOptions): string | null {
  const iso = text.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return iso;
  // Postgres writes offsets as +01 or +0530.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?[+-]\d{2}(\d{2})?$/.test(iso)) {
    const date = new Date(iso.replace(/([+-]\d{2})(\d{2})?$/, (_, h: string, m?: string) => `${h}:${m ?? "00"}`));
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  const m = /^(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  const date = m ? readDate(m[1], options.dateFormat) : readDate(text, options.dateFormat);
  if (!date) return null;
  const time = m ? `${m[2].padStart(2, "0")}:${m[3]}:${m[4] ?? "00"}` : "00:00:00";
  return `${date}T${time}${options.timeZoneOffset}`;
}

const TRUE = new Set(["true", "1", "yes", "y", "ja", "j", "x", "wahr"]);
const FALSE = new Set(["false", "0", "no", "n", "nein", "falsch"]);

/** Converts one cell; an empty cell is absent (the schema's default or "is required" applies). */
export function convertText(text: string, kind: FieldKind, options: ConvertOptions): Converted {
  const value = text.trim();
  if (value === "") return { ok: true, value: undefined };
  switch (kind) {
    case "integer": {
      const n = readNumber(value, options.numberFormat);
      if (n === null || !/^-?\d+$/.test(n)) return { ok: false, message: `"${value}" is not a whole number` };
      return { ok: true, value: Number(n) };
    }
    case "decimal": {
      const n = readNumber(value, options.numberFormat);
      if (n === null) return { ok: false, message: `"${value}" is not a number in the form ${NUMBER[options.numberFormat].example}` };
      return { ok: true, value: n };
    }
    case "date": {
      const d = readDate(value, options.dateFormat);
      return d ? { ok: true, value: d } : { ok: false, message: `"${value}" is not a date in the form ${options.dateFormat}` };
    }
    case "datetime": {
      const d = readDateTime(value, options);
      return d ? { ok: true, value: d } : { ok: false, message: `"${value}" is not a date and time (${options.dateFormat} HH:MM, or ISO 8601)` };
    }
    case "boolean": {
      const lower = value.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, message: `"${value}" is not yes or no (true/false, 1/0, ja/nein)` };
    }
    case "list":
      return { ok: true, value: value.split("|").map((v) => v.trim()).filter(Boolean) };
    case "json":
      try {
        return { ok: true, value: JSON.parse(value) };
      } catch (error) {
        return { ok: false, message: `is not valid JSON (${(error as Error).message})` };
      }
    default:
      return { ok: true, value };
  }
}

/** A value from a SQL driver: numbers and dates come typed; text goes through convertText. */
export function convertSqlValue(value: unknown, kind: FieldKind, options: ConvertOptions): Converted {
  if (value === null || value === undefined) return { ok: true, value: undefined };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, message: "is not a valid date" };
    return { ok: true, value: kind === "date" ? value.toISOString().slice(0, 10) : value.toISOString() };
  }
  if (typeof value === "bigint") return { ok: true, value: kind === "decimal" ? value.toString() : Number(value) };
  if (typeof value === "number") {
    if (kind === "decimal") return { ok: true, value: String(value) };
    if (kind === "text" || kind === "enum") return { ok: true, value: String(value) };
    if (kind === "boolean") return { ok: true, value: value !== 0 };
    return { ok: true, value };
  }
  if (typeof value === "boolean") return { ok: true, value };
  if (Buffer.isBuffer(value)) return convertText(value.toString("utf8"), kind, options);
  if (kind === "json" && typeof value === "object") return { ok: true, value };
  if (Array.isArray(value)) return { ok: true, value: value.map(String) };
  return convertText(String(value), kind, { ...options, numberFormat: "en", dateFormat: "YYYY-MM-DD" });
}
