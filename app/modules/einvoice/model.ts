/**
 * The invoice as the EN 16931 semantic model sees it (business terms BT-n / groups BG-n), filled
 * from the database (load.server.ts) or from the case table (cases.ts). Every e-invoice syntax
 * (UBL, CII) and the PDF templates read this one shape; validate.ts checks it before any export.
 * Amounts are decimal strings: money with 2 decimals, quantities 3, unit prices 4, rates 2.
 */

export type VatCategory = "S" | "Z" | "E" | "AE" | "K" | "G" | "O" | "L" | "M";

export interface PostalAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string | null;
}

export interface Party {
  name: string | null; // BT-27 / BT-44
  tradeName: string | null; // BT-28 / BT-45
  vatId: string | null; // BT-31 / BT-48
  taxNumber: string | null; // BT-32 (seller only)
  legalRegistration: string | null; // BT-30 / BT-47 (e.g. commercial register), free text
  electronicAddress: string | null; // BT-34 / BT-49 (scheme EM: e-mail)
  address: PostalAddress; // BG-5 / BG-8
  contact: { name: string | null; phone: string | null; email: string | null } | null; // BG-6 / BG-9
}

export interface InvoiceLineModel {
  id: string; // BT-126
  quantity: string; // BT-129
  unit: string; // BT-130 (UN/ECE Rec 20)
  unitPrice: string; // BT-146 item net price
  priceBaseQuantity: string; // BT-149
  allowanceAmount: string; // BG-27 BT-136 (one line allowance)
  allowanceReason: string | null; // BT-139
  chargeAmount: string; // BG-28 BT-141
  chargeReason: string | null; // BT-144
  netAmount: string; // BT-131
  itemName: string; // BT-153
  sellerItemId: string | null; // BT-155
  vatCategory: VatCategory; // BT-151
  vatRate: string; // BT-152
}

export interface AllowanceChargeModel {
  isCharge: boolean;
  amount: string; // BT-92 / BT-99
  baseAmount: string | null; // BT-93 / BT-100
  percent: string | null; // BT-94 / BT-101
  reason: string | null; // BT-97 / BT-104
  reasonCode: string | null; // BT-98 (UNTDID 5189) / BT-105 (UNTDID 7161)
  vatCategory: VatCategory; // BT-95 / BT-102
  vatRate: string; // BT-96 / BT-103
}

export interface VatBreakdownModel {
  category: VatCategory; // BT-118
  rate: string; // BT-119
  taxableAmount: string; // BT-116
  taxAmount: string; // BT-117
  exemptionReason: string | null; // BT-120
  exemptionReasonCode: string | null; // BT-121 (VATEX)
}

export interface InvoiceTotals {
  lineNet: string; // BT-106
  allowances: string; // BT-107
  charges: string; // BT-108
  taxExclusive: string; // BT-109
  tax: string; // BT-110
  taxInTaxCurrency: string | null; // BT-111
  taxInclusive: string; // BT-112
  prepaid: string; // BT-113
  rounding: string; // BT-114
  due: string; // BT-115
}

export interface InvoiceModel {
  id: string;
  kind: "invoice" | "credit_note";
  number: string; // BT-1
  issueDate: string; // BT-2 (YYYY-MM-DD)
  typeCode: string; // BT-3
  currency: string; // BT-5
  taxCurrency: string | null; // BT-6
  taxPointDate: string | null; // BT-7
  dueDate: string | null; // BT-9
  buyerReference: string | null; // BT-10 (Leitweg-ID)
  orderReference: string | null; // BT-13
  salesOrderNumber: string | null; // BT-14 seller's order reference
  note: string | null; // BT-22
  paymentTerms: string | null; // BT-20
  precedingInvoice: { number: string | null; issueDate: string | null } | null; // BG-3
  /** A credit note whose stored reference points nowhere (the invoice is gone): refused, never guessed. */
  precedingInvoiceMissing: boolean;
  deliveryDate: string | null; // BT-72
  invoicingPeriod: { start: string | null; end: string | null } | null; // BG-14
  seller: Party;
  buyer: Party;
  deliverTo: { name: string | null; address: PostalAddress } | null; // BG-13 / BG-15
  payment: {
    meansCode: string; // BT-81
    reference: string | null; // BT-83
    iban: string | null; // BT-84
    accountName: string | null; // BT-85
    bic: string | null; // BT-86
  };
  lines: InvoiceLineModel[];
  allowanceCharges: AllowanceChargeModel[];
  vatBreakdown: VatBreakdownModel[];
  totals: InvoiceTotals;
}

/** The e-invoice formats a contact can download. */
export const EINVOICE_FORMATS = [
  "xrechnung-ubl",
  "xrechnung-cii",
  "facturx-en16931",
  "zugferd-en16931",
  "zugferd-xrechnung",
] as const;
export type EInvoiceFormat = (typeof EINVOICE_FORMATS)[number];

export function isEInvoiceFormat(value: unknown): value is EInvoiceFormat {
  return typeof value === "string" && (EINVOICE_FORMATS as readonly string[]).includes(value);
}

/** Which rule set applies: the EN 16931 core, or XRechnung 3.0 (EN 16931 + BR-DE-*). */
export type Profile = "en16931" | "xrechnung";

export interface FormatInfo {
  profile: Profile;
  syntax: "ubl" | "cii";
  /** Hybrid PDF/A-3 with the XML embedded, or the XML alone. */
  container: "xml" | "pdf";
  label: { en: string; de: string };
  fileSuffix: string;
}

export const FORMAT_INFO: Record<EInvoiceFormat, FormatInfo> = {
  "xrechnung-ubl": { profile: "xrechnung", syntax: "ubl", container: "xml", label: { en: "XRechnung 3.0 (UBL)", de: "XRechnung 3.0 (UBL)" }, fileSuffix: "xrechnung-ubl.xml" },
  "xrechnung-cii": { profile: "xrechnung", syntax: "cii", container: "xml", label: { en: "XRechnung 3.0 (CII)", de: "XRechnung 3.0 (CII)" }, fileSuffix: "xrechnung-cii.xml" },
  "facturx-en16931": { profile: "en16931", syntax: "cii", container: "xml", label: { en: "Factur-X / ZUGFeRD EN 16931 (XML)", de: "Factur-X / ZUGFeRD EN 16931 (XML)" }, fileSuffix: "factur-x.xml" },
  "zugferd-en16931": { profile: "en16931", syntax: "cii", container: "pdf", label: { en: "ZUGFeRD 2.3 / Factur-X PDF (EN 16931)", de: "ZUGFeRD 2.3 / Factur-X PDF (EN 16931)" }, fileSuffix: "zugferd-en16931.pdf" },
  "zugferd-xrechnung": { profile: "xrechnung", syntax: "cii", container: "pdf", label: { en: "ZUGFeRD 2.3 PDF (XRECHNUNG profile)", de: "ZUGFeRD 2.3 PDF (Profil XRECHNUNG)" }, fileSuffix: "zugferd-xrechnung.pdf" },
};

/** BT-24 specification identifiers. */
export const SPECIFICATION_ID: Record<Profile, string> = {
  en16931: "urn:cen.eu:en16931:2017",
  xrechnung: "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
};

/** BT-23 business process (PEPPOL BIS Billing 3.0, which XRechnung 3.0 aligns with). */
export const BUSINESS_PROCESS_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
