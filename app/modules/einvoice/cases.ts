import { composeInvoice, type ComposeInput } from "./compose";
import type { InvoiceModel, Party, Profile } from "./model";

/**
 * The case table: invoices that exercise each part of the EN 16931 / XRechnung mapping, with what
 * each profile must answer — "ok", or the rules a refusal names. The XML tests run over it, and
 * `npm run documents:samples` writes every case out for external validators.
 */

export interface InvoiceCase {
  id: string;
  title: string;
  invoice: InvoiceModel;
  expect: Record<Profile, "ok" | string[]>;
}

export const CASE_SELLER: Party = {
  name: "Brandt & Söhne Industrietechnik GmbH",
  tradeName: "Brandt & Söhne",
  vatId: "DE465060197",
  taxNumber: "99015/78545",
  legalRegistration: null,
  electronicAddress: "rechnung@brandt-soehne.example",
  address: { street: "Heilbronner Straße 150", postalCode: "70191", city: "Stuttgart", countryCode: "DE" },
  contact: { name: "Sabine Krüger", phone: "+49 711 2566-0", email: "rechnung@brandt-soehne.example" },
};

const buyer = ({ address, ...over }: Partial<Omit<Party, "address">> & { address?: Partial<Party["address"]> } = {}): Party => ({
  name: "Kessler Haustechnik GmbH",
  tradeName: null,
  vatId: "DE334130075",
  taxNumber: null,
  legalRegistration: null,
  electronicAddress: "rechnung@kessler.example",
  contact: null,
  ...over,
  address: { street: "Industriestraße 12", postalCode: "89231", city: "Neu-Ulm", countryCode: "DE", ...address },
});

const LEITWEG = "04011000-12345-34";
const both = "ok" as const;

function make(input: Partial<ComposeInput> & Pick<ComposeInput, "number" | "lines">): InvoiceModel {
  return composeInvoice({ issueDate: "2026-10-15", seller: CASE_SELLER, buyer: buyer(), buyerReference: LEITWEG, ...input });
}

const valve = { itemName: "Kugelhahn DN50 Edelstahl", sellerItemId: "KH-DN50-ES", unit: "C62" };
const manual = { itemName: "Technisches Handbuch (Buch)", sellerItemId: "DOC-HB-01", unit: "C62" };
const service = { itemName: "Inbetriebnahme vor Ort", sellerItemId: "SRV-IBN", unit: "HUR" };

