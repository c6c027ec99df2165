import { cents, expectedLineNetCents, hasAtMostDecimals, money, percentOfCents, toUnits } from "./decimal";
import type { InvoiceModel, Profile, VatCategory } from "./model";

/**
 * The EN 16931 business rules our data can break, and for XRechnung 3.0 the BR-DE rules, checked on
 * the semantic model before any XML is written: an invoice that fails one is refused with the rule
 * and the business term, never exported. Rule ids are the ones the official validators report
 * (CEN schematron: BR-nn, BR-CO-nn, BR-S-nn … BR-IC-nn for category K; KoSIT: BR-DE-nn; the PEPPOL
 * rules XRechnung 3.0 includes). LL-… are the portal's own rules for cases the norm leaves open.
 */

export interface Violation {
  rule: string;
  /** The business term or group that is missing or wrong, e.g. "BT-10 Buyer reference". */
  term: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: Violation[];
  warnings: Violation[];
}

/** UNTDID 1001 codes EN 16931 allows for BT-3 (BR-CL-01), by the document they belong to. */
export const INVOICE_TYPE_CODES = new Set([
  "71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "385", "386", "387", "388", "389", "390",
  "393", "394", "395", "456", "457", "527", "575", "623", "633", "751", "780", "935",
]);
export const CREDIT_NOTE_TYPE_CODES = new Set(["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"]);
/** BR-DE-17: the codes XRechnung expects. */
const XRECHNUNG_TYPE_CODES = new Set(["326", "380", "384", "389", "381", "875", "876", "877"]);
const CREDIT_TRANSFER = new Set(["30", "58"]);
const SUPPORTED_CATEGORIES: VatCategory[] = ["S", "Z", "E", "AE", "K", "G"];

const CATEGORY_NAME: Record<VatCategory, string> = {
  S: "Standard rated",
  Z: "Zero rated goods",
  E: "Exempt from VAT",
  AE: "VAT reverse charge",
  K: "Intra-community supply",
  G: "Export outside the EU",
  O: "Not subject to VAT",
  L: "Canary Islands general indirect tax",
  M: "Tax for production, services and importation in Ceuta and Melilla",
};
/** Rule-id prefix of each category in the CEN schematron (K is "IC"). */
const RULE_PREFIX: Partial<Record<VatCategory, string>> = { S: "BR-S", Z: "BR-Z", E: "BR-E", AE: "BR-AE", K: "BR-IC", G: "BR-G" };
const EXEMPTION_CODE: Partial<Record<VatCategory, string>> = { AE: "VATEX-EU-AE", K: "VATEX-EU-IC", G: "VATEX-EU-G" };

const blank = (value: string | null | undefined) => value === null || value === undefined || value.trim() === "";

