import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { apiRequest, createTestApiKey } from "../../../../test/support/erp-api";

/**
 * ERP changes reach open browsers through the shapes: the API writes Postgres, the change-capture
 * triggers (db/migrations/040-statement-change-capture.sql) log the change in the same transaction,
 * and the shape engine streams it. This checks the first two links; e2e/erp.spec.ts follows the
 * whole way to an open invoice page turning "paid".
 */
describe("an invoice marked paid through the API", () => {
  it("is paid in Postgres and in the sync change log as soon as the request answers", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; erp_id: string; number: string; amount_due: string; currency: string; status: string }>(
      `SELECT i.id, i.erp_id, i.number, i.amount_due, i.currency, i.status FROM invoices i JOIN accounts a ON a.id = i.account_id
        WHERE a.number = '10001' AND i.kind = 'invoice' AND i.status = 'open' AND i.amount_due > 0 ORDER BY i.issue_date DESC LIMIT 1`,
    );
    const invoice = rows[0];
    const logBefore = (await db.query<{ max: number | null }>(`SELECT max(id) AS max FROM sync_change_log`)).rows[0].max ?? 0;
    const { key } = await createTestApiKey(["erp:write:payments"]);
    await apiRequest("/api/erp/v1/openapi.json"); // loads the server build: not part of the request's time
    const started = Date.now();
    const response = await apiRequest("/api/erp/v1/payments", {
      key,
      json: {
        records: [
          {
            erpId: `ZA-T-${invoice.erp_id}`,
            erpVersion: 1,
            invoiceErpId: invoice.erp_id,
            paidAt: new Date().toISOString().slice(0, 10),
            amount: invoice.amount_due,
            currency: invoice.currency,
            method: "sepa_credit_transfer",
            reference: invoice.number,
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).results[0]).toMatchObject({ status: "accepted", action: "inserted" });
    expect(Date.now() - started).toBeLessThan(1000);

    const after = await db.query(`SELECT status, amount_due FROM invoices WHERE id = $1`, [invoice.id]);
    expect(after.rows[0]).toEqual({ status: "paid", amount_due: "0.00" });
    const logged = await db.query<{ table_name: string; operation: string; status: string | null; amount_due: string | null }>(
      `SELECT table_name, operation, new_row ->> 'status' AS status, new_row ->> 'amount_due' AS amount_due
         FROM sync_change_log WHERE id > $1 ORDER BY id`,
      [logBefore],
    );
    expect(logged.rows).toEqual(
      expect.arrayContaining([
        { table_name: "payments", operation: "insert", status: null, amount_due: null },
        { table_name: "invoices", operation: "update", status: "paid", amount_due: "0.00" },
      ]),
    );
  });
});
