import { z } from "zod";
import { cents, extendLine, fromCents, percentOf, sumCents } from "./cents";
import { checkUniqueErpIds, checkUniqueLineNumbers, settleTotal } from "./checks";
import {
  bool,
  currency,
  decimal,
  erpId,
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
  vatCategory,
  versioned,
} from "./fields";

/**
 * Invoices and credit notes (EN 16931 business terms) with lines, document-level allowances and
 * charges, the VAT breakdown and payments; and payments on their own. Totals the ERP leaves out are
 * computed; totals it sends must add up (BR-CO-10…17), so a record never fails on a database CHECK.
 */

export const CREDIT_NOTE_TYPE_CODES = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"] as const;
const EXEMPT_NEEDS_REASON = new Set(["E", "AE", "K", "G", "O"]);
const ZERO_RATED = new Set(["Z", "E", "AE", "K", "G", "O"]);

export const InvoiceLineShape = z.strictObject({
  erpId: erpId().optional().meta({ description: "The ERP's id of the line; default: <invoice erpId>/<lineNo>" }),
  lineNo: integer(1).meta({ description: "BT-126" }),
  salesOrderLineErpId: optionalRef("sales order line invoiced"),
  sku: optionalText(64),
  description: text(500).meta({ description: "BT-153 item name" }),
  quantity: quantity().meta({ description: "BT-129; may be negative" }),
  unit: unitCode(),
  unitPrice: unitPrice().meta({ description: "BT-146 item net price" }),
  priceBaseQuantity: quantity({ positive: true }).prefault(1),
  lineAllowanceAmount: money({ min: 0 }).prefault(0),
  lineChargeAmount: money({ min: 0 }).prefault(0),
  netAmount: money().optional().meta({ description: "BT-131; default: quantity × unitPrice / priceBaseQuantity − allowance + charge" }),
  vatCategory: vatCategory(),
  vatRate: percent().prefault(0),
  vatExemptionReason: optionalText(500),
});

export const TaxBreakdownShape = z.strictObject({
  vatCategory: vatCategory(),
  vatRate: percent().prefault(0),
  taxableAmount: money(),
  taxAmount: money(),
  exemptionReason: optionalText(500),
  exemptionReasonCode: optionalText(30),
});

export const AllowanceChargeShape = z.strictObject({
  isCharge: bool(),
  amount: money({ min: 0 }),
  baseAmount: money()
    .nullish()
    .transform((v) => v ?? null),
  percent: decimal(4, 3)
    .nullish()
    .transform((v) => v ?? null),
  reason: optionalText(500),
  reasonCode: optionalText(10),
  vatCategory: vatCategory(),
  vatRate: percent().prefault(0),
});

const paymentFields = {
  paidAt: isoDate(),
  amount: money({ positive: true }),
  method: optionalText(50).meta({ description: "sepa_credit_transfer, sepa_direct_debit, credit_transfer, refund, …" }),
  reference: optionalText(200),
};

export const InvoicePaymentShape = z.strictObject({
  erpId: erpId(),
  ...paymentFields,
  currency: currency().optional().meta({ description: "Default: the invoice's currency" }),
});