export function validateInvoice(invoice: InvoiceModel, profile: Profile): ValidationResult {
  const errors: Violation[] = [];
  const warnings: Violation[] = [];
  const fail = (rule: string, term: string, message: string) => errors.push({ rule, term, message });
  const warn = (rule: string, term: string, message: string) => warnings.push({ rule, term, message });
  const { seller, buyer, totals } = invoice;

  // Mandatory business terms (BR-01 … BR-16).
  if (blank(invoice.number)) fail("BR-02", "BT-1 Invoice number", "An invoice shall have an invoice number.");
  if (blank(invoice.issueDate)) fail("BR-03", "BT-2 Invoice issue date", "An invoice shall have an issue date.");
  if (blank(invoice.typeCode)) fail("BR-04", "BT-3 Invoice type code", "An invoice shall have a type code.");
  if (!/^[A-Z]{3}$/.test(invoice.currency ?? "")) fail("BR-05", "BT-5 Invoice currency code", "An invoice shall have an ISO 4217 currency code.");
  if (blank(seller.name)) fail("BR-06", "BT-27 Seller name", "The seller's legal name is missing (supplier settings).");
  if (blank(buyer.name)) fail("BR-07", "BT-44 Buyer name", "The buyer's name is missing (customer account).");
  if (blank(seller.address.countryCode)) fail("BR-09", "BT-40 Seller country code", "The seller's postal address needs a country code (supplier settings).");
  if (blank(buyer.address.countryCode)) fail("BR-11", "BT-55 Buyer country code", "The buyer's postal address needs a country code (customer account).");
  if (invoice.lines.length === 0) fail("BR-16", "BG-25 Invoice line", "An invoice shall have at least one line.");

  // Code lists.
  const typeCodes = invoice.kind === "credit_note" ? CREDIT_NOTE_TYPE_CODES : INVOICE_TYPE_CODES;
  if (!typeCodes.has(invoice.typeCode)) {
    fail("BR-CL-01", "BT-3 Invoice type code", `Type code ${invoice.typeCode} is not a UNTDID 1001 ${invoice.kind === "credit_note" ? "credit note" : "invoice"} code EN 16931 allows.`);
  }
  if (invoice.taxCurrency && !/^[A-Z]{3}$/.test(invoice.taxCurrency)) fail("BR-CL-05", "BT-6 VAT accounting currency code", "Not an ISO 4217 code.");
  for (const [term, vatId] of [["BT-31 Seller VAT identifier", seller.vatId], ["BT-48 Buyer VAT identifier", buyer.vatId]] as const) {
    if (vatId && !/^[A-Z]{2}/.test(vatId)) fail("BR-CO-09", term, `VAT identifier ${vatId} must start with an ISO 3166-1 country prefix.`);
  }
  if (blank(seller.vatId) && blank(seller.legalRegistration)) {
    fail("BR-CO-26", "BT-31 Seller VAT identifier", "The seller needs a VAT identifier (BT-31) or a legal registration identifier (BT-30).");
  }

  // Credit notes: the right type code and the invoice they correct.
  if (invoice.kind === "credit_note") {
    if (invoice.precedingInvoiceMissing || !invoice.precedingInvoice) {
      fail("LL-CN-01", "BG-3 Preceding invoice reference", "A credit note must name the invoice it corrects; the ERP record has no (existing) preceding invoice.");
    } else if (blank(invoice.precedingInvoice.number)) {
      fail("BR-55", "BT-25 Preceding invoice reference", "Each preceding invoice reference shall contain the preceding invoice number.");
    }
  }

  // Lines (BR-21 … BR-27, line allowances and charges, line net amount).
  for (const line of invoice.lines) {
    const at = `line ${line.id}`;
    if (blank(line.id)) fail("BR-21", "BT-126 Invoice line identifier", "Each invoice line shall have an identifier.");
    if (blank(line.quantity)) fail("BR-22", "BT-129 Invoiced quantity", `${at}: quantity missing.`);
    if (!/^[A-Z0-9]{2,3}$/.test(line.unit ?? "")) fail("BR-23", "BT-130 Invoiced quantity unit of measure code", `${at}: unit ${line.unit} is not a UN/ECE Rec 20 code.`);
    if (blank(line.netAmount)) fail("BR-24", "BT-131 Invoice line net amount", `${at}: net amount missing.`);
    if (blank(line.itemName)) fail("BR-25", "BT-153 Item name", `${at}: item name missing.`);
    if (blank(line.unitPrice)) fail("BR-26", "BT-146 Item net price", `${at}: net price missing.`);
    else if (toUnits(line.unitPrice, 4) < 0n) fail("BR-27", "BT-146 Item net price", `${at}: the item net price shall not be negative.`);
    if (!hasAtMostDecimals(line.netAmount, 2)) fail("BR-DEC-23", "BT-131 Invoice line net amount", `${at}: at most 2 decimals.`);
    if (cents(line.allowanceAmount) !== 0n && blank(line.allowanceReason)) fail("BR-42", "BT-139 Invoice line allowance reason", `${at}: the line allowance needs a reason.`);
    if (cents(line.chargeAmount) !== 0n && blank(line.chargeReason)) fail("BR-44", "BT-144 Invoice line charge reason", `${at}: the line charge needs a reason.`);
    if (expectedLineNetCents(line) !== cents(line.netAmount)) {
      fail("PEPPOL-EN16931-R120", "BT-131 Invoice line net amount",
        `${at}: net amount ${line.netAmount} ≠ quantity × price / base quantity − allowance + charge = ${money(expectedLineNetCents(line))}.`);
    }
  }

  // Document-level allowances and charges (BR-31 … BR-38).
  for (const ac of invoice.allowanceCharges) {
    const kind = ac.isCharge ? "charge" : "allowance";
    if (blank(ac.reason) && blank(ac.reasonCode)) {
      fail(ac.isCharge ? "BR-38" : "BR-33", ac.isCharge ? "BT-104 Document level charge reason" : "BT-97 Document level allowance reason", `A document level ${kind} needs a reason or a reason code.`);
    }
    if (!hasAtMostDecimals(ac.amount, 2)) fail(ac.isCharge ? "BR-DEC-05" : "BR-DEC-01", ac.isCharge ? "BT-99" : "BT-92", `Document level ${kind}: at most 2 decimals.`);
  }

  // Totals (BR-12 … BR-15, BR-CO-10 … BR-CO-16, BR-53).
  checkTotals(invoice, fail);
  if (invoice.taxCurrency && blank(totals.taxInTaxCurrency)) {
    fail("BR-53", "BT-111 Invoice total VAT amount in accounting currency", `The VAT accounting currency is ${invoice.taxCurrency}, so the VAT total in ${invoice.taxCurrency} must be given.`);
  }
  if (cents(totals.due) > 0n && blank(invoice.dueDate) && blank(invoice.paymentTerms)) {
    fail("BR-CO-25", "BT-9 Payment due date", "A positive amount due needs a payment due date (BT-9) or payment terms (BT-20).");
  }

  // VAT breakdown per category and rate.
  checkVat(invoice, fail);

  // Payment instructions (BR-49, BR-61).
  if (blank(invoice.payment.meansCode)) fail("BR-49", "BT-81 Payment means type code", "Payment instructions need a payment means type code.");
  if (CREDIT_TRANSFER.has(invoice.payment.meansCode) && blank(invoice.payment.iban)) {
    fail("BR-61", "BT-84 Payment account identifier", "Credit transfer needs the account to pay to (the IBAN in supplier settings).");
  }

  if (profile === "xrechnung") checkXRechnung(invoice, fail, warn);
  return { ok: errors.length === 0, errors, warnings };
}

