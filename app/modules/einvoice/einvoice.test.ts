import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { invoiceCases } from "./cases";
import { buildCii } from "./cii";
import { cents, money } from "./decimal";
import { buildEInvoiceXml, checkEInvoiceFormats } from "./formats";
import { loadInvoiceDocumentForStaff } from "./load.server";
import type { InvoiceModel } from "./model";
import { all, parseXml, text, toCents, validateCiiSchema, type XmlElement } from "./test-support";
import { buildUbl } from "./ubl";
import { EInvoiceRefusedError, isValidIban, validateInvoice } from "./validate";

const cases = invoiceCases();
const rulesOf = (invoice: InvoiceModel, profile: "en16931" | "xrechnung") => [...new Set(validateInvoice(invoice, profile).errors.map((e) => e.rule))].sort();

describe("the case table", () => {
  it("covers every situation the issue names", () => {
    const ids = cases.map((c) => c.id);
    for (const id of ["mixed-rates", "document-allowances-charges", "line-allowances", "reverse-charge", "export-zero-rated", "credit-note", "prepaid", "rounding", "foreign-currency", "intra-community-supply"]) {
      expect(ids).toContain(id);
    }
    expect(cases.filter((c) => c.expect.en16931 !== "ok" || c.expect.xrechnung !== "ok").length).toBeGreaterThanOrEqual(10);
  });

  for (const c of cases) {
    it(`${c.id}: ${c.title} → EN 16931 ${c.expect.en16931 === "ok" ? "ok" : c.expect.en16931.join(",")}, XRechnung ${c.expect.xrechnung === "ok" ? "ok" : c.expect.xrechnung.join(",")}`, () => {
      for (const profile of ["en16931", "xrechnung"] as const) {
        const want = c.expect[profile];
        expect(rulesOf(c.invoice, profile)).toEqual(want === "ok" ? [] : [...want].sort());
      }
    });
  }
});

describe("refusals", () => {
  it("never emits XML for an invoice that breaks a rule, and names rule and business term", () => {
    const refused = cases.find((c) => c.id === "no-buyer-reference")!;
    expect(() => buildEInvoiceXml(refused.invoice, "xrechnung-ubl")).toThrow(EInvoiceRefusedError);
    try {
      buildEInvoiceXml(refused.invoice, "xrechnung-cii");
    } catch (error) {
      expect((error as EInvoiceRefusedError).violations).toEqual([expect.objectContaining({ rule: "BR-DE-15", term: "BT-10 Buyer reference" })]);
    }
    // The EN 16931 profile does not need a buyer reference: ZUGFeRD still works.
    expect(buildEInvoiceXml(refused.invoice, "facturx-en16931")).toContain("CrossIndustryInvoice");
    const formats = checkEInvoiceFormats(refused.invoice);
    expect(formats.filter((f) => !f.available).map((f) => f.format).sort()).toEqual(["xrechnung-cii", "xrechnung-ubl", "zugferd-xrechnung"]);
  });

  it("checks IBANs with the ISO 7064 check digits (BR-DE-19)", () => {
    expect(isValidIban("DE45600501010665949060")).toBe(true);
    expect(isValidIban("DE46600501010665949060")).toBe(false);
  });
});

function ublTotals(root: XmlElement) {
  return {
    lineNet: toCents(text(root, "LegalMonetaryTotal/LineExtensionAmount")),
    taxExclusive: toCents(text(root, "LegalMonetaryTotal/TaxExclusiveAmount")),
    taxInclusive: toCents(text(root, "LegalMonetaryTotal/TaxInclusiveAmount")),
    allowances: toCents(text(root, "LegalMonetaryTotal/AllowanceTotalAmount")),
    charges: toCents(text(root, "LegalMonetaryTotal/ChargeTotalAmount")),
    prepaid: toCents(text(root, "LegalMonetaryTotal/PrepaidAmount")),
    payable: toCents(text(root, "LegalMonetaryTotal/PayableAmount")),
  };
}

