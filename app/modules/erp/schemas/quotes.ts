import { z } from "zod";
import { sumCents } from "./cents";
import { checkUniqueLineNumbers, settleGross, settleTotal } from "./checks";
import {
  currency,
  erpRef,
  integer,
  isoDate,
  money,
  oneOf,
  optionalDate,
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

/** Quotes with their lines, and account statements. */

export const QuoteLineShape = z.strictObject({
  lineNo: integer(1),
  sku: optionalText(64),
  description: text(500),
  quantity: quantity({ min: 0 }),
  unit: unitCode(),
  unitPrice: unitPrice(),
  discountPercent: percent().prefault(0),
  vatRate: percent().prefault(0),
  netAmount: money(),
});

export const QuoteShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  salesOrderErpId: optionalRef("sales order the accepted quote became"),
  number: text(40),
  issueDate: isoDate(),
  validUntil: optionalDate(),
  status: oneOf(["draft", "sent", "accepted", "rejected", "expired", "withdrawn"]).default("sent"),
  currency: currency(),
  netAmount: money().optional().meta({ description: "Default: the sum of the lines' netAmount" }),
  taxAmount: money(),
  grossAmount: money().optional().meta({ description: "Default: netAmount + taxAmount" }),
  customerReference: optionalText(100),
  note: optionalText(2000),
  lines: z.array(QuoteLineShape, { error: "must be a list of lines" }).max(2000, "has too many lines (at most 2000)"),
});

export const QuoteSchema = QuoteShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  checkUniqueLineNumbers(record.lines, "lines", ctx);
  if (record.validUntil && record.validUntil < record.issueDate) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], message: "must not be before issueDate" });
  }
}).transform((record, ctx) => {
  const netAmount = settleTotal(record.netAmount, sumCents(record.lines.map((l) => l.netAmount)), ["netAmount"], "the sum of the lines' netAmount", ctx);
  return { ...record, netAmount, grossAmount: settleGross({ ...record, netAmount }, ctx) };
});

export const StatementShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  number: optionalText(40),
  periodStart: isoDate(),
  periodEnd: isoDate(),
  openingBalance: money(),
  closingBalance: money(),
  currency: currency(),
  issueDate: isoDate(),
});

export const StatementSchema = StatementShape.superRefine((record, ctx) => {
  requireVersion(record, ctx);
  if (record.periodEnd < record.periodStart) {
    ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "must not be before periodStart" });
  }
});