type Fail = (rule: string, term: string, message: string) => void;

function checkTotals(invoice: InvoiceModel, fail: Fail) {
  const t = invoice.totals;
  const required: [string, string, string | null][] = [
    ["BR-12", "BT-106 Sum of Invoice line net amount", t.lineNet],
    ["BR-13", "BT-109 Invoice total amount without VAT", t.taxExclusive],
    ["BR-14", "BT-112 Invoice total amount with VAT", t.taxInclusive],
    ["BR-15", "BT-115 Amount due for payment", t.due],
  ];
  let missing = false;
  for (const [rule, term, value] of required) {
    if (blank(value)) {
      fail(rule, term, "Missing.");
      missing = true;
    } else if (!hasAtMostDecimals(value!, 2)) {
      fail("BR-DEC", term, "At most 2 decimals.");
      missing = true;
    }
  }
  if (missing) return;
  const sum = (values: string[]) => values.reduce((s, v) => s + cents(v), 0n);
  const lineSum = sum(invoice.lines.map((l) => l.netAmount));
  const allowances = sum(invoice.allowanceCharges.filter((a) => !a.isCharge).map((a) => a.amount));
  const charges = sum(invoice.allowanceCharges.filter((a) => a.isCharge).map((a) => a.amount));
  const vatSum = sum(invoice.vatBreakdown.map((b) => b.taxAmount));
  const eq = (rule: string, term: string, actual: string, expected: bigint, formula: string) => {
    if (cents(actual) !== expected) fail(rule, term, `${actual} ≠ ${formula} = ${money(expected)}.`);
  };
  eq("BR-CO-10", "BT-106 Sum of Invoice line net amount", t.lineNet, lineSum, "Σ invoice line net amounts (BT-131)");
  eq("BR-CO-11", "BT-107 Sum of allowances on document level", t.allowances, allowances, "Σ document level allowances (BT-92)");
  eq("BR-CO-12", "BT-108 Sum of charges on document level", t.charges, charges, "Σ document level charges (BT-99)");
  eq("BR-CO-13", "BT-109 Invoice total amount without VAT", t.taxExclusive, lineSum - allowances + charges, "Σ BT-131 − BT-107 + BT-108");
  eq("BR-CO-14", "BT-110 Invoice total VAT amount", t.tax, vatSum, "Σ VAT category tax amounts (BT-117)");
  eq("BR-CO-15", "BT-112 Invoice total amount with VAT", t.taxInclusive, cents(t.taxExclusive) + cents(t.tax), "BT-109 + BT-110");
  eq("BR-CO-16", "BT-115 Amount due for payment", t.due, cents(t.taxInclusive) - cents(t.prepaid) + cents(t.rounding), "BT-112 − BT-113 + BT-114");
}

