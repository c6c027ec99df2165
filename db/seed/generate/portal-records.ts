import { germanVatId } from "../identifiers";
import { qty } from "../money";
import { Rng } from "../random";
import type { GeneratorContext } from "./context";
import type { User } from "./domain";
import type { Row } from "./tables";
import { sha256 } from "./text";

/**
 * Records that start in the portal rather than the ERP, so the screens for them are not empty:
 * tickets, returns, notifications, sign-ups, the ERP connection's import runs, audit events.
 */

export function addPortalRecords(ctx: GeneratorContext) {
  const rng = new Rng("portal-records");
  const cal = ctx.cal;
  const kessler = ctx.byKey.get("kessler")!;
  const u = (email: string) => ctx.users.get(email)!;
  const support = ctx.staff.get("support")!;
  const sales = ctx.staff.get("sales")!;
  const admin = ctx.staff.get("admin")!;
  const orders = kessler.orders;
  const partial = orders.find((o) => o.status === "partially_shipped")!;
  const inTransit = orders.find((o) => o.shipments.some((s) => s.row.status === "in_transit"))!;
  const overdue = kessler.invoices.find((i) => i.kind === "invoice" && i.row.status === "open" && (i.row.due_date as string) < cal.date(0))!;

  // Support tickets.
  const t1 = rng.uuid();
  const t2 = rng.uuid();
  ctx.tables.support_tickets.push(
    {
      id: t1, account_id: kessler.id, location_id: partial.loc.id, number: "T-1000",
      subject: `Liefertermin Restmenge Auftrag ${partial.row.number as string}`, category: "delivery", priority: "high",
      status: "waiting_on_supplier", related_entity_type: "sales_order", related_entity_id: partial.id,
      created_by_user_id: u("buyer@kessler.example").id, assigned_to_user_id: support.id, client_mutation_id: null,
      created_at: cal.at(-6, 8 * 60 + 12), closed_at: null,
    },
    {
      id: t2, account_id: kessler.id, location_id: null, number: "T-1001",
      subject: "Rechnungen bitte zusätzlich als XRechnung", category: "invoice", priority: "normal",
      status: "resolved", related_entity_type: null, related_entity_id: null,
      created_by_user_id: u("finance@kessler.example").id, assigned_to_user_id: support.id, client_mutation_id: null,
      created_at: cal.at(-40, 10 * 60), closed_at: cal.at(-38, 15 * 60),
    },
  );
  const msg = (ticket: string, author: User, day: number, min: number, body: string, internal = false) =>
    ctx.tables.ticket_messages.push({
      id: rng.uuid(), account_id: kessler.id, location_id: ticket === t1 ? partial.loc.id : null, ticket_id: ticket,
      author_user_id: author.id, body, is_internal: internal, client_mutation_id: null, created_at: cal.at(day, min),
    });
  msg(t1, u("buyer@kessler.example"), -6, 8 * 60 + 12, "Guten Morgen, wann können wir mit der Restmenge rechnen? Die Baustelle wartet auf die Drucktransmitter.");
  const rest = partial.row.promised_delivery_date as string;
  msg(t1, support, -6, 11 * 60 + 40, `Guten Tag Frau Vogt, die Restmenge ist für den ${rest.slice(8, 10)}.${rest.slice(5, 7)}.${rest.slice(0, 4)} eingeplant. Ich melde mich, sobald die Ware das Werk verlässt.`);
  msg(t1, support, -6, 11 * 60 + 45, "Produktion gefragt: Sensoren kommen verspätet vom Zulieferer.", true);
  msg(t1, u("buyer@kessler.example"), -2, 9 * 60 + 3, "Gibt es schon einen neuen Stand?");
  msg(t2, u("finance@kessler.example"), -40, 10 * 60, "Bitte senden Sie uns die Rechnungen künftig zusätzlich als XRechnung.");
  msg(t2, support, -38, 15 * 60, "Erledigt: Im Portal steht jede Rechnung jetzt auch als XRechnung (UBL und CII) zum Download bereit.");
  ctx.tables.support_tickets.push({
    id: rng.uuid(), account_id: ctx.byKey.get("nordhavn")!.id, location_id: null, number: "T-1002",
    subject: "Spare seals for CN 32 pumps", category: "product", priority: "normal", status: "open",
    related_entity_type: null, related_entity_id: null, created_by_user_id: u("buyer@nordhavn.example").id,
    assigned_to_user_id: null, client_mutation_id: null, created_at: cal.at(-3, 13 * 60), closed_at: null,
  });
  ctx.tables.ticket_messages.push({
    id: rng.uuid(), account_id: ctx.byKey.get("nordhavn")!.id, location_id: null,
    ticket_id: ctx.tables.support_tickets[2].id, author_user_id: u("buyer@nordhavn.example").id,
    body: "Could you quote 10 mechanical seal kits for our CN 32-160 pumps, delivery to Esbjerg?", is_internal: false,
    client_mutation_id: null, created_at: cal.at(-3, 13 * 60),
  });

  // A return request for a delivered line of a credited order.
  const delivered = orders.find((o) => o.status === "completed" && o.shipments.length === 1 && o.lines.some((l) => l.product.kind === "goods"))!;
  const dn = ctx.tables.delivery_notes.find((d) => d.sales_order_id === delivered.id)!;
  const rrId = rng.uuid();
  const rrLine = delivered.lines.find((l) => l.product.kind === "goods")!;
  ctx.tables.return_requests.push({
    id: rrId, erp_id: null, erp_version: 0, account_id: kessler.id, location_id: delivered.loc.id, number: "RMA-1000",
    sales_order_id: delivered.id, delivery_note_id: dn.id, invoice_id: delivered.invoices[0]?.id ?? null,
    requested_by_user_id: u("buyer@kessler.example").id, reason: "damaged",
    comment: "Verpackung bei Anlieferung beschädigt, Gehäuse gerissen. Fotos folgen per E-Mail.",
    status: "approved", decided_by_user_id: support.id, decided_at: cal.at(-3, 14 * 60),
    decision_note: "Rücksendung genehmigt, Abholung durch DHL wird beauftragt.", client_mutation_id: null,
    created_at: cal.at(-4, 9 * 60),
  });
  ctx.tables.return_request_lines.push({
    id: rng.uuid(), account_id: kessler.id, location_id: delivered.loc.id, return_request_id: rrId, line_no: 1,
    sales_order_line_id: rrLine.id, sku: rrLine.product.sku, description: rrLine.product.de,
    quantity: qty(rrLine.product.qty[2] * 1000), unit: rrLine.product.unit, created_at: cal.at(-4, 9 * 60),
  });

  // Notifications for the Kessler contacts.
  const note = (email: string, kind: string, title: string, body: string, link: string, day: number, read: boolean) =>
    ctx.tables.notifications.push({
      id: rng.uuid(), user_id: u(email).id, account_id: kessler.id, kind, title, body, link,
      read_at: read ? cal.at(day, 16 * 60) : null, created_at: cal.at(day, 7 * 60 + 30),
    });
  const ship = inTransit.shipments[0];
  note("buyer@kessler.example", "shipment.shipped", `Sendung ${ship.row.number as string} ist unterwegs`, `${ship.row.carrier as string}, Sendungsnummer ${ship.row.tracking_number as string}`, `/shipments/${ship.id}`, -2, false);
  note("buyer@kessler.example", "order.partially_shipped", `Teillieferung zu Auftrag ${partial.row.number as string}`, "Die Restmenge folgt.", `/orders/${partial.id}`, -12, true);
  note("finance@kessler.example", "invoice.overdue", `Rechnung ${overdue.row.number as string} ist überfällig`, `Offener Betrag ${overdue.row.amount_due as string} EUR`, `/invoices/${overdue.id}`, -5, false);
  note("admin@kessler.example", "quote.received", "Neues Angebot", "Ein neues Angebot liegt zur Freigabe bereit.", "/quotes", -6, false);

  // Sign-up requests.
  ctx.tables.signup_requests.push(
    { id: rng.uuid(), email: "einkauf@weber-kaeltetechnik.example", name: "Petra Weber", company_name: "Weber Kältetechnik GmbH", vat_id: germanVatId(rng), customer_number: null, phone: "+49 621 4477-0", message: "Wir sind Neukunde und möchten Bestellungen online verfolgen.", language: "de", status: "pending", decided_by: null, decided_at: null, decision_note: null, account_id: null, user_id: null, created_at: cal.at(-2, 10 * 60) },
    { id: rng.uuid(), email: "procurement@brightwater-pumps.example", name: "Oliver Grant", company_name: "Brightwater Pumps Ltd", vat_id: `GB${rng.digits(9)}`, customer_number: "10031", phone: null, message: "Existing customer, please give me access to our invoices.", language: "en", status: "pending", decided_by: null, decided_at: null, decision_note: null, account_id: null, user_id: null, created_at: cal.at(-1, 15 * 60) },
    { id: rng.uuid(), email: "info@mueller-privat.example", name: "Hans Müller", company_name: "Privat", vat_id: null, customer_number: null, phone: null, message: "Ich möchte eine Pumpe kaufen.", language: "de", status: "rejected", decided_by: sales.id, decided_at: cal.at(-20, 11 * 60), decision_note: "Privatkunde – bitte an den Fachhandel verweisen.", account_id: null, user_id: null, created_at: cal.at(-21, 18 * 60) },
  );

  // ERP connection: an API key (its secret is unknown, so it cannot be used), import runs and a rejected record.
  const keyId = rng.uuid();
  ctx.tables.api_keys.push({ id: keyId, name: "ERP push (Brandt ERP)", key_prefix: "llk_7d3e", key_hash: sha256(`demo-api-key:${rng.hex(32)}`), scopes: ["erp:write"], created_by: admin.id, created_at: cal.at(-200, 9 * 60), last_used_at: cal.at(-1, 22 * 60), expires_at: null, revoked_at: null });
  const runs: [string, string, number, number, number, number, string][] = [
    ["api", "sales_orders", 3, 1, 0, 0, "succeeded"],
    ["api", "invoices", 2, 2, 1, 0, "succeeded"],
    ["csv", "invoices", 1, 40, 3, 1, "partial"],
  ];
  let rejectedRun = "";
  runs.forEach(([source, entity, days, inserted, updated, rejected, status], i) => {
    const id = rng.uuid();
    if (rejected) rejectedRun = id;
    ctx.tables.import_runs.push({
      id, source, entity, api_key_id: source === "api" ? keyId : null, started_by: source === "csv" ? support.id : null,
      file_name: source === "csv" ? "rechnungen_export.csv" : null, started_at: cal.at(-days, 22 * 60 + i),
      finished_at: cal.at(-days, 22 * 60 + i + 1), status, inserted_count: inserted, updated_count: updated,
      unchanged_count: 12 * (i + 1), rejected_count: rejected, error: null,
    });
  });
  ctx.tables.rejected_records.push({
    id: rng.uuid(), import_run_id: rejectedRun, source: "csv", entity: "invoices", erp_id: "9099999901",
    raw_payload: "9099999901;INV-EXT-0001;99999;2024-13-01;EUR;1.190,00",
    errors: [
      { path: "customer_number", message: "unknown customer number 99999" },
      { path: "issue_date", message: "not a valid date: 2024-13-01" },
    ],
    created_at: cal.at(-1, 22 * 60 + 3), resolved_at: null, resolved_by: null, resolution_note: null,
  });

  // A few audit events, so the trail is not empty.
  const ev = (actor: User, action: string, day: number, min: number, entityType: string | null, entityId: string | null, accountId: string | null, details: Row = {}) =>
    ctx.tables.audit_events.push({
      at: cal.at(day, min), actor_user_id: actor.id, impersonator_user_id: null, account_id: accountId, action,
      entity_type: entityType, entity_id: entityId, ip: "203.0.113.17", user_agent: "Mozilla/5.0 (demo data)", details,
    });
  ev(u("finance@kessler.example"), "auth.login", -5, 8 * 60, "user", u("finance@kessler.example").id, kessler.id);
  ev(u("finance@kessler.example"), "document.view", -5, 8 * 60 + 2, "invoice", overdue.id, kessler.id, { number: overdue.row.number });
  ev(u("finance@kessler.example"), "document.download", -5, 8 * 60 + 3, "invoice", overdue.id, kessler.id, { number: overdue.row.number, format: "pdf" });
  ev(u("buyer@kessler.example"), "auth.login", -2, 9 * 60, "user", u("buyer@kessler.example").id, kessler.id);
  ev(support, "auth.login", -3, 7 * 60 + 45, "user", support.id, null);
  ev(support, "return.approved", -3, 14 * 60, "return_request", rrId, kessler.id, { number: "RMA-1000" });
}
