import { z } from "zod";
import { sumCents } from "./cents";
import { checkUniqueErpIds, checkUniqueLineNumbers, settleGross, settleTotal } from "./checks";
import {
  currency,
  erpId,
  erpRef,
  integer,
  isoDate,
  money,
  oneOf,
  optionalDate,
  optionalDateTime,
  optionalRef,
  optionalText,
  percent,
  quantity,
  requireVersion,
  text,
  unitCode,
  unitPrice,
  versioned,
} from "./fields";

/** Sales orders with their lines and fulfilment milestones, and order confirmations. */

const ORDER_STATUSES = ["open", "confirmed", "in_production", "partially_shipped", "shipped", "completed", "cancelled", "on_hold"] as const;
const LINE_STATUSES = [...ORDER_STATUSES.slice(0, 4), "backordered", ...ORDER_STATUSES.slice(4)] as [string, ...string[]];
const MILESTONE_KINDS = [
  "received", "confirmed", "in_production", "ready_to_ship", "partially_shipped", "shipped", "delivered", "invoiced", "cancelled",
] as const;

export const SalesOrderLineShape = z.strictObject({
  erpId: erpId().optional().meta({ description: "The ERP's id of the line; default: <order erpId>/<lineNo>" }),
  lineNo: integer(1),
  sku: text(64),
  description: text(500),
  unit: unitCode(),
  quantityOrdered: quantity({ min: 0 }),
  quantityShipped: quantity({ min: 0 }).prefault(0),
  quantityBackordered: quantity({ min: 0 }).prefault(0),
  quantityCancelled: quantity({ min: 0 }).prefault(0),
  quantityInvoiced: quantity({ min: 0 }).prefault(0),
  unitPrice: unitPrice(),
  discountPercent: percent().prefault(0),
  vatRate: percent().prefault(0),
  netAmount: money(),
  requestedDate: optionalDate(),
  promisedDate: optionalDate(),
  status: oneOf(LINE_STATUSES).default("open"),
});

export const MilestoneShape = z.strictObject({
  erpId: erpId().optional().meta({ description: "The ERP's id of the milestone; default: <order erpId>/<kind>" }),
  kind: oneOf(MILESTONE_KINDS),
  occurredAt: optionalDateTime().meta({ description: "Set: it happened; null with expectedAt: it is planned" }),
  expectedAt: optionalDateTime(),
  note: optionalText(500),
});

export const SalesOrderShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  costCenterErpId: optionalRef("cost center (of the same account)"),
  buyerContactErpId: optionalRef("contact who ordered"),
  number: text(40),
  customerReference: optionalText(100).meta({ description: "The customer's purchase order number" }),
  buyerName: optionalText(200),
  status: oneOf(ORDER_STATUSES),
  orderDate: isoDate(),
  requestedDeliveryDate: optionalDate(),
  promisedDeliveryDate: optionalDate(),
  currency: currency(),
  netAmount: money().optional().meta({ description: "Default: the sum of the lines' netAmount" }),
  taxAmount: money(),
  grossAmount: money().optional().meta({ description: "Default: netAmount + taxAmount" }),
  incoterms: optionalText(20),
  shippingAddress: optionalText(500),
  note: optionalText(2000),
  lines: z.array(SalesOrderLineShape, { error: "must be a list of lines" }).max(2000, "has too many lines (at most 2000)"),
  milestones: z
    .array(MilestoneShape, { error: "must be a list of milestones" })
    .max(100, "has too many milestones (at most 100)")
    .optional()
    .meta({ description: "Absent: the order's milestones stay as they are; []: removes them" }),
});

export const SalesOrderSchema = SalesOrderShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  checkUniqueLineNumbers(record.lines, "lines", ctx);
  checkUniqueErpIds(record.lines, "lines", ctx);
  checkUniqueErpIds(record.milestones ?? [], "milestones", ctx);
}).transform((record, ctx) => {
  const netAmount = settleTotal(record.netAmount, sumCents(record.lines.map((l) => l.netAmount)), ["netAmount"], "the sum of the lines' netAmount", ctx);
  return { ...record, netAmount, grossAmount: settleGross({ ...record, netAmount }, ctx) };
});

export const OrderConfirmationShape = z.strictObject({
  ...versioned,
  salesOrderErpId: erpRef("sales order confirmed (the confirmation belongs to its account)"),
  number: text(40),
  issueDate: isoDate(),
  currency: currency(),
  netAmount: money(),
  taxAmount: money(),
  grossAmount: money().optional().meta({ description: "Default: netAmount + taxAmount" }),
  promisedDeliveryDate: optionalDate(),
  note: optionalText(2000),
});

export const OrderConfirmationSchema = OrderConfirmationShape.superRefine(requireVersion).transform((record, ctx) => ({
  ...record,
  grossAmount: settleGross(record, ctx),
}));