function checkVat(invoice: InvoiceModel, fail: Fail) {
  const { seller, buyer } = invoice;
  if (invoice.vatBreakdown.length === 0) fail("BR-CO-18", "BG-23 VAT breakdown", "An invoice shall have at least one VAT breakdown.");
  const used = new Map<VatCategory, { lines: boolean; allowances: boolean; charges: boolean }>();
  const mark = (category: VatCategory, key: "lines" | "allowances" | "charges") => {
    const entry = used.get(category) ?? { lines: false, allowances: false, charges: false };
    entry[key] = true;
    used.set(category, entry);
  };
  invoice.lines.forEach((l) => mark(l.vatCategory, "lines"));
  invoice.allowanceCharges.forEach((a) => mark(a.vatCategory, a.isCharge ? "charges" : "allowances"));
  invoice.vatBreakdown.forEach((b) => used.has(b.category) || used.set(b.category, { lines: false, allowances: false, charges: false }));

  for (const [category, where] of used) {
    const prefix = RULE_PREFIX[category];
    if (!prefix || !SUPPORTED_CATEGORIES.includes(category)) {
      fail("LL-VAT-01", "BT-151 Invoiced item VAT category code", `VAT category ${category} (${CATEGORY_NAME[category]}) is not supported by this e-invoice mapping.`);
      continue;
    }
    const name = CATEGORY_NAME[category];
    const groups = invoice.vatBreakdown.filter((b) => b.category === category);
    if (category === "S" ? groups.length === 0 : groups.length !== 1) {
      fail(`${prefix}-01`, "BG-23 VAT breakdown", `Lines, allowances or charges of category "${name}" need ${category === "S" ? "at least" : "exactly"} one VAT breakdown of that category (found ${groups.length}).`);
    }
    // Who must be identified (…-02/03/04).
    const sellerOk = category === "G" || category === "K" ? !blank(seller.vatId) : !blank(seller.vatId) || !blank(seller.taxNumber);
    const buyerOk = category === "AE" ? !blank(buyer.vatId) || !blank(buyer.legalRegistration) : category === "K" ? !blank(buyer.vatId) : true;
    const sources: ["lines" | "allowances" | "charges", string][] = [["lines", "02"], ["allowances", "03"], ["charges", "04"]];
    for (const [key, n] of sources) {
      if (!where[key]) continue;
      if (!sellerOk) fail(`${prefix}-${n}`, "BT-31 Seller VAT identifier", `"${name}" needs the seller's VAT identifier${category === "G" || category === "K" ? "" : " or tax registration identifier"}.`);
      if (!buyerOk) fail(`${prefix}-${n}`, "BT-48 Buyer VAT identifier", `"${name}" needs the buyer's VAT identifier${category === "AE" ? " or legal registration identifier" : ""} (customer account).`);
    }
    // Rates (…-05/06/07).
    const rateOk = (rate: string) => (category === "S" ? Number(rate) > 0 : Number(rate) === 0);
    const rateText = category === "S" ? "greater than zero" : "0";
    if (invoice.lines.some((l) => l.vatCategory === category && !rateOk(l.vatRate))) fail(`${prefix}-05`, "BT-152 Invoiced item VAT rate", `Lines of category "${name}" need a VAT rate ${rateText}.`);
    if (invoice.allowanceCharges.some((a) => !a.isCharge && a.vatCategory === category && !rateOk(a.vatRate))) fail(`${prefix}-06`, "BT-96 Document level allowance VAT rate", `Rate must be ${rateText}.`);
    if (invoice.allowanceCharges.some((a) => a.isCharge && a.vatCategory === category && !rateOk(a.vatRate))) fail(`${prefix}-07`, "BT-103 Document level charge VAT rate", `Rate must be ${rateText}.`);

    for (const group of groups) {
      const sameRate = (rate: string) => category !== "S" || Number(rate) === Number(group.rate);
      const expectedTaxable =
        invoice.lines.filter((l) => l.vatCategory === category && sameRate(l.vatRate)).reduce((s, l) => s + cents(l.netAmount), 0n) +
        invoice.allowanceCharges.filter((a) => a.vatCategory === category && sameRate(a.vatRate)).reduce((s, a) => s + (a.isCharge ? 1n : -1n) * cents(a.amount), 0n);
      const label = `${category} ${group.rate} %`;
      if (cents(group.taxableAmount) !== expectedTaxable) {
        fail(`${prefix}-08`, "BT-116 VAT category taxable amount", `${label}: taxable amount ${group.taxableAmount} ≠ Σ line net amounts + charges − allowances of that category and rate = ${money(expectedTaxable)}.`);
      }
      const expectedTax = category === "S" ? percentOfCents(cents(group.taxableAmount), group.rate) : 0n;
      if (cents(group.taxAmount) !== expectedTax) {
        fail(`${prefix}-09`, "BT-117 VAT category tax amount", `${label}: tax amount ${group.taxAmount} ≠ ${category === "S" ? "taxable amount × rate, rounded to cents" : "0"} = ${money(expectedTax)} (BR-CO-17).`);
      }
      if (blank(group.rate)) fail("BR-48", "BT-119 VAT category rate", `${label}: rate missing.`);
      const hasReason = !blank(group.exemptionReason) || !blank(group.exemptionReasonCode);
      if ((category === "S" || category === "Z") && hasReason) {
        fail(`${prefix}-10`, "BT-120 VAT exemption reason text", `A "${name}" breakdown shall not have an exemption reason.`);
      }
      if (category === "E" && !hasReason) fail("BR-E-10", "BT-120 VAT exemption reason text", `An "Exempt from VAT" breakdown needs an exemption reason text or code.`);
      const code = EXEMPTION_CODE[category];
      if (code && !hasReason) fail(`${prefix}-10`, "BT-121 VAT exemption reason code", `A "${name}" breakdown needs the exemption reason code ${code} or its text.`);
      if (code && group.exemptionReasonCode && group.exemptionReasonCode !== code) {
        fail(`${prefix}-10`, "BT-121 VAT exemption reason code", `A "${name}" breakdown must use ${code}, not ${group.exemptionReasonCode}.`);
      }
    }
    if (category === "K") {
      if (blank(invoice.deliveryDate) && !(invoice.invoicingPeriod?.start || invoice.invoicingPeriod?.end)) {
        fail("BR-IC-11", "BT-72 Actual delivery date", "An intra-community supply needs the actual delivery date or the invoicing period.");
      }
      if (blank(invoice.deliverTo?.address.countryCode)) fail("BR-IC-12", "BT-80 Deliver to country code", "An intra-community supply needs the deliver-to country.");
    }
  }
}

