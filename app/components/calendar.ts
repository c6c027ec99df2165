/**
 * The calendar date (YYYY-MM-DD) at `now` in the runtime's time zone: in the browser, the
 * contact's own. `toISOString()` would give the UTC date, a day off near local midnight.
 */
export function localCalendarDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
