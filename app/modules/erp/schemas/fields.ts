import { z } from "zod";

/**
 * Field types of the ERP entity schemas. Every reason names what is expected, in English (the API,
 * CSV and SQL feeds answer in English). The `x-kind` meta tells the CSV / SQL converters how to read
 * a text value (German "1.234,56" and "31.12.2026" when the mapping says so); it also shows in the
 * OpenAPI document.
 */

/** The reason for a wrong value, or "is required" when there is none. */
const orRequired = (reason: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : reason);

export type FieldKind = "text" | "integer" | "decimal" | "date" | "datetime" | "boolean" | "enum" | "list" | "json";

/** The ERP's own key for a record: unique per entity, what idempotency is keyed by. */
export const erpId = () =>
  z
    .string({ error: orRequired("must be text (the ERP's id of the record)") })
    .trim()
    .min(1, "is required (the ERP's id of the record)")
    .max(100, "is too long (at most 100 characters)")
    .meta({ description: "The ERP's id of the record" });

/** A reference to another record by its ERP id. */
export const erpRef = (what: string) =>
  z
    .string({ error: orRequired(`must be the ERP id of the ${what}`) })
    .trim()
    .min(1, `must be the ERP id of the ${what}`)
    .max(100, "is too long (at most 100 characters)")
    .meta({ description: `ERP id of the ${what}` });

export const optionalRef = (what: string) =>
  erpRef(what)
    .nullish()
    .transform((v) => v ?? null);

export const erpVersion = () =>
  z
    .number({ error: "must be a whole number (the record's version in the ERP)" })
    .int("must be a whole number (the record's version in the ERP)")
    .min(0, "must not be negative")
    .max(Number.MAX_SAFE_INTEGER, "is too large")
    .meta({ description: "The record's version in the ERP; a higher version replaces a lower one" });

export const erpUpdatedAt = () =>
  dateTime().meta({
    description: "When the ERP last changed the record; used as the version (milliseconds since 1970) when erpVersion is absent",
  });

export const text = (max: number) =>
  z
    .string({ error: orRequired("must be text") })
    .trim()
    .min(1, "is required")
    .max(max, `is too long (at most ${max} characters)`);

/** Optional text: absent, null and "" are stored empty. */
export const optionalText = (max: number) =>
  z
    .string({ error: "must be text" })
    .trim()
    .max(max, `is too long (at most ${max} characters)`)
    .nullish()
    .transform((v) => (v ? v : null));

const DECIMAL_EXAMPLE: Record<number, string> = { 2: "1234.56", 3: "12.5", 4: "19.9900" };

/**
 * An exact decimal, as a JSON number or a string ("1234.56"); stored with `scale` decimals.
 * `digits` is the most digits before the decimal point the column takes.
 */
export function decimal(scale: number, digits: number, options: { min?: number; max?: number; positive?: boolean } = {}) {
  const pattern = new RegExp(`^-?\\d{1,${digits}}(\\.\\d{1,${scale}})?$`);
  const reason = `must be a number with at most ${digits} digits before and ${scale} after the decimal point, like ${DECIMAL_EXAMPLE[scale] ?? "12.34"}`;
  const { min, max, positive } = options;
  const bounded = positive || min !== undefined || max !== undefined;
  // Text first: ERPs, CSV and SQL rows send decimals as text, and a union tries its options in order
  // (each miss allocates an issue). A value matches at most one option, so the order changes no answer.
  return z
    .union([z.string({ error: reason }).trim().regex(pattern, reason), z.number({ error: reason })], { error: orRequired(reason) })
    .transform((value, ctx) => {
      // A string got here only through the union's pattern check (after trim); a number still has to fit it.
      const textValue = typeof value === "string" ? value : numberText(value);
      if (textValue === null || (typeof value !== "string" && !pattern.test(textValue))) {
        ctx.addIssue({ code: "custom", message: reason });
        return z.NEVER;
      }
      const canonical = toFixedScale(textValue, scale);
      if (!bounded) return canonical;
      const n = Number(canonical);
      if (positive && !(n > 0)) ctx.addIssue({ code: "custom", message: "must be greater than 0" });
      else if (min !== undefined && n < min) ctx.addIssue({ code: "custom", message: `must be at least ${min}` });
      else if (max !== undefined && n > max) ctx.addIssue({ code: "custom", message: `must be at most ${max}` });
      return canonical;
    })
    .meta({ "x-kind": "decimal", "x-scale": scale });
}