export function invoiceCases(): InvoiceCase[] {
  const cases: InvoiceCase[] = [];
  const add = (id: string, title: string, invoice: InvoiceModel, expect: InvoiceCase["expect"]) => cases.push({ id, title, invoice, expect });
  const ok = { en16931: both, xrechnung: both };

  add("mixed-rates", "Standard rated 19 % and 7 % in one invoice", make({
    number: "CASE-0001",
    lines: [
      { ...valve, quantity: "12", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" },
      { ...manual, quantity: "3", unitPrice: "39.9000", vatCategory: "S", vatRate: "7.00" },
      { ...service, quantity: "4.5", unitPrice: "95.0000", vatCategory: "S", vatRate: "19.00" },
    ],
  }), ok);

  add("document-allowances-charges", "Document level freight charge and volume discount", make({
    number: "CASE-0002",
    lines: [
      { ...valve, quantity: "40", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" },
      { ...manual, quantity: "2", unitPrice: "39.9000", vatCategory: "S", vatRate: "7.00" },
    ],
    allowanceCharges: [
      { isCharge: true, amount: "39.50", baseAmount: null, percent: null, reason: "Fracht und Verpackung", reasonCode: "FC", vatCategory: "S", vatRate: "19.00" },
      { isCharge: false, amount: "119.12", baseAmount: "5956.00", percent: "2.00", reason: "Mengenrabatt 2 %", reasonCode: "95", vatCategory: "S", vatRate: "19.00" },
      { isCharge: false, amount: "1.60", baseAmount: "79.80", percent: "2.00", reason: "Mengenrabatt 2 %", reasonCode: "95", vatCategory: "S", vatRate: "7.00" },
    ],
  }), ok);

  add("line-allowances", "Line allowances and a line charge", make({
    number: "CASE-0003",
    lines: [
      { ...valve, quantity: "10", unitPrice: "148.9000", allowanceAmount: "148.90", vatCategory: "S", vatRate: "19.00" },
      { ...service, quantity: "2", unitPrice: "95.0000", chargeAmount: "45.00", vatCategory: "S", vatRate: "19.00" },
    ],
  }), ok);

  add("reverse-charge", "Intra-EU services under reverse charge (AE) to Austria", make({
    number: "CASE-0004",
    buyer: buyer({ name: "Kessler Haustechnik Austria GmbH", vatId: "ATU30309040", electronicAddress: "rechnung@kessler-austria.example", address: { street: "Ringstraße 4", postalCode: "4020", city: "Linz", countryCode: "AT" } }),
    lines: [{ ...service, quantity: "16", unitPrice: "95.0000", vatCategory: "AE", vatRate: "0.00" }],
  }), ok);

  add("intra-community-supply", "Intra-community supply of goods (K) to France", make({
    number: "CASE-0005",
    buyer: buyer({ name: "Lumière Équipements SARL", vatId: "FR71906972944", electronicAddress: "invoices@lumiere-equipements.example", address: { street: "12 rue de la Gare", postalCode: "69002", city: "Lyon", countryCode: "FR" } }),
    lines: [{ ...valve, quantity: "25", unitPrice: "148.9000", vatCategory: "K", vatRate: "0.00" }],
    allowanceCharges: [{ isCharge: true, amount: "89.00", baseAmount: null, percent: null, reason: "Freight and packing", reasonCode: "FC", vatCategory: "K", vatRate: "0.00" }],
  }), ok);

  add("export-zero-rated", "Export outside the EU (G), zero rated, to the USA", make({
    number: "CASE-0006",
    buyer: buyer({ name: "Stracke Fluid Systems LLC", vatId: null, electronicAddress: "invoices@stracke-fluid.example", address: { street: "400 Main Street", postalCode: "60601", city: "Chicago", countryCode: "US" } }),
    lines: [{ ...valve, quantity: "8", unitPrice: "148.9000", vatCategory: "G", vatRate: "0.00" }],
  }), ok);

  add("zero-rated-goods", "Zero rated goods (Z)", make({
    number: "CASE-0007",
    lines: [
      { ...manual, quantity: "5", unitPrice: "39.9000", vatCategory: "Z", vatRate: "0.00" },
      { ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" },
    ],
  }), ok);

  add("exempt", "Exempt from VAT (E) with its reason", make({
    number: "CASE-0008",
    lines: [{ itemName: "Schulung Arbeitssicherheit", sellerItemId: "SRV-SCH", unit: "DAY", quantity: "2", unitPrice: "650.0000", vatCategory: "E", vatRate: "0.00" }],
  }), ok);

  add("credit-note", "Credit note referencing its invoice", make({
    number: "CASE-CN-0009",
    kind: "credit_note",
    precedingInvoice: { number: "CASE-0001", issueDate: "2026-10-15" },
    lines: [{ ...valve, quantity: "2", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
  }), ok);

  add("prepaid", "Advance payment deducted: prepaid amount and amount due", make({
    number: "CASE-0010",
    lines: [{ ...valve, quantity: "30", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
    prepaid: "1500.00",
  }), ok);

  add("rounding", "Rounding to cents: 3-decimal quantities, 4-decimal prices, price base quantity", make({
    number: "CASE-0011",
    lines: [
      { itemName: "Kupferrohr 15 mm", sellerItemId: "CU-15", unit: "MTR", quantity: "12.345", unitPrice: "3.3333", vatCategory: "S", vatRate: "19.00" },
      { itemName: "Dichtband PTFE", sellerItemId: "PTFE-12", unit: "C62", quantity: "7", unitPrice: "0.1250", vatCategory: "S", vatRate: "19.00" },
      { itemName: "Schrauben M8 (je 100)", sellerItemId: "M8-100", unit: "C62", quantity: "250", unitPrice: "4.9900", priceBaseQuantity: "100", vatCategory: "S", vatRate: "19.00" },
      { itemName: "Lötzinn", sellerItemId: "LZ-1", unit: "KGM", quantity: "0.333", unitPrice: "61.1111", vatCategory: "S", vatRate: "7.00" },
    ],
  }), ok);

  add("foreign-currency", "Invoice in USD with the VAT total also in EUR (BT-6, BT-111)", make({
    number: "CASE-0012",
    currency: "USD",
    taxCurrency: { code: "EUR", rate: "0.921500" },
    lines: [{ ...valve, quantity: "10", unitPrice: "161.5000", vatCategory: "S", vatRate: "19.00" }],
  }), ok);

  add("export-chf", "Export to Switzerland in CHF, VAT 0 in EUR", make({
    number: "CASE-0013",
    currency: "CHF",
    taxCurrency: { code: "EUR", rate: "1.065000" },
    buyer: buyer({ name: "Häfliger Haustechnik AG", vatId: "CHE-281.071.021 MWST", electronicAddress: "rechnung@haefliger-haustechnik.example", address: { street: "Bahnhofstrasse 1", postalCode: "8001", city: "Zürich", countryCode: "CH" } }),
    lines: [{ ...valve, quantity: "6", unitPrice: "139.0000", vatCategory: "G", vatRate: "0.00" }],
  }), ok);

  // Refusals: incomplete or inconsistent data names the rule and the business term.
  add("no-buyer-reference", "No Leitweg-ID / buyer reference", make({
    number: "CASE-R001",
    buyerReference: null,
    lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
  }), { en16931: both, xrechnung: ["BR-DE-15"] });

  add("no-seller-contact", "Supplier settings lack the contact phone and e-mail", make({
    number: "CASE-R002",
    seller: { ...CASE_SELLER, contact: { name: "Sabine Krüger", phone: null, email: null } },
    lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
  }), { en16931: both, xrechnung: ["BR-DE-6", "BR-DE-7"] });

  const badTotals = make({ number: "CASE-R003", lines: [{ ...valve, quantity: "2", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }] });
  badTotals.totals.taxInclusive = "354.40";
  add("totals-mismatch", "Total with VAT off by a cent", badTotals, { en16931: ["BR-CO-15", "BR-CO-16"], xrechnung: ["BR-CO-15", "BR-CO-16"] });

  const badTax = make({ number: "CASE-R004", lines: [{ ...valve, quantity: "3", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }] });
  badTax.vatBreakdown[0].taxAmount = "84.88";
  badTax.totals.tax = "84.88";
  badTax.totals.taxInclusive = "531.58";
  badTax.totals.due = "531.58";
  add("vat-rounding-wrong", "VAT of a category not rounded per BR-CO-17", badTax, { en16931: ["BR-S-09"], xrechnung: ["BR-S-09"] });

  const orphan = make({ number: "CASE-R005", kind: "credit_note", lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }] });
  add("credit-note-without-invoice", "Credit note that names no invoice", orphan, { en16931: ["LL-CN-01"], xrechnung: ["LL-CN-01"] });

  add("ic-without-buyer-vat", "Intra-community supply to a buyer without VAT id", make({
    number: "CASE-R006",
    buyer: buyer({ vatId: null, address: { countryCode: "FR", city: "Lyon", postalCode: "69002" } }),
    lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "K", vatRate: "0.00" }],
  }), { en16931: ["BR-IC-02"], xrechnung: ["BR-IC-02"] });

  const noReason = make({ number: "CASE-R007", lines: [{ ...service, quantity: "1", unitPrice: "95.0000", vatCategory: "AE", vatRate: "0.00" }] });
  noReason.vatBreakdown[0].exemptionReason = null;
  noReason.vatBreakdown[0].exemptionReasonCode = null;
  add("reverse-charge-without-reason", "Reverse charge without exemption reason", noReason, { en16931: ["BR-AE-10"], xrechnung: ["BR-AE-10"] });

  add("no-iban", "SEPA credit transfer without the seller's IBAN", make({
    number: "CASE-R008",
    iban: null,
    lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
  }), { en16931: ["BR-61"], xrechnung: ["BR-61", "BR-DE-23-a"] });

  const wrongType = make({ number: "CASE-R009", kind: "credit_note", precedingInvoice: { number: "CASE-0001", issueDate: "2026-10-15" }, lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }] });
  wrongType.typeCode = "380";
  add("credit-note-type-code", "Credit note with an invoice type code", wrongType, { en16931: ["BR-CL-01"], xrechnung: ["BR-CL-01"] });

  const noEur = make({ number: "CASE-R010", currency: "GBP", taxCurrency: { code: "EUR", rate: "1.150000" }, lines: [{ ...valve, quantity: "1", unitPrice: "129.0000", vatCategory: "S", vatRate: "19.00" }] });
  noEur.totals.taxInTaxCurrency = null;
  add("tax-currency-without-amount", "VAT accounting currency without the VAT total in it", noEur, { en16931: ["BR-53"], xrechnung: ["BR-53"] });

  const zeroWithReason = make({ number: "CASE-R011", lines: [{ ...manual, quantity: "1", unitPrice: "39.9000", vatCategory: "Z", vatRate: "0.00" }] });
  zeroWithReason.vatBreakdown[0].exemptionReason = "Zero rated";
  add("zero-rated-with-reason", "Zero rated breakdown with an exemption reason", zeroWithReason, { en16931: ["BR-Z-10"], xrechnung: ["BR-Z-10"] });

  add("line-sum-mismatch", "Sum of line net amounts differs from the lines", (() => {
    const inv = make({ number: "CASE-R012", lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }] });
    inv.totals.lineNet = "148.00";
    return inv;
  })(), { en16931: ["BR-CO-10"], xrechnung: ["BR-CO-10"] });

  add("no-buyer-einvoice-address", "Buyer without electronic address", make({
    number: "CASE-R013",
    buyer: buyer({ electronicAddress: null }),
    lines: [{ ...valve, quantity: "1", unitPrice: "148.9000", vatCategory: "S", vatRate: "19.00" }],
  }), { en16931: both, xrechnung: ["PEPPOL-EN16931-R010"] });

  return cases;
}