export const InvoiceShape = z.strictObject({
  ...versioned,
  accountErpId: erpRef("account"),
  locationErpId: optionalRef("location (of the same account)"),
  costCenterErpId: optionalRef("cost center (of the same account)"),
  salesOrderErpId: optionalRef("sales order invoiced"),
  precedingInvoiceErpId: optionalRef("invoice this one corrects (BG-3)"),
  typeCode: z
    .string({ error: "must be a UNTDID 1001 code like 380" })
    .trim()
    .regex(/^[0-9]{1,3}$/, "must be a UNTDID 1001 code like 380")
    .optional()
    .meta({ description: "BT-3; default 380 for invoices, 381 for credit notes" }),
  number: text(40).meta({ description: "BT-1" }),
  issueDate: isoDate(),
  dueDate: optionalDate(),
  taxPointDate: optionalDate(),
  deliveryDate: optionalDate(),
  servicePeriodStart: optionalDate(),
  servicePeriodEnd: optionalDate(),
  currency: currency(),
  taxCurrency: currency()
    .nullish()
    .transform((v) => v ?? null),
  buyerReference: optionalText(100),
  customerReference: optionalText(100),
  lineNetTotal: money().optional().meta({ description: "BT-106; default: the sum of the lines' netAmount" }),
  allowanceTotal: money({ min: 0 }).optional(),
  chargeTotal: money({ min: 0 }).optional(),
  netAmount: money().optional().meta({ description: "BT-109; default: lineNetTotal − allowanceTotal + chargeTotal" }),
  taxAmount: money().optional().meta({ description: "BT-110; default: the sum of the VAT breakdown" }),
  taxAmountInTaxCurrency: money()
    .nullish()
    .transform((v) => v ?? null),
  grossAmount: money().optional().meta({ description: "BT-112; default: netAmount + taxAmount" }),
  prepaidAmount: money({ min: 0 }).prefault(0),
  paidAmount: money({ min: 0 }).optional().meta({ description: "Default: the sum of payments (0 without payments)" }),
  amountDue: money().optional().meta({ description: "Default: grossAmount − prepaidAmount − paidAmount" }),
  status: oneOf(["open", "partially_paid", "paid", "cancelled"]).optional().meta({ description: "Default: from amountDue and paidAmount" }),
  paymentTerms: optionalText(1000),
  paymentMeansCode: z
    .string({ error: "must be a UNTDID 4461 code like 58" })
    .trim()
    .regex(/^[0-9A-Z]{1,3}$/, "must be a UNTDID 4461 code like 58")
    .default("58"),
  paymentReference: optionalText(140),
  note: optionalText(2000),
  lines: z.array(InvoiceLineShape, { error: "must be a list of lines" }).min(1, "must have at least one line").max(2000, "has too many lines (at most 2000)"),
  taxBreakdown: z
    .array(TaxBreakdownShape, { error: "must be a list of VAT groups" })
    .max(50, "has too many VAT groups")
    .optional()
    .meta({ description: "BG-23; default: computed from the lines and allowances/charges, tax rounded once per group" }),
  allowanceCharges: z.array(AllowanceChargeShape, { error: "must be a list" }).max(100, "has too many entries").default([]),
  payments: z
    .array(InvoicePaymentShape, { error: "must be a list of payments" })
    .max(500, "has too many payments")
    .optional()
    .meta({ description: "Absent: the invoice's payments stay as they are; []: removes them" }),
});

type InvoiceInput = z.output<typeof InvoiceShape>;
type Breakdown = z.output<typeof TaxBreakdownShape>;

