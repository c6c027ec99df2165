import type { Queryable } from "~/db/db.server";
import type { RefLookup } from "../entities/rows";
import type { RefRow, RefTable } from "../entities/types";

/** What each referenceable table answers about a row found by ERP id. */
const SELECT: Record<RefTable, string> = {
  accounts: "erp_id, id, id AS account_id, NULL::uuid AS location_id",
  locations: "erp_id, id, account_id, id AS location_id",
  cost_centers: "erp_id, id, account_id, NULL::uuid AS location_id",
  sales_orders: "erp_id, id, account_id, location_id",
  sales_order_lines: "erp_id, id, account_id, location_id",
  shipments: "erp_id, id, account_id, location_id",
  invoices: "erp_id, id, account_id, location_id",
  delivery_notes: "erp_id, id, account_id, location_id",
  order_confirmations: "erp_id, id, account_id, location_id",
  quotes: "erp_id, id, account_id, location_id",
  statements: "erp_id, id, account_id, NULL::uuid AS location_id",
  users: "erp_id, id, NULL::uuid AS account_id, NULL::uuid AS location_id, kind",
};

/** Collects the ERP ids a batch refers to, then finds them with one query per table. */
export function createRefLookup(): RefLookup & { load(db: Queryable): Promise<void> } {
  const wanted = new Map<RefTable, Set<string>>();
  const found = new Map<RefTable, Map<string, RefRow>>();
  return {
    want(table, erpId) {
      let set = wanted.get(table);
      if (!set) wanted.set(table, (set = new Set()));
      set.add(erpId);
    },
    get(table, erpId) {
      return found.get(table)?.get(erpId);
    },
    async load(db) {
      for (const [table, ids] of wanted) {
        const known = found.get(table) ?? new Map<string, RefRow>();
        found.set(table, known);
        const missing = [...ids].filter((id) => !known.has(id));
        if (missing.length === 0) continue;
        const { rows } = await db.query<RefRow & { erp_id: string }>(`SELECT ${SELECT[table]} FROM ${table} WHERE erp_id = ANY($1::text[])`, [missing]);
        for (const row of rows) known.set(row.erp_id, row);
      }
      wanted.clear();
    },
  };
}
