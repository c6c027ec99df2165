import { describe, expect, it } from "vitest";
import { buildScope } from "./scope.server";
import { scopeOf } from "./test-support";
import { getDb } from "~/db/connection.server";
import { getInvoice, listInvoices } from "~/modules/invoices/invoices.server";
import { getOrder, listOrders } from "~/modules/orders/orders.server";


describe("scope", () => {
  it("includes subsidiaries only for memberships that say so", async () => {
    const admin = await scopeOf("admin@kessler.example");
    const buyer = await scopeOf("buyer@kessler.example");
    expect(admin.accountIds.length).toBeGreaterThan(1);
    expect(buyer.accountIds).toEqual([buyer.accountId]);
    const db = await getDb();
    const subsidiaryOrder = (
      await db.query<{ id: string }>(
        `SELECT o.id FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10002' LIMIT 1`,
      )
    ).rows[0];
    expect(await getOrder(admin, subsidiaryOrder.id)).not.toBeNull();
    expect(await getOrder(buyer, subsidiaryOrder.id)).toBeNull();
  });

  it("narrows a location-restricted contact to the rows of their locations", async () => {
    const viewer = await scopeOf("viewer@kessler.example");
    expect(viewer.locationIds?.length).toBeGreaterThan(0);
    const db = await getDb();
    const orders = await listOrders(viewer, { limit: 10_000 });
    const expected = await db.query<{ count: number }>(
      `SELECT count(*) AS count FROM sales_orders WHERE account_id = $1 AND location_id = ANY($2::uuid[])`,
      [viewer.accountId, viewer.locationIds],
    );
    expect(orders.length).toBe(expected.rows[0].count);
    const all = await listOrders(await scopeOf("buyer@kessler.example"), { limit: 10_000 });
    expect(all.length).toBeGreaterThan(orders.length);
    const elsewhere = (
      await db.query<{ id: string }>(
        `SELECT id FROM invoices WHERE account_id = $1 AND (location_id IS NULL OR NOT location_id = ANY($2::uuid[])) LIMIT 1`,
        [viewer.accountId, viewer.locationIds],
      )
    ).rows[0];
    if (elsewhere) expect(await getInvoice(viewer, elsewhere.id)).toBeNull();
  });

  it("never returns another account's rows, whatever the filter", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const invoices = await listInvoices(buyer, { q: "%", limit: 10_000 });
    const db = await getDb();
    const foreign = await db.query<{ id: string }>(`SELECT id FROM invoices WHERE NOT account_id = ANY($1::uuid[])`, [buyer.accountIds]);
    const shown = new Set(invoices.map((i) => i.id));
    expect(foreign.rows.some((r) => shown.has(r.id))).toBe(false);
    expect(await getOrder(buyer, "not-a-uuid")).toBeNull();
  });

  it("gives no scope for an account without membership", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; language: "en" | "de" }>(`SELECT id, language FROM users WHERE email = 'buyer@kessler.example'`);
    const nordhavn = (await db.query<{ id: string }>(`SELECT id FROM accounts WHERE number = '10004'`)).rows[0];
    expect(await buildScope(db, rows[0], nordhavn.id)).toBeNull();
  });
});