function checkInvoice(kind: "invoice" | "credit_note") {
  return (record: InvoiceInput, ctx: z.RefinementCtx) => {
    requireVersion(record, ctx);
    checkUniqueLineNumbers(record.lines, "lines", ctx);
    checkUniqueErpIds(record.lines, "lines", ctx);
    checkUniqueErpIds(record.payments ?? [], "payments", ctx);
    if (record.typeCode) {
      const isCredit = (CREDIT_NOTE_TYPE_CODES as readonly string[]).includes(record.typeCode);
      if (isCredit !== (kind === "credit_note")) {
        ctx.addIssue({
          code: "custom",
          path: ["typeCode"],
          message: kind === "invoice" ? `${record.typeCode} is a credit-note type code: send it to credit-notes` : `${record.typeCode} is not a credit-note type code (381, 396, …)`,
        });
      }
    }
    if (record.servicePeriodStart && record.servicePeriodEnd && record.servicePeriodEnd < record.servicePeriodStart) {
      ctx.addIssue({ code: "custom", path: ["servicePeriodEnd"], message: "must not be before servicePeriodStart" });
    }
    if (record.taxCurrency && record.taxAmountInTaxCurrency === null) {
      ctx.addIssue({ code: "custom", path: ["taxAmountInTaxCurrency"], message: "is required when taxCurrency is given (BT-111)" });
    }
    const rateRules = (category: string, rate: string, path: (string | number)[]) => {
      if (category === "S" && !(Number(rate) > 0)) ctx.addIssue({ code: "custom", path, message: "must be greater than 0 for VAT category S" });
      if (ZERO_RATED.has(category) && Number(rate) !== 0) ctx.addIssue({ code: "custom", path, message: `must be 0 for VAT category ${category}` });
    };
    record.lines.forEach((l, i) => rateRules(l.vatCategory, l.vatRate, ["lines", i, "vatRate"]));
    record.allowanceCharges.forEach((a, i) => {
      rateRules(a.vatCategory, a.vatRate, ["allowanceCharges", i, "vatRate"]);
      if (!a.reason && !a.reasonCode) ctx.addIssue({ code: "custom", path: ["allowanceCharges", i, "reason"], message: "or reasonCode is required (BR-33, BR-38)" });
    });
    record.taxBreakdown?.forEach((b, i) => {
      rateRules(b.vatCategory, b.vatRate, ["taxBreakdown", i, "vatRate"]);
      const hasReason = Boolean(b.exemptionReason || b.exemptionReasonCode);
      if (EXEMPT_NEEDS_REASON.has(b.vatCategory) && !hasReason) {
        ctx.addIssue({ code: "custom", path: ["taxBreakdown", i, "exemptionReason"], message: `or exemptionReasonCode is required for VAT category ${b.vatCategory}` });
      }
      if ((b.vatCategory === "S" || b.vatCategory === "Z") && hasReason) {
        ctx.addIssue({ code: "custom", path: ["taxBreakdown", i, "exemptionReason"], message: `must be empty for VAT category ${b.vatCategory}` });
      }
    });
  };
}

/** The VAT groups of the lines and document-level allowances/charges, tax rounded once per group (BR-CO-17). */
function computeBreakdown(record: InvoiceInput, lineNets: bigint[], ctx: z.RefinementCtx): Breakdown[] {
  const groups = new Map<string, { vatCategory: Breakdown["vatCategory"]; vatRate: string; taxable: bigint; reason: string | null; reasonLine: number }>();
  const add = (category: Breakdown["vatCategory"], rate: string, amount: bigint, reason: string | null, line: number) => {
    const key = `${category}|${rate}`;
    const group = groups.get(key) ?? { vatCategory: category, vatRate: rate, taxable: 0n, reason: null, reasonLine: line };
    group.taxable += amount;
    group.reason ??= reason;
    groups.set(key, group);
  };
  record.lines.forEach((l, i) => add(l.vatCategory, l.vatRate, lineNets[i], l.vatExemptionReason, i));
  for (const a of record.allowanceCharges) add(a.vatCategory, a.vatRate, a.isCharge ? cents(a.amount) : -cents(a.amount), a.reason, -1);
  return [...groups.values()].map((g) => {
    if (EXEMPT_NEEDS_REASON.has(g.vatCategory) && !g.reason) {
      ctx.addIssue({
        code: "custom",
        path: g.reasonLine >= 0 ? ["lines", g.reasonLine, "vatExemptionReason"] : ["taxBreakdown"],
        message: `is required for VAT category ${g.vatCategory} (or send taxBreakdown)`,
      });
    }
    const exempt = !(g.vatCategory === "S" || g.vatCategory === "Z" || g.vatCategory === "L" || g.vatCategory === "M");
    return {
      vatCategory: g.vatCategory,
      vatRate: g.vatRate,
      taxableAmount: fromCents(g.taxable),
      taxAmount: fromCents(percentOf(g.taxable, g.vatRate)),
      exemptionReason: exempt ? g.reason : null,
      exemptionReasonCode: null,
    };
  });
}