/** Money: 2 decimals, 12 digits (numeric(14,2)). */
export const money = (options: { min?: number; positive?: boolean } = {}) => decimal(2, 12, options);
/** Quantities: 3 decimals (numeric(14,3)). */
export const quantity = (options: { min?: number; positive?: boolean } = {}) => decimal(3, 11, options);
/** Unit prices: 4 decimals (numeric(14,4)). */
export const unitPrice = () => decimal(4, 10, { min: 0 });
/** Percentages and VAT rates (numeric(5,2)). */
export const percent = () => decimal(2, 3, { min: 0, max: 100 });

function numberText(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const s = String(value);
  return /e/i.test(s) ? null : s;
}

/**
 * "1234.5" → "1234.50", "007" → "7.00" (exact, no floating point). For text that matches a decimal()
 * pattern: digits, at most one ".", at most `scale` decimals. Index arithmetic instead of split and a
 * regular expression: it runs for every decimal of every record (tens of thousands per ERP batch).
 */
export function toFixedScale(value: string, scale: number): string {
  const negative = value.charCodeAt(0) === 45; // "-"
  const dot = value.indexOf(".");
  const wholeEnd = dot < 0 ? value.length : dot;
  let start = negative ? 1 : 0;
  while (start < wholeEnd - 1 && value.charCodeAt(start) === 48) start++; // leading zeros, keeping one digit
  const fraction = dot < 0 ? "" : value.slice(dot + 1);
  const out = `${value.slice(start, wholeEnd)}.${fraction.length >= scale ? fraction : fraction.padEnd(scale, "0")}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}

export const isoDate = () => z.iso.date({ error: orRequired("must be a date in the form YYYY-MM-DD") }).meta({ "x-kind": "date" });

export const optionalDate = () =>
  isoDate()
    .nullish()
    .transform((v) => v ?? null);

export const dateTime = () =>
  z.iso
    .datetime({ offset: true, error: orRequired("must be a date and time with a time zone, like 2026-03-31T14:30:00Z") })
    .meta({ "x-kind": "datetime" });

export const optionalDateTime = () =>
  dateTime()
    .nullish()
    .transform((v) => v ?? null);

export const integer = (min: number, max = 2_147_483_647) =>
  z
    .number({ error: orRequired("must be a whole number") })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const bool = () => z.boolean({ error: orRequired("must be true or false") });

export const currency = () =>
  z
    .string({ error: orRequired("must be an ISO 4217 currency code like EUR") })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code like EUR");

export const countryCode = () =>
  z
    .string({ error: orRequired("must be an ISO 3166 country code like DE") })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code like DE");

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: orRequired(`must be one of ${values.join(", ")}`) });
}

/** UN/ECE Recommendation 20 unit code (C62 piece, MTR, KGM, …). */
export const unitCode = () =>
  z
    .string({ error: "must be a UN/ECE Rec. 20 unit code like C62" })
    .trim()
    .regex(/^[A-Z0-9]{1,3}$/, "must be a UN/ECE Rec. 20 unit code like C62")
    .default("C62");

export const VAT_CATEGORIES = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"] as const;
export const vatCategory = () => oneOf(VAT_CATEGORIES);

/** Fields every ERP record has: its id and its version (or updated-at). */
export const versioned = {
  erpId: erpId(),
  erpVersion: erpVersion().optional(),
  erpUpdatedAt: erpUpdatedAt().optional(),
};

/** The version a record is ordered by: erpVersion, else erpUpdatedAt in milliseconds since 1970. */
export function recordVersion(record: { erpVersion?: number; erpUpdatedAt?: string }): number {
  if (record.erpVersion !== undefined) return record.erpVersion;
  return Date.parse(record.erpUpdatedAt ?? "");
}

/** Requires erpVersion or erpUpdatedAt; add to each entity with superRefine. */
export function requireVersion(record: { erpVersion?: number; erpUpdatedAt?: string }, ctx: z.RefinementCtx): void {
  if (record.erpVersion === undefined && record.erpUpdatedAt === undefined) {
    ctx.addIssue({ code: "custom", path: ["erpVersion"], message: "is required (or give erpUpdatedAt)" });
  }
}
