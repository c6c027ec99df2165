import { z } from "zod";
import { checkUniqueErpIds, checkUniqueLineNumbers } from "./checks";
import {
  decimal,
  erpId,
  erpRef,
  integer,
  isoDate,
  oneOf,
  optionalDateTime,
  optionalRef,
  optionalText,
  quantity,
  requireVersion,
  text,
  unitCode,
  dateTime,
  versioned,
} from "./fields";

/** Shipments with their lines and carrier tracking events, and delivery notes with their lines. */

const SHIPMENT_STATUSES = ["pending", "in_transit", "out_for_delivery", "delivered", "exception", "returned"] as const;

export const ShipmentLineShape = z.strictObject({
  erpId: erpId().optional().meta({ description: "The ERP's id of the line; default: <shipment erpId>/<lineNo>" }),
  lineNo: integer(1)
    .nullish()
    .transform((v) => v ?? null),
  salesOrderLineErpId: optionalRef("sales order line shipped"),
  sku: optionalText(64),
  description: text(500),
  quantity: quantity({ min: 0 }),
  unit: unitCode(),
});

export const TrackingEventShape = z.strictObject({
  erpId: erpId().optional().meta({ description: "The ERP's id of the event; default: <shipment erpId>/<occurredAt>/<statusCode>" }),
  occurredAt: dateTime(),
  statusCode: text(10).meta({ description: "PU picked up, DP departed, AR arrived, OD out for delivery, DL delivered, EX exception" }),
  description: optionalText(500),
  place: optionalText(200),
});

export const ShipmentShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  salesOrderErpId: optionalRef("sales order shipped"),
  number: text(40),
  carrier: optionalText(100),
  service: optionalText(100),
  trackingNumber: optionalText(100),
  trackingUrl: optionalText(1000),
  status: oneOf(SHIPMENT_STATUSES).default("pending"),
  shippedAt: optionalDateTime(),
  estimatedDeliveryAt: optionalDateTime(),
  deliveredAt: optionalDateTime(),
  packageCount: integer(1, 100_000)
    .nullish()
    .transform((v) => v ?? null),
  grossWeightKg: decimal(3, 7, { min: 0 })
    .nullish()
    .transform((v) => v ?? null),
  shipTo: optionalText(500),
  lines: z.array(ShipmentLineShape, { error: "must be a list of lines" }).max(2000, "has too many lines (at most 2000)"),
  trackingEvents: z
    .array(TrackingEventShape, { error: "must be a list of tracking events" })
    .max(500, "has too many tracking events (at most 500)")
    .optional()
    .meta({ description: "Absent: the shipment's tracking events stay as they are; []: removes them" }),
});

export const ShipmentSchema = ShipmentShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  checkUniqueLineNumbers(record.lines, "lines", ctx);
  checkUniqueErpIds(record.lines, "lines", ctx);
  checkUniqueErpIds(record.trackingEvents ?? [], "trackingEvents", ctx);
  if (record.shippedAt && record.deliveredAt && Date.parse(record.deliveredAt) < Date.parse(record.shippedAt)) {
    ctx.addIssue({ code: "custom", path: ["deliveredAt"], message: "must not be before shippedAt" });
  }
});

export const DeliveryNoteLineShape = z.strictObject({
  lineNo: integer(1),
  salesOrderLineErpId: optionalRef("sales order line delivered"),
  sku: optionalText(64),
  description: text(500),
  quantityDelivered: quantity({ min: 0 }),
  quantityBackordered: quantity({ min: 0 }).prefault(0),
  unit: unitCode(),
});

export const DeliveryNoteShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  salesOrderErpId: optionalRef("sales order delivered"),
  shipmentErpId: optionalRef("shipment"),
  number: text(40),
  issueDate: isoDate(),
  shipTo: optionalText(500),
  note: optionalText(2000),
  lines: z.array(DeliveryNoteLineShape, { error: "must be a list of lines" }).max(2000, "has too many lines (at most 2000)"),
});

export const DeliveryNoteSchema = DeliveryNoteShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  checkUniqueLineNumbers(record.lines, "lines", ctx);
});