describe("UBL 2.1 (XRechnung)", () => {
  for (const c of cases.filter((x) => x.expect.xrechnung === "ok")) {
    it(`${c.id}: structure, totals and VAT breakdown add up in the XML`, () => {
      const xml = buildEInvoiceXml(c.invoice, "xrechnung-ubl");
      const root = parseXml(xml);
      const credit = c.invoice.kind === "credit_note";
      expect(root.localName).toBe(credit ? "CreditNote" : "Invoice");
      expect(text(root, "CustomizationID")).toBe("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0");
      expect(text(root, "ProfileID")).toBe("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
      expect(text(root, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode")).toBe(c.invoice.typeCode);
      expect(text(root, "BuyerReference")).toBe(c.invoice.buyerReference);
      expect(text(root, "AccountingSupplierParty/Party/Contact/Telephone")).toBeTruthy();
      expect(all(root, "AccountingSupplierParty/Party/EndpointID")[0].getAttribute("schemeID")).toBe("EM");
      const t = ublTotals(root);
      const lines = all(root, credit ? "CreditNoteLine" : "InvoiceLine");
      expect(lines).toHaveLength(c.invoice.lines.length);
      const lineSum = lines.reduce((s, l) => s + toCents(text(l, "LineExtensionAmount")), 0);
      const acs = all(root, "AllowanceCharge");
      const sumAc = (charge: boolean) => acs.filter((a) => text(a, "ChargeIndicator") === String(charge)).reduce((s, a) => s + toCents(text(a, "Amount")), 0);
      expect(t.lineNet).toBe(lineSum); // BR-CO-10
      expect(t.allowances).toBe(sumAc(false)); // BR-CO-11
      expect(t.charges).toBe(sumAc(true)); // BR-CO-12
      expect(t.taxExclusive).toBe(lineSum - sumAc(false) + sumAc(true)); // BR-CO-13
      const [taxTotal, taxTotalInTaxCurrency] = all(root, "TaxTotal");
      const subtotals = all(taxTotal, "TaxSubtotal");
      expect(toCents(text(taxTotal, "TaxAmount"))).toBe(subtotals.reduce((s, x) => s + toCents(text(x, "TaxAmount")), 0)); // BR-CO-14
      expect(t.taxInclusive).toBe(t.taxExclusive + toCents(text(taxTotal, "TaxAmount"))); // BR-CO-15
      expect(t.payable).toBe(t.taxInclusive - t.prepaid); // BR-CO-16
      for (const sub of subtotals) {
        const category = text(sub, "TaxCategory/ID");
        const rate = Number(text(sub, "TaxCategory/Percent"));
        const expected = Math.round((toCents(text(sub, "TaxableAmount")) * rate) / 100);
        expect(toCents(text(sub, "TaxAmount"))).toBe(category === "S" ? expected : 0); // BR-CO-17, BR-x-09
        if (["AE", "K", "G", "E"].includes(category!)) expect(text(sub, "TaxCategory/TaxExemptionReasonCode")).toMatch(/^VATEX-EU-/);
      }
      if (c.invoice.taxCurrency) {
        expect(all(taxTotalInTaxCurrency, "TaxAmount")[0].getAttribute("currencyID")).toBe(c.invoice.taxCurrency); // BR-53
        expect(text(root, "TaxCurrencyCode")).toBe(c.invoice.taxCurrency);
      } else expect(taxTotalInTaxCurrency).toBeUndefined();
      if (credit) {
        expect(text(root, "BillingReference/InvoiceDocumentReference/ID")).toBe(c.invoice.precedingInvoice!.number);
        expect(text(root, "PaymentMeans/PaymentDueDate")).toBe(c.invoice.dueDate);
      }
    });
  }

  it("writes the amounts of the foreign-currency case in its currency and the VAT total also in EUR", () => {
    const c = cases.find((x) => x.id === "foreign-currency")!;
    const root = parseXml(buildUbl(c.invoice, "xrechnung"));
    expect(all(root, "LegalMonetaryTotal/PayableAmount")[0].getAttribute("currencyID")).toBe("USD");
    const eur = all(root, "TaxTotal")[1];
    expect(text(eur, "TaxAmount")).toBe(c.invoice.totals.taxInTaxCurrency);
    expect(Number(c.invoice.totals.taxInTaxCurrency)).toBeCloseTo(Number(c.invoice.totals.tax) * 0.9215, 2);
  });
});

describe("CII D16B (XRechnung CII, Factur-X / ZUGFeRD)", () => {
  for (const c of cases.filter((x) => x.expect.en16931 === "ok")) {
    it(`${c.id}: valid against the Factur-X 1.07.3 EN 16931 XSD, totals add up`, async () => {
      for (const profile of ["en16931", "xrechnung"] as const) {
        if (c.expect[profile] !== "ok") continue;
        const xml = buildCii(c.invoice, profile);
        expect(await validateCiiSchema(xml)).toEqual([]);
        const root = parseXml(xml);
        expect(text(root, "ExchangedDocumentContext/GuidelineSpecifiedDocumentContextParameter/ID")).toBe(
          profile === "xrechnung" ? "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0" : "urn:cen.eu:en16931:2017",
        );
        const settlement = all(root, "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement")[0];
        const sums = all(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")[0];
        const items = all(root, "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem");
        const lineSum = items.reduce((s, i) => s + toCents(text(i, "SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount")), 0);
        expect(toCents(text(sums, "LineTotalAmount"))).toBe(lineSum);
        const taxes = all(settlement, "ApplicableTradeTax");
        const taxTotals = all(sums, "TaxTotalAmount");
        expect(toCents(taxTotals[0].textContent)).toBe(taxes.reduce((s, t) => s + toCents(text(t, "CalculatedAmount")), 0));
        expect(taxTotals[0].getAttribute("currencyID")).toBe(c.invoice.currency);
        expect(toCents(text(sums, "GrandTotalAmount"))).toBe(toCents(text(sums, "TaxBasisTotalAmount")) + toCents(taxTotals[0].textContent));
        expect(toCents(text(sums, "DuePayableAmount"))).toBe(toCents(text(sums, "GrandTotalAmount")) - toCents(text(sums, "TotalPrepaidAmount")));
        expect(taxes.map((t) => text(t, "CategoryCode")).sort()).toEqual(c.invoice.vatBreakdown.map((b) => b.category).sort());
        if (c.invoice.taxCurrency) expect(taxTotals[1].getAttribute("currencyID")).toBe(c.invoice.taxCurrency);
        if (c.invoice.kind === "credit_note") expect(text(settlement, "InvoiceReferencedDocument/IssuerAssignedID")).toBe(c.invoice.precedingInvoice!.number);
      }
    });
  }

  it("the XSD check catches a broken document", async () => {
    const xml = buildCii(cases[0].invoice, "en16931").replace("<ram:TypeCode>380</ram:TypeCode>", "<ram:Kind>380</ram:Kind>");
    expect((await validateCiiSchema(xml)).length).toBeGreaterThan(0);
  });
});

describe("unit codes", () => {
  // The PDFs print unit labels ("pcs", "Stk."); the XML keeps the UN/ECE Rec 20 codes (BT-130).
  const mixed = cases.find((c) => c.id === "mixed-rates")!.invoice;
  const codes = mixed.lines.map((l) => l.unit);

  it("UBL writes each line's quantity with its Rec 20 unitCode", () => {
    const root = parseXml(buildEInvoiceXml(mixed, "xrechnung-ubl"));
    const quantities = all(root, "InvoiceLine/InvoicedQuantity");
    expect(codes).toEqual(["C62", "C62", "HUR"]);
    expect(quantities.map((q) => q.getAttribute("unitCode"))).toEqual(codes);
    expect(buildEInvoiceXml(mixed, "xrechnung-ubl")).toContain('<cbc:InvoicedQuantity unitCode="C62">12</cbc:InvoicedQuantity>');
  });

  it("CII writes each line's billed quantity with its Rec 20 unitCode", () => {
    const xml = buildEInvoiceXml(mixed, "facturx-en16931");
    const quantities = all(parseXml(xml), "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem/SpecifiedLineTradeDelivery/BilledQuantity");
    expect(quantities.map((q) => q.getAttribute("unitCode"))).toEqual(codes);
    expect(xml).toContain('<ram:BilledQuantity unitCode="C62">12</ram:BilledQuantity>');
  });
});

describe("the seeded invoices", () => {
  it("every invoice and credit note passes EN 16931; XRechnung fails only for a missing Leitweg-ID", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; number: string; leitweg: string | null }>(
      `SELECT i.id, i.number, coalesce(i.buyer_reference, a.buyer_reference) AS leitweg FROM invoices i JOIN accounts a ON a.id = i.account_id ORDER BY i.number`,
    );
    expect(rows.length).toBeGreaterThan(500);
    const failures: string[] = [];
    let xrechnungOk = 0;
    let schemaChecked = 0;
    for (const row of rows) {
      const doc = await loadInvoiceDocumentForStaff(db, row.id);
      const en = validateInvoice(doc!.model, "en16931");
      if (!en.ok) failures.push(`${row.number}: ${en.errors.map((e) => `${e.rule} ${e.message}`).join("; ")}`);
      const x = validateInvoice(doc!.model, "xrechnung");
      if (row.leitweg) {
        if (!x.ok) failures.push(`${row.number} (XRechnung): ${x.errors.map((e) => e.rule).join(", ")}`);
        else xrechnungOk += 1;
      } else expect(x.errors.map((e) => e.rule)).toEqual(["BR-DE-15"]);
      // Totals stay the invoice as issued: BT-115 = BT-112 − BT-113, whatever was paid since.
      expect(doc!.model.totals.due).toBe(money(cents(doc!.model.totals.taxInclusive) - cents(doc!.model.totals.prepaid)));
      if (en.ok && schemaChecked < 60 && Number(row.number.slice(-2)) % 9 === 0) {
        expect(await validateCiiSchema(buildCii(doc!.model, "en16931"))).toEqual([]);
        schemaChecked += 1;
      }
    }
    expect(failures).toEqual([]);
    expect(xrechnungOk).toBeGreaterThan(20);
    expect(schemaChecked).toBeGreaterThan(20);
  }, 120_000);
});
