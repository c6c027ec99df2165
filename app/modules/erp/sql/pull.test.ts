import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { createErpFixture, PULL_QUERIES, type ErpFixture } from "../testing/mariadb-fixture";
import { getRun } from "../runs.server";
import { runSqlPull } from "./pull.server";
import { createSource, getSource, saveQuery } from "./sources.server";

let erp: ErpFixture;
let sourceId: string;

beforeAll(async () => {
  erp = await createErpFixture();
  await erp.addCustomer("M-C1", "Mühlenbau Ost GmbH", "2026-03-01 08:00:00.000");
  await erp.addCustomer("M-C2", "Rheinwerk AG", "2026-03-01 08:05:00.000");
  await erp.addCustomer("M-C3", "Seeblick Technik KG", "2026-03-01 08:10:00.000");
  await erp.addOrder("M-O1", "M-C1", "2026-03-01 09:00:00.000", 2);
  await erp.addOrder("M-O2", "M-C2", "2026-03-01 09:05:00.000", 3);
  await erp.addOrder("M-O3", "M-C3", "2026-03-01 09:10:00.000", 1);
  await erp.addInvoice("M-I1", "M-O1", "M-C1", "2026-03-02 10:00:00.000");
  await erp.addInvoice("M-I2", "M-O2", "M-C2", "2026-03-02 10:05:00.000");
  const db = await getDb();
  sourceId = await createSource(db, { name: "MariaDB ERP", kind: "mysql", connectionUrl: erp.url, schedule: null, enabled: true, batchSize: 2 }, null);
  for (const [entity, query] of Object.entries(PULL_QUERIES)) await saveQuery(db, sourceId, { entity, query, watermarkColumn: "watermark" });
});

afterAll(async () => {
  await erp?.drop();
});

const byEntity = (result: Awaited<ReturnType<typeof runSqlPull>>) => Object.fromEntries(result.entities.map((e) => [e.entity, e]));