/** Fills every total the ERP left out (and the type code) and checks the ones it sent. */
function settleInvoice(record: InvoiceInput, ctx: z.RefinementCtx, defaultTypeCode: string) {
  // Each line's net in cents, as computed: the line carries it as text either way (a differing one is an issue).
  const lineNets: bigint[] = [];
  const lines = record.lines.map((l, i) => {
    const computed = extendLine(l.quantity, l.unitPrice, l.priceBaseQuantity) - cents(l.lineAllowanceAmount) + cents(l.lineChargeAmount);
    const netAmount = settleTotal(l.netAmount, computed, ["lines", i, "netAmount"], "quantity × unitPrice / priceBaseQuantity − allowance + charge", ctx);
    lineNets.push(computed);
    return { ...l, netAmount };
  });
  const lineNetTotal = settleTotal(record.lineNetTotal, lineNets.reduce((a, b) => a + b, 0n), ["lineNetTotal"], "the sum of the lines' netAmount", ctx);
  const allowances = record.allowanceCharges.filter((a) => !a.isCharge).map((a) => a.amount);
  const charges = record.allowanceCharges.filter((a) => a.isCharge).map((a) => a.amount);
  const allowanceTotal = settleTotal(record.allowanceTotal, sumCents(allowances), ["allowanceTotal"], "the sum of the allowances", ctx);
  const chargeTotal = settleTotal(record.chargeTotal, sumCents(charges), ["chargeTotal"], "the sum of the charges", ctx);
  const net = cents(lineNetTotal) - cents(allowanceTotal) + cents(chargeTotal);
  const netAmount = settleTotal(record.netAmount, net, ["netAmount"], "lineNetTotal − allowanceTotal + chargeTotal", ctx);
  const taxBreakdown = record.taxBreakdown ?? computeBreakdown(record, lineNets, ctx);
  const taxable = sumCents(taxBreakdown.map((b) => b.taxableAmount));
  if (record.taxBreakdown && taxable !== net) {
    ctx.addIssue({
      code: "custom",
      path: ["taxBreakdown"],
      message: `taxable amounts add up to ${fromCents(taxable)} but must add up to netAmount (${fromCents(net)})`,
    });
  }
  const tax = sumCents(taxBreakdown.map((b) => b.taxAmount));
  const taxAmount = settleTotal(record.taxAmount, tax, ["taxAmount"], "the sum of the VAT breakdown", ctx);
  const grossAmount = settleTotal(record.grossAmount, net + tax, ["grossAmount"], "netAmount + taxAmount", ctx);
  const payments = record.payments?.map((p) => ({ ...p, currency: p.currency ?? record.currency }));
  const paid = payments ? sumCents(payments.map((p) => p.amount)) : cents(record.paidAmount ?? "0");
  const paidAmount = settleTotal(record.paidAmount, paid, ["paidAmount"], "the sum of the payments", ctx);
  const due = net + tax - cents(record.prepaidAmount) - paid;
  const amountDue = settleTotal(record.amountDue, due, ["amountDue"], "grossAmount − prepaidAmount − paidAmount", ctx);
  const status = record.status ?? (due <= 0n ? "paid" : paid > 0n ? "partially_paid" : "open");
  const typeCode = record.typeCode ?? defaultTypeCode;
  // One copy of the record (not one here and another for the type code): a batch settles 500 of them.
  return { ...record, lines, lineNetTotal, allowanceTotal, chargeTotal, netAmount, taxBreakdown, taxAmount, grossAmount, payments, paidAmount, amountDue, status, typeCode };
}

export const InvoiceSchema = InvoiceShape.superRefine(checkInvoice("invoice")).transform((record, ctx) => settleInvoice(record, ctx, "380"));

export const CreditNoteSchema = InvoiceShape.superRefine(checkInvoice("credit_note")).transform((record, ctx) => settleInvoice(record, ctx, "381"));

export const PaymentShape = z.strictObject({
  ...versioned,
  invoiceErpId: erpRef("invoice or credit note paid (the payment belongs to its account)"),
  ...paymentFields,
  currency: currency(),
});

export const PaymentSchema = PaymentShape.superRefine(requireVersion);
