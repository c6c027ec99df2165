import { qty } from "../money";
import { CARRIERS, HUBS, type Carrier } from "../reference";
import type { GeneratorContext } from "./context";
import type { InvItem, Numbered, OrderDoc, OrderLine, OrderPlan, ShipDoc } from "./domain";
import type { Row } from "./tables";
import { shippingAddress } from "./text";

/** Shipments with their lines and carrier tracking events, and the delivery note for each. */

export function addShipment(ctx: GeneratorContext, order: OrderDoc, plan: OrderPlan, k: number, shipDay: number, items: InvItem[]): ShipDoc {
  const { acc, loc } = order;
  const { rng } = acc;
  const cal = ctx.cal;
  const deliverDay = plan.deliverDays[k];
  const weight = items.reduce((s, i) => s + (i.qtyMilli / 1000) * i.line.product.kg, 0);
  const zone = acc.country.zone;
  let carrier: Carrier;
  if (acc.country.code === "US") carrier = weight > 70 ? CARRIERS.kn : CARRIERS.ups;
  else if (weight > 250) carrier = CARRIERS.schenker;
  else if (zone === "DE") carrier = rng.weighted([[CARRIERS.dhl, 5], [CARRIERS.dpd, 3], [CARRIERS.ups, 2]] as const);
  else if (weight > 70) carrier = CARRIERS.schenker;
  else carrier = rng.weighted([[CARRIERS.dhl, 3], [CARRIERS.ups, 3], [CARRIERS.dpd, 2], [CARRIERS.dhlExpress, zone === "EXPORT" ? 2 : 0.5]] as const);
  const palletised = carrier === CARRIERS.schenker || carrier === CARRIERS.kn;
  const packages = palletised ? Math.max(1, Math.ceil(weight / 400)) : Math.min(10, Math.max(1, Math.ceil(weight / 25)));
  const grossKg = weight + packages * (palletised ? 25 : 0.8);
  const trackingNumber = carrier.trackingNumber((n) => rng.digits(n));

  // Tracking events, only those that already happened.
  const city = `${loc.city}, ${loc.countryCode}`;
  const hub = `${HUBS[loc.countryCode] ?? "Hub"}, ${loc.countryCode}`;
  const origin = carrier === CARRIERS.schenker ? "Kornwestheim, DE" : "Stuttgart, DE";
  const events: { day: number; min: number; code: string; text: string; place: string }[] = [
    { day: shipDay, min: 15 * 60 + rng.int(0, 90), code: "PU", text: "Shipment picked up", place: "Stuttgart, DE" },
    { day: shipDay, min: 21 * 60 + rng.int(0, 100), code: "DP", text: "Departed origin facility", place: origin },
  ];
  if (zone === "EXPORT") events.push({ day: shipDay + 1, min: 9 * 60 + rng.int(0, 120), code: "CC", text: "Export customs clearance completed", place: "Stuttgart, DE" });
  if (acc.country.code === "US" && carrier === CARRIERS.kn) {
    events.push({ day: shipDay + 3, min: 18 * 60, code: "DP", text: "Vessel departed", place: "Hamburg, DE" });
    events.push({ day: deliverDay - 3, min: 6 * 60, code: "AR", text: "Vessel arrived, import customs cleared", place: hub });
  }
  if (deliverDay - 1 > shipDay) events.push({ day: deliverDay - 1, min: 23 * 60 + rng.int(0, 50), code: "AR", text: "Arrived at destination facility", place: hub });
  const odMin = 5 * 60 + rng.int(0, 25);
  const dlMin = 9 * 60 + rng.int(0, 360);
  const receiver = acc.faker.person.lastName();
  events.push({ day: deliverDay, min: odMin, code: "OD", text: "Out for delivery", place: city });
  events.push({ day: deliverDay, min: dlMin, code: "DL", text: `Delivered, received by ${receiver.toUpperCase()}`, place: city });
  const happened = events.filter((e) => cal.isPast(e.day, e.min));
  const delivered = happened.some((e) => e.code === "DL");
  let status = delivered ? "delivered" : happened.some((e) => e.code === "OD") ? "out_for_delivery" : "in_transit";
  if (!delivered && status === "in_transit" && shipDay <= -2 && rng.chance(plan.exceptionChance)) {
    status = "exception";
    happened.push({ day: -1, min: 17 * 60 + 5, code: "EX", text: "Delivery attempt failed: consignee premises closed. Rescheduled.", place: city });
  }

  const id = rng.uuid();
  const dl = happened.find((e) => e.code === "DL");
  const row: Row = {
    id,
    erp_id: null,
    erp_version: 1 + happened.length,
    account_id: acc.id,
    location_id: loc.id,
    sales_order_id: order.id,
    number: null,
    carrier: carrier.name,
    service: carrier.service,
    tracking_number: trackingNumber,
    tracking_url: carrier.trackingUrl(trackingNumber),
    status,
    shipped_at: cal.at(shipDay, events[0].min),
    estimated_delivery_at: cal.at(deliverDay, 14 * 60),
    delivered_at: dl ? cal.at(dl.day, dl.min) : null,
    package_count: packages,
    gross_weight_kg: (Math.round(grossKg * 1000) / 1000).toFixed(3),
    ship_to: shippingAddress(acc, loc),
  };
  ctx.tables.shipments.push(row);
  const numbered: Numbered = { type: "shipment", day: shipDay, row, children: [] };
  ctx.numbered.push(numbered);
  items.forEach((item, i) => {
    const line: Row = {
      id: rng.uuid(),
      erp_id: null,
      erp_version: 1,
      account_id: acc.id,
      location_id: loc.id,
      shipment_id: id,
      sales_order_line_id: item.line.id,
      line_no: i + 1,
      sku: item.line.product.sku,
      description: item.line.product[acc.lang],
      quantity: qty(item.qtyMilli),
      unit: item.line.product.unit,
    };
    ctx.tables.shipment_lines.push(line);
    numbered.children.push({ row: line, suffix: `/${String((i + 1) * 10).padStart(6, "0")}` });
  });
  happened
    .sort((a, b) => a.day - b.day || a.min - b.min)
    .forEach((e, i) => {
      const ev: Row = {
        id: rng.uuid(),
        erp_id: null,
        erp_version: 1,
        account_id: acc.id,
        location_id: loc.id,
        shipment_id: id,
        occurred_at: cal.at(e.day, e.min),
        status_code: e.code,
        description: e.text,
        place: e.place,
      };
      ctx.tables.tracking_events.push(ev);
      numbered.children.push({ row: ev, suffix: `/T${String(i + 1).padStart(2, "0")}` });
    });
  const ship: ShipDoc = { id, row, day: shipDay, deliverDay, delivered };
  order.shipments.push(ship);
  return ship;
}

