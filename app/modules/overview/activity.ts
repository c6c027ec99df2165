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
