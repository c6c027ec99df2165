/** Shared by the server (overview.server.ts) and the replica (electric/replica/portal-overview.ts). */
export const AGING_BUCKETS = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type AgingBucketName = (typeof AGING_BUCKETS)[number];

export interface AgingRow {
  currency: string;
  buckets: { bucket: AgingBucketName; amount: string; count: number }[];
}

export interface ChangedItem {
  type: "order" | "invoice" | "credit_note" | "shipment";
  id: string;
  number: string;
  status: string;
  at: Date;
}

export interface Activity {
  /** The contact's previous sign-in, or a week ago on a first visit. */
  since: Date;
  firstVisit: boolean;
  items: ChangedItem[];
  counts: ActivityCounts;
}

export interface ActivityCounts {
  orders: number;
  invoices: number;
  shipments: number;
}

export const ACTIVITY_LIMIT = 10;

/** Every bucket of every currency, zeros included, in a fixed order. */
export function completeAging(rows: { currency: string; bucket: string; amount: string; count: number }[]): AgingRow[] {
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.map((currency) => ({
    currency,
    buckets: AGING_BUCKETS.map((bucket) => {
      const found = rows.find((r) => r.currency === currency && r.bucket === bucket);
      return { bucket, amount: found?.amount ?? "0.00", count: found?.count ?? 0 };
    }),
  }));
}

/** How many months the "invoiced per month" chart shows, the current one included. */
export const INVOICED_MONTHS = 12;

export interface InvoicedMonths {
  currency: string;
  /** Oldest first; every month present, zeros included. `amount` is invoices minus credit notes (gross). */
  months: { month: string; amount: string; count: number }[];
}

/** The first day ('YYYY-MM-01') of the oldest month the chart shows, for `today` ('YYYY-MM-DD'). */
export function invoicedSince(today: string): string {
  return `${monthsBefore(today.slice(0, 7), INVOICED_MONTHS - 1)}-01`;
}

function monthsBefore(month: string, count: number): string {
  const [year, m] = month.split("-").map(Number);
  const index = year * 12 + (m - 1) - count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every month of the window for every currency that has any, oldest first. */
export function completeInvoicedMonths(rows: { currency: string; month: string; amount: string; count: number }[], today: string): InvoicedMonths[] {
  const months = Array.from({ length: INVOICED_MONTHS }, (_, i) => monthsBefore(today.slice(0, 7), INVOICED_MONTHS - 1 - i));
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return currencies.map((currency) => ({
    currency,
    months: months.map((month) => {
      const found = rows.find((r) => r.currency === currency && r.month === month);
      return { month, amount: found?.amount ?? "0.00", count: found?.count ?? 0 };
    }),
  }));
}
