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

export function locale(lang: Language): string {
  return lang === "de" ? "de-DE" : "en-GB";
}

export function formatMoney(lang: Language, amount: string | number, currency: string): string {
  return new Intl.NumberFormat(locale(lang), { style: "currency", currency }).format(Number(amount));
}

/** Formats a 'YYYY-MM-DD' calendar date or a Date without letting a time zone shift the day. */
export function formatDate(lang: Language, value: string | Date | null | undefined): string {
  if (!value) return "";
  const date = typeof value === "string" ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeZone: "UTC" }).format(date);
}

export function formatDateTime(lang: Language, value: string | Date | null | undefined): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

export function formatNumber(lang: Language, value: string | number, maximumFractionDigits = 3): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits }).format(Number(value));
}
