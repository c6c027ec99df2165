import { useSyncExternalStore } from "react";
import type { Language } from "~/i18n/i18n";
import { localCalendarDate } from "~/components/calendar";
import { dueInText } from "../due-days";

const subscribeNever = () => () => {};
const utcCalendarDate = () => new Date().toISOString().slice(0, 10);

/**
 * Today in the contact's calendar. The server renders with its own (UTC) date and hydration starts
 * from the same, so the HTML and the first client render agree; React then re-renders with the
 * browser's local date.
 */
export function useLocalToday(): string {
  return useSyncExternalStore(subscribeNever, localCalendarDate, utcCalendarDate);
}

/** "due in N days" / "N days overdue" (overdue in the danger colour). */
export function DueIn({ lang, days }: { lang: Language; days: number | null }) {
  return <span className={(days ?? 0) < 0 ? "overdue-text" : undefined}>{dueInText(lang, days)}</span>;
}