function checkXRechnung(invoice: InvoiceModel, fail: Fail, warn: Fail) {
  const { seller, buyer, payment } = invoice;
  if (blank(invoice.buyerReference)) {
    fail("BR-DE-15", "BT-10 Buyer reference", "XRechnung needs the buyer reference (Leitweg-ID for public buyers); the customer account and the invoice have none.");
  }
  if (!seller.contact) fail("BR-DE-2", "BG-6 Seller contact", "XRechnung needs the seller contact (supplier settings: contact name, phone, e-mail).");
  if (blank(seller.contact?.name)) fail("BR-DE-5", "BT-41 Seller contact point", "XRechnung needs the seller contact name (supplier settings).");
  if (blank(seller.contact?.phone)) fail("BR-DE-6", "BT-42 Seller contact telephone number", "XRechnung needs the seller contact phone (supplier settings).");
  if (blank(seller.contact?.email)) fail("BR-DE-7", "BT-43 Seller contact email address", "XRechnung needs the seller contact e-mail (supplier settings).");
  if (blank(seller.address.city)) fail("BR-DE-3", "BT-37 Seller city", "Missing in supplier settings.");
  if (blank(seller.address.postalCode)) fail("BR-DE-4", "BT-38 Seller post code", "Missing in supplier settings.");
  if (blank(buyer.address.city)) fail("BR-DE-8", "BT-52 Buyer city", "Missing in the customer account.");
  if (blank(buyer.address.postalCode)) fail("BR-DE-9", "BT-53 Buyer post code", "Missing in the customer account.");
  if (invoice.deliverTo) {
    if (blank(invoice.deliverTo.address.city)) fail("BR-DE-10", "BT-77 Deliver to city", "The delivery location has no city.");
    if (blank(invoice.deliverTo.address.postalCode)) fail("BR-DE-11", "BT-78 Deliver to post code", "The delivery location has no post code.");
  }
  if (invoice.vatBreakdown.some((b) => blank(b.rate))) fail("BR-DE-14", "BT-119 VAT category rate", "Every VAT breakdown needs its rate.");
  if (blank(seller.vatId) && blank(seller.taxNumber)) fail("BR-DE-16", "BT-31 Seller VAT identifier", "XRechnung needs the seller's VAT identifier or tax number.");
  if (blank(payment.meansCode)) fail("BR-DE-1", "BG-16 Payment instructions", "XRechnung needs payment instructions.");
  else if (!CREDIT_TRANSFER.has(payment.meansCode)) {
    fail("BR-DE-13", "BT-81 Payment means type code", `Payment means ${payment.meansCode}: this portal writes XRechnung only for credit transfer (30, 58), which needs the seller's bank account (BG-17).`);
  } else if (blank(payment.iban)) fail("BR-DE-23-a", "BG-17 Credit transfer", "Credit transfer needs the seller's IBAN (supplier settings).");
  if (blank(seller.electronicAddress)) fail("PEPPOL-EN16931-R020", "BT-34 Seller electronic address", "XRechnung 3.0 needs the seller's electronic address (supplier settings).");
  if (blank(buyer.electronicAddress)) fail("PEPPOL-EN16931-R010", "BT-49 Buyer electronic address", "XRechnung 3.0 needs the buyer's electronic address (the customer account's e-invoice address).");
  if (!XRECHNUNG_TYPE_CODES.has(invoice.typeCode)) warn("BR-DE-17", "BT-3 Invoice type code", `XRechnung expects 326, 380, 384, 389 or 381; got ${invoice.typeCode}.`);
  if (payment.meansCode === "58" && payment.iban && !isValidIban(payment.iban)) warn("BR-DE-19", "BT-84 Payment account identifier", `${payment.iban} is not a valid IBAN.`);
  if (seller.contact?.phone && (seller.contact.phone.match(/\d/g) ?? []).length < 3) warn("BR-DE-27", "BT-42 Seller contact telephone number", "Should contain at least three digits.");
  if (seller.contact?.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(seller.contact.email)) warn("BR-DE-28", "BT-43 Seller contact email address", "Should be one valid e-mail address.");
}

export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  const digits = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  return remainder === 1;
}

/** Thrown when an export is asked for an invoice that fails validation: never emit an invalid e-invoice. */
export class EInvoiceRefusedError extends Error {
  constructor(
    readonly invoiceNumber: string,
    readonly profile: Profile,
    readonly violations: Violation[],
  ) {
    super(`${invoiceNumber}: ${profile === "xrechnung" ? "XRechnung" : "EN 16931"} refused — ${violations.map((v) => `[${v.rule}] ${v.term}: ${v.message}`).join("; ")}`);
    this.name = "EInvoiceRefusedError";
  }
}
