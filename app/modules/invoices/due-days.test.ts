// The contact's calendar, not UTC: Berlin is an hour ahead in December. Set before any date is read.
process.env.TZ = "Europe/Berlin";

import { describe, expect, it } from "vitest";
import { localCalendarDate } from "~/components/calendar";
import { daysUntilDue, dueInText } from "./due-days";

const invoice = (dueDate: string, status = "open", kind = "invoice") => ({ kind, dueDate, status });

/** What the list and the invoice page show at `now` in the runtime's time zone. */
const shownAt = (now: string, dueDate: string, lang: "en" | "de" = "en") =>
  dueInText(lang, daysUntilDue(invoice(dueDate), localCalendarDate(new Date(now))));

describe("due in N days, from the contact's local calendar date", () => {
  it("after local midnight it is already the next day (UTC still says the day before)", () => {
    // 00:30 on 7 December in Berlin is 23:30 on 6 December in UTC.
    const now = "2026-12-06T23:30:00Z";
    expect(localCalendarDate(new Date(now))).toBe("2026-12-07");
    expect(shownAt(now, "2026-12-07")).toBe("due today");
    expect(shownAt(now, "2026-12-06")).toBe("1 day overdue");
    expect(shownAt(now, "2026-12-06", "de")).toBe("1 Tag überfällig");
    expect(shownAt(now, "2026-12-10", "de")).toBe("fällig in 3 Tagen");
  });

  it("just before local midnight it is still the same day", () => {
    // 23:59 on 6 December in Berlin is 22:59 UTC, the same calendar day in both.
    const now = "2026-12-06T22:59:00Z";
    expect(localCalendarDate(new Date(now))).toBe("2026-12-06");
    expect(shownAt(now, "2026-12-07")).toBe("due in 1 day");
    expect(shownAt(now, "2026-12-06")).toBe("due today");
  });

  it("counts whole days across the change to summer time", () => {
    // 29 March 2026 has 23 hours in Berlin; due dates still count as calendar days.
    expect(shownAt("2026-03-28T23:30:00Z", "2026-03-31")).toBe("due in 2 days");
  });

  it("nothing is due for paid invoices, credit notes and missing due dates", () => {
    expect(daysUntilDue(invoice("2026-12-01", "paid"), "2026-12-07")).toBeNull();
    expect(daysUntilDue(invoice("2026-12-01", "open", "credit_note"), "2026-12-07")).toBeNull();
    expect(daysUntilDue({ kind: "invoice", dueDate: null, status: "open" }, "2026-12-07")).toBeNull();
    expect(daysUntilDue(invoice("2026-12-01", "partially_paid"), "2026-12-07")).toBe(-6);
  });
});
