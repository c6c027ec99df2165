import { translate, type Language } from "~/i18n/i18n";

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
  if (days === 0) return translate(lang, "invoices.dueToday");
  if (days > 0) return days === 1 ? translate(lang, "invoices.dueInOneDay") : translate(lang, "invoices.dueInDays", { days });
  return days === -1 ? translate(lang, "invoices.overdueOneDay") : translate(lang, "invoices.overdueDays", { days: -days });
}
