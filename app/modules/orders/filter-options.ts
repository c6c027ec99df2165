/**
 * What the orders list's filter dropdowns offer: every location, cost center and buyer the contact
 * may see (not only those in the rows shown). The server (orders.server.ts) and the replica
 * (electric/replica/portal-queries.ts) collect the same values and sort them here, in one place,
 * so Postgres' collation and SQLite's cannot order them differently.
 */
export interface OrderFilterOptions {
  locations: { id: string; name: string }[];
  costCenters: { id: string; name: string }[];
  buyers: string[];
}

const byName = (a: { id: string; name: string }, b: { id: string; name: string }) => a.name.localeCompare(b.name, "en") || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function sortFilterOptions(options: OrderFilterOptions): OrderFilterOptions {
  return {
    locations: [...options.locations].sort(byName),
    costCenters: [...options.costCenters].sort(byName),
    buyers: [...options.buyers].sort((a, b) => a.localeCompare(b, "en")),
  };
}
