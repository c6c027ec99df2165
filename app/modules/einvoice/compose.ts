import { cents, expectedLineNetCents, money, percentOfCents, roundDiv, toUnits } from "./decimal";
import type { AllowanceChargeModel, InvoiceLineModel, InvoiceModel, Party, VatBreakdownModel, VatCategory } from "./model";

/**
 * Builds a complete, consistent invoice model from lines and document-level allowances/charges:
 * line net amounts, the VAT breakdown per category and rate (tax rounded once per group, BR-CO-17)
 * and the totals (BR-CO-10 … 16) computed exactly as the ERP does. Used by the case table, the
 * benchmark and the samples script; the database path (load.server.ts) reads what the ERP stored.
 */

export interface LineInput {
  quantity: string;
  unit?: string;
  unitPrice: string;
  priceBaseQuantity?: string;
  allowanceAmount?: string;
  chargeAmount?: string;
  itemName: string;
  sellerItemId?: string;
  vatCategory: VatCategory;
  vatRate: string;
}

export const EXEMPTION: Partial<Record<VatCategory, { code: string; reason: string }>> = {
  AE: { code: "VATEX-EU-AE", reason: "Reverse charge" },
  K: { code: "VATEX-EU-IC", reason: "Intra-Community supply" },
  G: { code: "VATEX-EU-G", reason: "Export outside the EU" },
  E: { code: "VATEX-EU-132-1I", reason: "Exempt under Article 132(1)(i) of Directive 2006/112/EC" },
};

export function composeLines(inputs: LineInput[]): InvoiceLineModel[] {
  return inputs.map((l, i) => {
    const line = {
      id: String(i + 1),
      quantity: l.quantity,
      unit: l.unit ?? "C62",
      unitPrice: l.unitPrice,
      priceBaseQuantity: l.priceBaseQuantity ?? "1",
      allowanceAmount: l.allowanceAmount ?? "0.00",
      allowanceReason: l.allowanceAmount ? "Discount" : null,
      chargeAmount: l.chargeAmount ?? "0.00",
      chargeReason: l.chargeAmount ? "Surcharge" : null,
      netAmount: "0.00",
      itemName: l.itemName,
      sellerItemId: l.sellerItemId ?? null,
      vatCategory: l.vatCategory,
      vatRate: l.vatRate,
    };
    return { ...line, netAmount: money(expectedLineNetCents(line)) };
  });
}

export function composeBreakdown(lines: InvoiceLineModel[], acs: AllowanceChargeModel[]): VatBreakdownModel[] {
  const groups = new Map<string, { category: VatCategory; rate: string; taxable: bigint }>();
  const add = (category: VatCategory, rate: string, amount: bigint) => {
    const key = `${category}|${toUnits(rate, 2)}`;
    const group = groups.get(key) ?? { category, rate, taxable: 0n };
    group.taxable += amount;
    groups.set(key, group);
  };
  for (const l of lines) add(l.vatCategory, l.vatRate, cents(l.netAmount));
  for (const a of acs) add(a.vatCategory, a.vatRate, (a.isCharge ? 1n : -1n) * cents(a.amount));
  return [...groups.values()].map((g) => ({
    category: g.category,
    rate: g.rate,
    taxableAmount: money(g.taxable),
    taxAmount: money(g.category === "S" ? percentOfCents(g.taxable, g.rate) : 0n),
    exemptionReason: EXEMPTION[g.category]?.reason ?? null,
    exemptionReasonCode: EXEMPTION[g.category]?.code ?? null,
  }));
}

export interface ComposeInput {
  number: string;
  kind?: "invoice" | "credit_note";
  issueDate: string;
  dueDate?: string | null;
  currency?: string;
  /** VAT accounting currency (BT-6) and the rate from the invoice currency into it. */
  taxCurrency?: { code: string; rate: string } | null;
  seller: Party;
  buyer: Party;
  lines: LineInput[];
  allowanceCharges?: AllowanceChargeModel[];
  prepaid?: string;
  buyerReference?: string | null;
  precedingInvoice?: { number: string; issueDate: string } | null;
  paymentTerms?: string | null;
  iban?: string | null;
}

export function composeInvoice(input: ComposeInput): InvoiceModel {
  const lines = composeLines(input.lines);
  const acs = input.allowanceCharges ?? [];
  const vatBreakdown = composeBreakdown(lines, acs);
  const lineNet = lines.reduce((s, l) => s + cents(l.netAmount), 0n);
  const allowances = acs.filter((a) => !a.isCharge).reduce((s, a) => s + cents(a.amount), 0n);
  const charges = acs.filter((a) => a.isCharge).reduce((s, a) => s + cents(a.amount), 0n);
  const taxExclusive = lineNet - allowances + charges;
  const tax = vatBreakdown.reduce((s, b) => s + cents(b.taxAmount), 0n);
  const prepaid = cents(input.prepaid ?? "0.00");
  const kind = input.kind ?? "invoice";
  const taxInTaxCurrency = input.taxCurrency ? money(roundDiv(tax * toUnits(input.taxCurrency.rate, 6), 1_000_000n)) : null;
  return {
    id: `case-${input.number}`,
    kind,
    number: input.number,
    issueDate: input.issueDate,
    typeCode: kind === "credit_note" ? "381" : "380",
    currency: input.currency ?? "EUR",
    taxCurrency: input.taxCurrency?.code ?? null,
    taxPointDate: null,
    dueDate: input.dueDate === undefined ? (kind === "invoice" ? addDays(input.issueDate, 30) : null) : input.dueDate,
    buyerReference: input.buyerReference ?? null,
    orderReference: "PO-4711",
    salesOrderNumber: "SO-2026-0042",
    note: null,
    paymentTerms: input.paymentTerms === undefined ? (kind === "invoice" ? "Payable within 30 days without deduction." : "Refund within 14 days.") : input.paymentTerms,
    precedingInvoice: input.precedingInvoice ?? null,
    precedingInvoiceMissing: false,
    deliveryDate: input.issueDate,
    invoicingPeriod: null,
    seller: input.seller,
    buyer: input.buyer,
    deliverTo: { name: input.buyer.name, address: { ...input.buyer.address } },
    payment: {
      meansCode: (input.currency ?? "EUR") === "EUR" ? "58" : "30",
      reference: input.number,
      iban: input.iban === undefined ? "DE45600501010665949060" : input.iban,
      accountName: input.seller.name,
      bic: "SOLADEST600",
    },
    lines,
    allowanceCharges: acs,
    vatBreakdown,
    totals: {
      lineNet: money(lineNet),
      allowances: money(allowances),
      charges: money(charges),
      taxExclusive: money(taxExclusive),
      tax: money(tax),
      taxInTaxCurrency,
      taxInclusive: money(taxExclusive + tax),
      prepaid: money(prepaid),
      rounding: "0.00",
      due: money(taxExclusive + tax - prepaid),
    },
  };
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
