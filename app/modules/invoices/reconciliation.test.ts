import { describe, expect, it } from "vitest";
import { scopeOf } from "~/modules/access/test-support";
import { getDb } from "~/db/connection.server";
import { getShipment } from "~/modules/shipments/shipment-detail.server";
import { getReconciliation } from "./reconciliation.server";


describe("invoice reconciliation", () => {
  it("puts every invoice line beside its order line, and balances gross − credits − payments", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const db = await getDb();
    const { rows } = await db.query<{ id: string; amountDue: string }>(
      `SELECT id, amount_due::text AS "amountDue" FROM invoices WHERE account_id = $1 AND kind = 'invoice' ORDER BY issue_date DESC LIMIT 40`,
      [buyer.accountId],
    );
    let linesSeen = 0;
    for (const invoice of rows) {
      const r = (await getReconciliation(buyer, invoice.id))!;
      expect(r.invoice.id).toBe(invoice.id);
      linesSeen += r.lines.length;
      // Without credit notes, gross − prepaid − the payment rows must be exactly what the ERP says is open.
      if (r.credits.length === 0) expect(r.expectedOpen).toBe(Number(invoice.amountDue).toFixed(2));
      for (const line of r.lines) {
        if (line.orderPrice !== null && Number(line.orderPrice) !== Number(line.invoicedPrice)) expect(line.issues).toContain("price-differs");
      }
    }
    expect(linesSeen).toBeGreaterThan(0);
  });

  it("answers null for a viewer, another account and a bad id", async () => {
    const db = await getDb();
    const buyer = await scopeOf("buyer@kessler.example");
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM invoices WHERE account_id = $1 LIMIT 1`, [buyer.accountId]);
    expect(await getReconciliation(await scopeOf("viewer@kessler.example"), rows[0].id)).toBeNull();
    expect(await getReconciliation(await scopeOf("buyer@nordhavn.example"), rows[0].id)).toBeNull();
    expect(await getReconciliation(buyer, "nope")).toBeNull();
  });
});

describe("shipment detail", () => {
  it("shows lines, the tracking timeline newest first, and partial deliveries", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const db = await getDb();
    const { rows } = await db.query<{ id: string; siblings: number }>(
      `SELECT s.id, (SELECT count(*) FROM shipments x WHERE x.sales_order_id = s.sales_order_id)::int AS siblings
         FROM shipments s WHERE s.account_id = $1 AND EXISTS (SELECT 1 FROM tracking_events t WHERE t.shipment_id = s.id)
        ORDER BY siblings DESC LIMIT 1`,
      [buyer.accountId],
    );
    const shipment = (await getShipment(buyer, rows[0].id))!;
    expect(shipment.lines.length).toBeGreaterThan(0);
    expect(shipment.trackingEvents.length).toBeGreaterThan(0);
    const times = shipment.trackingEvents.map((e) => e.occurredAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    if (rows[0].siblings > 1) expect(shipment.partOfOrder?.of).toBe(rows[0].siblings);
    expect(await getShipment(await scopeOf("buyer@nordhavn.example"), rows[0].id)).toBeNull();
  });
});
