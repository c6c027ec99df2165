import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { scopeOf } from "~/modules/access/test-support";
import { parseForm } from "~/modules/forms";
import { listTickets } from "./tickets.server";
import { NewTicketSchema, StaffTicketSchema, TicketActionSchema, type NewTicketInput } from "./schemas";
import { answerTicket, getTicketForStaff } from "./staff.server";
import { actOnTicket, createTicket, getTicket } from "./ticket.server";

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const newTicket = (fields: Partial<NewTicketInput> = {}): NewTicketInput => ({
  clientMutationId: crypto.randomUUID(), subject: "Lieferschein fehlt", category: "delivery", priority: "high",
  message: "Zur letzten Lieferung fehlt der Lieferschein.", related: null, ...fields,
});

async function staffId(email: string) {
  const { rows } = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return rows[0].id;
}

async function kesslerOrder() {
  const { rows } = await (await getDb()).query<{ id: string; number: string; locationId: string | null }>(
    `SELECT o.id, o.number, o.location_id AS "locationId" FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10001' AND o.location_id IS NOT NULL ORDER BY o.order_date DESC LIMIT 1`,
  );
  return rows[0];
}

describe("support tickets", () => {
  it("a buyer opens a ticket about an order by its number: numbered, first message, audited, sent to the ERP, once per submit", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const order = await kesslerOrder();
    const submit = newTicket({ related: order.number.toLowerCase() });
    const created = await createTicket(buyer, submit);
    expect(created).toMatchObject({ ok: true, replayed: false });
    if (!created.ok) return;
    expect(created.number).toMatch(/^T-\d+$/);
    expect(await createTicket(buyer, submit)).toEqual({ ok: true, id: created.id, number: created.number, replayed: true });

    const ticket = await getTicket(buyer, created.id);
    expect(ticket).toMatchObject({
      subject: "Lieferschein fehlt", category: "delivery", priority: "high", status: "open",
      related: { type: "sales_order", id: order.id, number: order.number },
      messages: [{ body: "Zur letzten Lieferung fehlt der Lieferschein.", fromSupplier: false, isInternal: false }],
    });
    const db = await getDb();
    const { rows } = await db.query<{ location: string | null; audited: number; webhooks: number; tickets: number }>(
      `SELECT t.location_id AS location,
              (SELECT count(*) FROM audit_events e WHERE e.entity_id = t.id::text AND e.action = 'ticket.created')::int AS audited,
              (SELECT count(*) FROM webhook_events w WHERE w.entity_id = t.id::text AND w.type = 'ticket.created')::int AS webhooks,
              (SELECT count(*) FROM support_tickets s WHERE s.client_mutation_id = $2)::int AS tickets
         FROM support_tickets t WHERE t.id = $1`,
      [created.id, submit.clientMutationId],
    );
    expect(rows[0]).toEqual({ location: order.locationId, audited: 1, webhooks: 1, tickets: 1 });
    expect((await listTickets(buyer)).map((t) => t.id)).toContain(created.id);
  });

  it("contacts never see internal notes; replies move the ticket between customer and supplier; close and reopen", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const created = await createTicket(buyer, newTicket());
    if (!created.ok) throw new Error("not created");
    const support = await staffId("support@brandt-soehne.example");

    expect(await answerTicket({ userId: support }, created.id, { body: "Intern: Lager fragen", internal: true, status: undefined })).toEqual({ ok: true, number: created.number, status: "open" });
    expect(await answerTicket({ userId: support }, created.id, { body: "Wir prüfen das.", internal: false, status: undefined })).toMatchObject({ status: "waiting_on_customer" });
    const seen = await getTicket(buyer, created.id);
    expect(seen?.messages.map((m) => m.body)).toEqual(["Zur letzten Lieferung fehlt der Lieferschein.", "Wir prüfen das."]);
    expect(seen?.messages[1]).toMatchObject({ fromSupplier: true });
    expect((await getTicketForStaff(created.id))?.messages.map((m) => m.isInternal)).toEqual([false, true, false]);
    // The replica's shape filters the same way (electric/shapes/registry.ts: is_internal = false).
    const db = await getDb();
    const internalAudit = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_events WHERE entity_id = $1 AND type LIKE 'ticket.%' AND data::text LIKE '%Lager fragen%'`, [created.id]);
    expect(internalAudit.rows[0].n).toBe(0);

    const replyId = crypto.randomUUID();
    expect(await actOnTicket(buyer, created.id, { intent: "reply", clientMutationId: replyId, body: "Danke!" })).toEqual({ ok: true, number: created.number, status: "waiting_on_supplier" });
    expect(await actOnTicket(buyer, created.id, { intent: "reply", clientMutationId: replyId, body: "Danke!" })).toMatchObject({ ok: true, replayed: true });
    expect(await actOnTicket(buyer, created.id, { intent: "reopen" })).toMatchObject({ ok: false, reason: "conflict" });
    expect(await actOnTicket(buyer, created.id, { intent: "close" })).toEqual({ ok: true, number: created.number, status: "closed" });
    expect(await actOnTicket(buyer, created.id, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "Noch was" })).toMatchObject({ ok: false, reason: "conflict", status: "closed" });
    expect(await actOnTicket(buyer, created.id, { intent: "reopen" })).toEqual({ ok: true, number: created.number, status: "open" });
    const { rows } = await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY id`, [created.id]);
    expect(rows.map((r) => r.action)).toEqual([
      "ticket.created", "support.internal_note", "ticket.message", "ticket.status_changed", "ticket.message", "ticket.closed", "ticket.reopened",
    ]);
  });

  it("another account's contact gets not found for everything; viewers read but do not write; foreign numbers are not related records", async () => {
    const buyer = await scopeOf("buyer@kessler.example");
    const created = await createTicket(buyer, newTicket());
    if (!created.ok) throw new Error("not created");
    const foreign = await scopeOf("buyer@nordhavn.example");
    expect(await getTicket(foreign, created.id)).toBeNull();
    expect(await actOnTicket(foreign, created.id, { intent: "close" })).toEqual({ ok: false, reason: "not_found" });
    expect(await actOnTicket(foreign, created.id, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "x" })).toEqual({ ok: false, reason: "not_found" });
    expect((await listTickets(foreign)).map((t) => t.id)).not.toContain(created.id);

    const viewer = await scopeOf("viewer@kessler.example");
    expect(await createTicket(viewer, newTicket())).toEqual({ ok: false, reason: "not_found" });
    expect(await actOnTicket(viewer, created.id, { intent: "close" })).toEqual({ ok: false, reason: "not_found" });

    const order = await kesslerOrder();
    expect(await createTicket(foreign, newTicket({ related: order.number }))).toEqual({
      ok: false, reason: "invalid", fieldErrors: { related: "is not an order or invoice number of this account" },
    });
  });

  it("a location-restricted contact's new ticket carries their location, so they see it", async () => {
    const db = await getDb();
    await db.query(
      `UPDATE memberships SET role = 'buyer' WHERE user_id = (SELECT id FROM users WHERE email = 'viewer@kessler.example')`,
    );
    const restricted = await scopeOf("viewer@kessler.example");
    expect(restricted.locationIds?.length).toBeGreaterThan(0);
    const created = await createTicket(restricted, newTicket());
    if (!created.ok) throw new Error("not created");
    expect((await getTicket(restricted, created.id))?.number).toBe(created.number);
  });

  it("names each wrong field of the forms", () => {
    expect(parseForm(NewTicketSchema, form({ clientMutationId: "x", subject: " ", category: "billing", priority: "asap", message: "" }))).toMatchObject({
      ok: false,
      fieldErrors: {
        clientMutationId: "is missing; reload the page and try again",
        subject: "is required",
        category: "must be one of the listed categories",
        priority: "must be one of the listed priorities",
        message: "is required",
      },
      values: { category: "billing" },
    });
    expect(parseForm(TicketActionSchema, form({ intent: "reply", clientMutationId: crypto.randomUUID(), body: "   " }))).toMatchObject({ ok: false, fieldErrors: { body: "is required" } });
    expect(parseForm(TicketActionSchema, form({ intent: "delete" }))).toMatchObject({ ok: false, fieldErrors: { intent: "must be reply, close or reopen" } });
    expect(parseForm(StaffTicketSchema, form({ body: "" }))).toMatchObject({ ok: false, fieldErrors: { body: "is required (or choose a new status)" } });
    expect(parseForm(StaffTicketSchema, form({ body: "Hallo", internal: "on", status: "resolved" }))).toMatchObject({ ok: true, data: { body: "Hallo", internal: true, status: "resolved" } });
  });
});
