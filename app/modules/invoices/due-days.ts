import type { Language } from "~/i18n/i18n";

/**
 * The calendar date (YYYY-MM-DD) at `now` in the runtime's time zone: in the browser, the
 * contact's own. `toISOString()` would give the UTC date, a day off near local midnight.
 */
export function localCalendarDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

interface DueFacts {
  kind: string;
  dueDate: string | null;
  status: string;
}

/** Days from `today` (YYYY-MM-DD) until an unpaid invoice is due (negative: overdue); null when nothing is due. */
export function daysUntilDue(invoice: DueFacts, today: string): number | null {
  if (invoice.kind !== "invoice" || !invoice.dueDate || !["open", "partially_paid"].includes(invoice.status)) return null;
  // Both dates as UTC midnights: whole days apart, whatever the time zone.
  return Math.round((Date.parse(String(invoice.dueDate).slice(0, 10)) - Date.parse(today)) / 86_400_000);
}

/** "due in 3 days", "heute fällig", "2 Tage überfällig"; empty when nothing is due. */
export function dueInText(lang: Language, days: number | null): string {
  if (days === null) return "";
  const de = lang === "de";
  if (days === 0) return de ? "heute fällig" : "due today";
  if (days > 0) return de ? `fällig in ${days} ${days === 1 ? "Tag" : "Tagen"}` : `due in ${days} ${days === 1 ? "day" : "days"}`;
  return de ? `${-days} ${days === -1 ? "Tag" : "Tage"} überfällig` : `${-days} ${days === -1 ? "day" : "days"} overdue`;
}