export function addDeliveryNote(ctx: GeneratorContext, order: OrderDoc, ship: ShipDoc, lines: { line: OrderLine; delivered: number; backordered: number }[]) {
  const { acc, loc } = order;
  const { rng } = acc;
  const id = rng.uuid();
  const row: Row = {
    id,
    erp_id: null,
    erp_version: 1,
    account_id: acc.id,
    location_id: loc.id,
    sales_order_id: order.id,
    shipment_id: ship.id,
    number: null,
    issue_date: ctx.cal.date(ship.day),
    ship_to: shippingAddress(acc, loc),
    note: null,
  };
  ctx.tables.delivery_notes.push(row);
  ctx.numbered.push({ type: "delivery_note", day: ship.day, row, children: [] });
  let lineNo = 0;
  for (const l of lines) {
    if (l.delivered === 0 && l.backordered === 0) continue;
    lineNo++;
    ctx.tables.delivery_note_lines.push({
      id: rng.uuid(),
      account_id: acc.id,
      location_id: loc.id,
      delivery_note_id: id,
      line_no: lineNo,
      sales_order_line_id: l.line.id,
      sku: l.line.product.sku,
      description: l.line.product[acc.lang],
      quantity_delivered: qty(l.delivered),
      quantity_backordered: qty(l.backordered),
      unit: l.line.product.unit,
    });
  }
  if (lines.some((l) => l.backordered > 0)) {
    row.note = acc.lang === "de" ? "Teillieferung – Restmenge folgt." : "Partial delivery – the remaining quantity follows.";
  }
}
