import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { scopeOf } from "~/modules/access/test-support";
import { parseForm } from "~/modules/forms";
import { cancelReturnRequest, getReturnableOrder, listReturnableOrders, requestReturn } from "./request.server";
import { getReturnRequest } from "./returns.server";
import { decideReturnRequest } from "./staff.server";
import { quantityField, ReturnRequestSchema, type ReturnRequestInput } from "./schemas";

/** A shipped Kessler order without return requests, and its first line shipped at least 2 units. */
async function shippedKesslerOrder() {
  const db = await getDb();
  const { rows } = await db.query<{ orderId: string; lineId: string; shipped: string; locationId: string | null }>(
    `SELECT o.id AS "orderId", l.id AS "lineId", l.quantity_shipped::text AS shipped, o.location_id AS "locationId"
       FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN sales_order_lines l ON l.sales_order_id = o.id
      WHERE a.number = '10001' AND o.status IN ('shipped', 'completed') AND l.quantity_shipped >= 2 AND l.quantity_shipped = round(l.quantity_shipped)
        AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.sales_order_id = o.id)
      ORDER BY o.order_date DESC, l.line_no LIMIT 1`,
  );
  return { ...rows[0], shipped: Number(rows[0].shipped) };
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const input = (orderId: string, lines: { orderLineId: string; thousandths: number }[], clientMutationId = crypto.randomUUID()): ReturnRequestInput => ({
  orderId, clientMutationId, reason: "damaged", comment: "Gehäuse gerissen", lines,
});

describe("return requests", () => {
  it("a buyer returns part of a delivered line: header and lines in one go, numbered, audited, sent to the ERP; the same submit again files nothing new", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const { orderId, lineId, locationId } = await shippedKesslerOrder();
    const submit = input(orderId, [{ orderLineId: lineId, thousandths: 1000 }]);
    const result = await requestReturn(buyer, submit, { ip: "10.0.0.9" });
    expect(result).toMatchObject({ ok: true, replayed: false });
    if (!result.ok) return;
    expect(result.number).toMatch(/^RMA-\d+$/);

    const db = await getDb();
    const { rows } = await db.query<Record<string, unknown>>(
      `SELECT r.status, r.reason, r.comment, r.location_id AS "locationId", r.requested_by_user_id AS "by", r.sales_order_id AS "orderId",
              (SELECT json_agg(json_build_object('lineNo', l.line_no, 'orderLine', l.sales_order_line_id, 'quantity', l.quantity::text)) FROM return_request_lines l WHERE l.return_request_id = r.id) AS lines,
              (SELECT count(*) FROM audit_events e WHERE e.entity_id = r.id::text AND e.action = 'return.requested')::int AS audited,
              (SELECT count(*) FROM webhook_events w WHERE w.entity_id = r.id::text AND w.type = 'return.requested')::int AS webhooks
         FROM return_requests r WHERE r.id = $1`,
      [result.id],
    );
    expect(rows[0]).toEqual({
      status: "submitted", reason: "damaged", comment: "Gehäuse gerissen", locationId, by: buyer.userId, orderId,
      lines: [{ lineNo: 1, orderLine: lineId, quantity: "1.000" }], audited: 1, webhooks: 1,
    });

    const again = await requestReturn(buyer, submit);
    expect(again).toEqual({ ok: true, id: result.id, number: result.number, replayed: true });
    const { rows: count } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM return_requests WHERE sales_order_id = $1`, [orderId]);
    expect(count[0].n).toBe(1);

    // The contact reads it back with its lines; the order's form now says what is already requested.
    expect(await getReturnRequest(buyer, result.id)).toMatchObject({ number: result.number, lines: [{ lineNo: 1, quantity: "1.000" }] });
    const order = await getReturnableOrder(buyer, orderId);
    expect(order?.lines.find((l) => l.id === lineId)).toMatchObject({ requested: "1.000" });
  });

  it("allows at most what was delivered minus what open requests already return; a rejected request frees its quantity", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const { orderId, lineId, shipped } = await shippedKesslerOrder();
    const first = await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: 1000 }]));
    expect(first.ok).toBe(true);

    const tooMany = await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: shipped * 1000 }]));
    expect(tooMany).toEqual({
      ok: false, reason: "invalid",
      fieldErrors: { [quantityField(lineId)]: `must be at most ${shipped - 1} (delivered ${shipped}, already requested 1)` },
    });
    const exact = await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: (shipped - 1) * 1000 }]));
    expect(exact.ok).toBe(true);
    expect(await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: 500 }]))).toMatchObject({ ok: false, reason: "invalid" });

    // Staff reject the first one: its piece may be requested again.
    const staff = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = 'support@brandt-soehne.example'`);
    if (!first.ok) return;
    expect(await decideReturnRequest({ userId: staff.rows[0].id }, { returnId: first.id, intent: "reject", note: "Nicht beschädigt" })).toEqual({ ok: true, number: first.number, status: "rejected" });
    expect(await decideReturnRequest({ userId: staff.rows[0].id }, { returnId: first.id, intent: "approve", note: null })).toMatchObject({ ok: false, reason: "not_open" });
    expect(await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: 1000 }]))).toMatchObject({ ok: true });
  });

  it("refuses a line of another order and an order that is not shipped, naming the field", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const { orderId } = await shippedKesslerOrder();
    const db = await getDb();
    const { rows } = await db.query<{ orderId: string; lineId: string }>(
      `SELECT o.id AS "orderId", l.id AS "lineId" FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN sales_order_lines l ON l.sales_order_id = o.id
        WHERE a.number = '10001' AND o.status IN ('open', 'confirmed') LIMIT 1`,
    );
    const open = rows[0];
    const wrongLine = await requestReturn(buyer, input(orderId, [{ orderLineId: open.lineId, thousandths: 1000 }]));
    expect(wrongLine).toEqual({ ok: false, reason: "invalid", fieldErrors: { [quantityField(open.lineId)]: "is not a line of this order" } });
    const notShipped = await requestReturn(buyer, input(open.orderId, [{ orderLineId: open.lineId, thousandths: 1000 }]));
    expect(notShipped).toMatchObject({ ok: false, reason: "invalid", fieldErrors: { orderId: "is not shipped yet" } });
    expect((await listReturnableOrders(buyer)).map((o) => o.id)).not.toContain(open.orderId);
  });

  it("answers not found for another account's contact and for roles without returns.request, and writes nothing", async () => {
    const { orderId, lineId } = await shippedKesslerOrder();
    for (const email of ["buyer@nordhavn.example", "viewer@kessler.example", "finance@kessler.example"]) {
      const scope = await scopeOf(email);
      expect(await requestReturn(scope, input(orderId, [{ orderLineId: lineId, thousandths: 1000 }])), email).toEqual({ ok: false, reason: "not_found" });
    }
    const foreign = await scopeOf("buyer@nordhavn.example");
    expect(await getReturnableOrder(foreign, orderId)).toBeNull();
    const { rows } = await (await getDb()).query<{ n: number }>(`SELECT count(*)::int AS n FROM return_requests WHERE sales_order_id = $1`, [orderId]);
    expect(rows[0].n).toBe(0);
  });

  it("the contact cancels a request nobody decided yet: once, audited, sent to the ERP, its quantity free again; not after a decision", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const { orderId, lineId, shipped } = await shippedKesslerOrder();
    const all = await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: shipped * 1000 }]));
    if (!all.ok) throw new Error("not requested");
    expect(await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: 1000 }]))).toMatchObject({ ok: false, reason: "invalid" });

    expect(await cancelReturnRequest(buyer, all.id, { ip: "10.0.0.7" })).toEqual({ ok: true, number: all.number, replayed: false });
    expect(await cancelReturnRequest(buyer, all.id)).toEqual({ ok: true, number: all.number, replayed: true }); // a double submit
    const db = await getDb();
    const { rows } = await db.query<{ status: string; audited: number; webhooks: number }>(
      `SELECT r.status,
              (SELECT count(*) FROM audit_events e WHERE e.entity_id = r.id::text AND e.action = 'return.cancelled')::int AS audited,
              (SELECT count(*) FROM webhook_events w WHERE w.entity_id = r.id::text AND w.type = 'return.cancelled')::int AS webhooks
         FROM return_requests r WHERE r.id = $1`,
      [all.id],
    );
    expect(rows[0]).toEqual({ status: "cancelled", audited: 1, webhooks: 1 });
    expect((await getReturnableOrder(buyer, orderId))?.lines.find((l) => l.id === lineId)).toMatchObject({ requested: "0", returnable: `${shipped}.000` });

    // The freed pieces are requested again; once staff decided, the contact can no longer cancel.
    const again = await requestReturn(buyer, input(orderId, [{ orderLineId: lineId, thousandths: shipped * 1000 }]));
    if (!again.ok) throw new Error("not requested again");
    const staff = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'support@brandt-soehne.example'`);
    await decideReturnRequest({ userId: staff.rows[0].id }, { returnId: again.id, intent: "approve", note: null });
    expect(await cancelReturnRequest(buyer, again.id)).toEqual({ ok: false, reason: "not_open", number: again.number, status: "approved" });
    expect((await getReturnRequest(buyer, again.id))?.status).toBe("approved");
  });

  it("cancel: another account's contact, a contact outside the request's location and roles that may not request returns get not found", async () => {
    const nordhavn = await scopeOf("buyer@nordhavn.example");
    const db = await getDb();
    const { rows } = await db.query<{ orderId: string; lineId: string }>(
      `SELECT o.id AS "orderId", l.id AS "lineId" FROM sales_orders o JOIN locations loc ON loc.id = o.location_id JOIN sales_order_lines l ON l.sales_order_id = o.id
        WHERE loc.code = 'EBJ' AND o.status IN ('shipped', 'completed') AND l.quantity_shipped >= 1 LIMIT 1`,
    );
    const filed = await requestReturn(nordhavn, input(rows[0].orderId, [{ orderLineId: rows[0].lineId, thousandths: 1000 }]));
    if (!filed.ok) throw new Error("not requested");
    // Lars is a buyer of Nordhavn restricted to Aarhus; the request is Esbjerg's.
    const outsideLocation = await scopeOf("lars.bertelsen@nordhavn.example");
    expect(outsideLocation.locationIds?.length).toBe(1);
    for (const scope of [await scopeOf("buyer@kessler.example"), outsideLocation, await scopeOf("viewer@kessler.example")]) {
      expect(await cancelReturnRequest(scope, filed.id)).toEqual({ ok: false, reason: "not_found" });
    }
    expect(await cancelReturnRequest(nordhavn, "not-a-uuid")).toEqual({ ok: false, reason: "not_found" });
    expect((await getReturnRequest(nordhavn, filed.id))?.status).toBe("submitted");
  });

  it("names each wrong field of the form and keeps what was typed", () => {
    const line = "3f6c1a2e-1b2c-4d5e-8f90-123456789abc";
    const parsed = parseForm(
      ReturnRequestSchema,
      form({ orderId: "nope", clientMutationId: "", reason: "broken", comment: "x".repeat(1001), [quantityField(line)]: "abc" }),
    );
    expect(parsed).toMatchObject({
      ok: false,
      fieldErrors: {
        orderId: "is not an order",
        clientMutationId: "is missing; reload the page and try again",
        reason: "must be one of the listed reasons",
        comment: "must be at most 1000 characters",
        [quantityField(line)]: "must be a number with at most 3 decimals",
      },
      values: { [quantityField(line)]: "abc", comment: "x".repeat(1001) },
    });
    // Nothing typed on any line: one error for the lines (an entry's own error replaces it, above).
    const nothing = parseForm(ReturnRequestSchema, form({ orderId: line, clientMutationId: line, reason: "other", [quantityField(line)]: " " }));
    expect(nothing).toMatchObject({ ok: false, fieldErrors: { quantity: "need a quantity on at least one line" } });
    const zero = parseForm(ReturnRequestSchema, form({ orderId: line, clientMutationId: line, reason: "other", [quantityField(line)]: "0" }));
    expect(zero).toMatchObject({ ok: false, fieldErrors: { [quantityField(line)]: "must be greater than 0 (leave it empty to keep the line)" } });
    const negative = parseForm(ReturnRequestSchema, form({ orderId: line, clientMutationId: line, reason: "other", [quantityField(line)]: "-1" }));
    expect(negative).toMatchObject({ ok: false, fieldErrors: { [quantityField(line)]: "must be a number with at most 3 decimals" } });
    const german = parseForm(ReturnRequestSchema, form({ orderId: line, clientMutationId: line, reason: "other", [quantityField(line)]: "2,5", [quantityField("3f6c1a2e-1b2c-4d5e-8f90-123456789abd")]: "" }));
    expect(german).toMatchObject({ ok: true, data: { reason: "other", comment: null, lines: [{ orderLineId: line, thousandths: 2500 }] } });
  });
});
