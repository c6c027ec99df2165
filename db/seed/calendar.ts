const DAY_MS = 86_400_000;

/** Minutes after midnight UTC on the as-of day before which a timestamp counts as "already happened". */
export const NOW_MINUTES = 6 * 60;

/**
 * Days are integers relative to the as-of date (0 = as-of day, -1 = the day before). Every date in
 * the demo data is derived from here, never from the clock.
 */
export class Calendar {
  readonly base: number;

  constructor(readonly asOf: string) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
    if (!m) throw new Error(`asOf must be YYYY-MM-DD, got "${asOf}"`);
    this.base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (new Date(this.base).toISOString().slice(0, 10) !== asOf) throw new Error(`asOf is not a calendar date: "${asOf}"`);
  }

  date(day: number): string {
    return new Date(this.base + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** An ISO timestamp (UTC) on `day` at `minutes` after midnight. */
  at(day: number, minutes: number): string {
    return new Date(this.base + day * DAY_MS + Math.round(minutes) * 60_000).toISOString();
  }

  /** Has (day, minutes) happened by the as-of moment? */
  isPast(day: number, minutes = 0): boolean {
    return day < 0 || (day === 0 && minutes < NOW_MINUTES);
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number {
    return new Date(this.base + day * DAY_MS).getUTCDay();
  }

  /** The day itself when it is a weekday, else the Friday before. */
  back(day: number): number {
    const wd = this.weekday(day);
    return wd === 6 ? day - 1 : wd === 0 ? day - 2 : day;
  }

  /** The day itself when it is a weekday, else the Monday after. */
  fwd(day: number): number {
    const wd = this.weekday(day);
    return wd === 6 ? day + 2 : wd === 0 ? day + 1 : day;
  }

  year(day: number): number {
    return new Date(this.base + day * DAY_MS).getUTCFullYear();
  }

  /** The first and last day of the month `monthsBack` months before the as-of month. */
  month(monthsBack: number): { start: number; end: number; label: string } {
    const d = new Date(this.base);
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack, 1);
    const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - monthsBack + 1, 0);
    return {
      start: Math.round((start - this.base) / DAY_MS),
      end: Math.round((end - this.base) / DAY_MS),
      label: new Date(start).toISOString().slice(0, 7),
    };
  }

  /** dd.mm.yyyy (German) or yyyy-mm-dd. */
  format(day: number, language: "de" | "en"): string {
    const iso = this.date(day);
    return language === "de" ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : iso;
  }
}