describe("SQL pull from MariaDB", () => {
  it("pulls everything first, then only what changed since the watermark", async () => {
    const first = await runSqlPull(sourceId);
    expect(first.message).toBeNull();
    expect(first.status).toBe("succeeded");
    const one = byEntity(first);
    expect(one.accounts.counts).toMatchObject({ inserted: 3, rejected: 0 });
    expect(one["sales-orders"].counts).toMatchObject({ inserted: 3, rejected: 0 });
    expect(one.invoices.counts).toMatchObject({ inserted: 2, rejected: 0 });
    expect(one.accounts.since).toBeNull();

    const db = await getDb();
    const invoice = await db.query(
      `SELECT i.gross_amount, i.status, o.erp_id AS order_erp_id, count(l.sales_order_line_id)::int AS linked
         FROM invoices i JOIN sales_orders o ON o.id = i.sales_order_id JOIN invoice_lines l ON l.invoice_id = i.id
        WHERE i.erp_id = 'M-I2' GROUP BY i.id, o.erp_id`,
    );
    // 3 lines: 10, 20, 30 × 25.50 = 1530.00 net, 19 % VAT 290.70.
    expect(invoice.rows[0]).toEqual({ gross_amount: "1820.70", status: "open", order_erp_id: "M-O2", linked: 3 });
    const account = await db.query(`SELECT name, number FROM accounts WHERE erp_id = 'M-C1'`);
    expect(account.rows[0]).toEqual({ name: "Mühlenbau Ost GmbH", number: "M-C1" });

    // The ERP changes one order and adds a customer with an order and an invoice.
    await erp.addOrder("M-O2", "M-C2", "2026-03-03 11:00:00.000", 3, { version: 2, status: "shipped" });
    await erp.addCustomer("M-C4", "Talsperre Werke GmbH", "2026-03-03 11:05:00.000");
    await erp.addOrder("M-O4", "M-C4", "2026-03-03 11:10:00.000", 2);
    await erp.addInvoice("M-I4", "M-O4", "M-C4", "2026-03-03 12:00:00.000");

    const second = await runSqlPull(sourceId);
    expect(second.status).toBe("succeeded");
    const two = byEntity(second);
    expect(two.accounts.since).toBe(one.accounts.watermark);
    expect(two.accounts.counts).toMatchObject({ inserted: 1, updated: 0, rejected: 0 });
    expect(two.accounts.rowsRead).toBe(2); // the boundary row again (unchanged) and the new one
    expect(two["sales-orders"].counts).toMatchObject({ inserted: 1, updated: 1, rejected: 0 });
    expect(two.invoices.counts).toMatchObject({ inserted: 1, rejected: 0 });
    const order = await db.query(`SELECT status, erp_version FROM sales_orders WHERE erp_id = 'M-O2'`);
    expect(order.rows[0]).toEqual({ status: "shipped", erp_version: 2 });
  });

  it("resumes a failed run from its last good watermark", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 10 + i); // M-I10 … M-I49
    for (const i of ids) {
      await erp.addOrder(`M-O${i}`, "M-C1", `2026-03-04 09:${i}:00.000`, 3);
      await erp.addInvoice(`M-I${i}`, `M-O${i}`, "M-C1", `2026-03-04 10:${i}:00.000`);
    }
    await erp.connection.query(`INSERT INTO pull_control VALUES ('M-I45')`);
    const failed = await runSqlPull(sourceId);
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/invoices: .*simulated ERP database failure/);
    const broken = byEntity(failed).invoices;
    const db = await getDb();
    const applied = (await db.query<{ erp_id: string }>(`SELECT erp_id FROM invoices WHERE erp_id LIKE 'M-I%' ORDER BY erp_id`)).rows.map((r) => r.erp_id);
    expect(applied).toContain("M-I10");
    expect(applied).not.toContain("M-I45");
    expect(broken.watermark).not.toBe(broken.since); // batches before the failure were kept
    const run = await getRun(db, broken.runId);
    expect(run).toMatchObject({ status: "failed" });

    // Every applied invoice is whole: all three lines or not there.
    const partial = await db.query(
      `SELECT i.erp_id FROM invoices i WHERE i.erp_id LIKE 'M-I%' AND (SELECT count(*) FROM invoice_lines l WHERE l.invoice_id = i.id) <> 3 AND i.erp_id NOT IN ('M-I1', 'M-I2', 'M-I4')`,
    );
    expect(partial.rows).toEqual([]);

    await erp.connection.query(`DELETE FROM pull_control`);
    const resumed = await runSqlPull(sourceId);
    expect(resumed.status).toBe("succeeded");
    const again = byEntity(resumed).invoices;
    expect(again.since).toBe(broken.watermark);
    const before = applied.filter((id) => Number(id.slice(3)) >= 10).length;
    expect(again.counts.inserted).toBe(ids.length - before);
    expect(again.rowsRead).toBeLessThan(ids.length * 3); // it started at the watermark, not at the beginning
    const all = (await db.query<{ erp_id: string }>(`SELECT erp_id FROM invoices WHERE erp_id LIKE 'M-I%'`)).rows.map((r) => r.erp_id);
    expect(all.sort()).toEqual(["M-I1", "M-I2", "M-I4", ...ids.map((i) => `M-I${i}`)].sort());
    const source = await getSource(db, sourceId);
    expect(source?.running).toBe(false);
  });

  it("refuses a query that does not order by its watermark, naming the fix", async () => {
    const db = await getDb();
    const other = await createSource(db, { name: "Unordered", kind: "mysql", connectionUrl: erp.url, schedule: null, enabled: true, batchSize: 100 }, null);
    await saveQuery(db, other, { entity: "accounts", query: PULL_QUERIES.accounts.replace("ORDER BY c.changed_at, c.customer_no", "ORDER BY c.changed_at DESC"), watermarkColumn: "watermark" });
    const result = await runSqlPull(other);
    expect(result.status).toBe("failed");
    expect(result.message).toMatch(/must ORDER BY its watermark column "watermark"/);
  });
});
