import { de } from "./de";
import { en, type MessageKey } from "./en";

export type Language = "en" | "de";
export type { MessageKey };

const catalogs: Record<Language, Record<MessageKey, string>> = { en, de };

/** The label for `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function translate(lang: Language, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template: string = catalogs[lang][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Code families the catalogs label ("status.paid", "returns.reason.damaged", …). */
export type CodeFamily = "status" | "returns.reason" | "support.category" | "support.priority" | "role" | "payment";

/**
 * A stored code (status, reason, category, role, payment method) in words for `lang`. A code the
 * catalogs do not know yet shows humanized ("waiting_on_x" → "waiting on x"), never as a raw key.
 */
export function codeLabel(lang: Language, family: CodeFamily, code: string | null | undefined): string {
  if (!code) return "";
  const key = `${family}.${code}` as MessageKey;
  return catalogs[lang][key] ?? en[key] ?? code.replace(/_/g, " ");
}

export function locale(lang: Language): string {
  return lang === "de" ? "de-DE" : "en-GB";
}

// Creating an Intl formatter costs far more than formatting with one (a list of a few hundred rows
// spent most of its render time in the constructors): one formatter per language and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(lang: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale(lang), options)));
  return format;
}

function dateFormat(lang: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale(lang), options)));
  return format;
}

export function formatMoney(lang: Language, amount: string | number, currency: string): string {
  return numberFormat(lang, { style: "currency", currency }).format(Number(amount));
}

/** Formats a 'YYYY-MM-DD' calendar date or a Date without letting a time zone shift the day. */
export function formatDate(lang: Language, value: string | Date | null | undefined): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return dateFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function formatDateTime(lang: Language, value: string | Date | null | undefined): string {
  if (!value) return "";
  return dateFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatNumber(lang: Language, value: string | number, maximumFractionDigits = 3): string {
  return numberFormat(lang, { maximumFractionDigits }).format(Number(value));
}

const NOUNS = {
  order: { en: ["order", "orders"], de: ["Auftrag", "Aufträge"] },
  invoice: { en: ["invoice", "invoices"], de: ["Rechnung", "Rechnungen"] },
  shipment: { en: ["shipment", "shipments"], de: ["Lieferung", "Lieferungen"] },
  credit_note: { en: ["credit note", "credit notes"], de: ["Gutschrift", "Gutschriften"] },
  order_confirmation: { en: ["order confirmation", "order confirmations"], de: ["Auftragsbestätigung", "Auftragsbestätigungen"] },
  quote: { en: ["quote", "quotes"], de: ["Angebot", "Angebote"] },
} as const satisfies Record<string, Record<Language, readonly [string, string]>>;

/** "1 shipment", "3 shipments", "1 Lieferung": a count with its noun in singular or plural. */
export function formatCount(lang: Language, count: number, noun: keyof typeof NOUNS): string {
  const [one, many] = NOUNS[noun][lang];
  return `${formatNumber(lang, count)} ${count === 1 ? one : many}`;
}
