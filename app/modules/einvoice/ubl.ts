import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { trimDecimal } from "./decimal";
import { BUSINESS_PROCESS_ID, SPECIFICATION_ID, type InvoiceModel, type Party, type PostalAddress, type Profile } from "./model";

/**
 * UBL 2.1 Invoice / CreditNote (OASIS), the syntax binding of EN 16931 used by XRechnung UBL.
 * Element order follows the UBL 2.1 XSD sequences (CreditNote orders a few header elements
 * differently from Invoice). Call only with a model that passed validateInvoice (see formats.ts).
 */

const NS = {
  invoice: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  creditNote: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

export function buildUbl(invoice: InvoiceModel, profile: Profile): string {
  const credit = invoice.kind === "credit_note";
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(credit ? NS.creditNote : NS.invoice, credit ? "CreditNote" : "Invoice", {
    "xmlns:cac": NS.cac,
    "xmlns:cbc": NS.cbc,
  });
  const cur = invoice.currency;
  const text = (parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>) => {
    if (value !== null && value !== undefined && value !== "") parent.ele(`cbc:${name}`, attrs ?? {}).txt(value);
  };
  const amount = (parent: XMLBuilder, name: string, value: string, currency = cur) => parent.ele(`cbc:${name}`, { currencyID: currency }).txt(value);

  text(root, "CustomizationID", SPECIFICATION_ID[profile]);
  text(root, "ProfileID", BUSINESS_PROCESS_ID);
  text(root, "ID", invoice.number);
  text(root, "IssueDate", invoice.issueDate);
  if (!credit) text(root, "DueDate", invoice.dueDate);
  if (credit) text(root, "TaxPointDate", invoice.taxPointDate);
  text(root, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", invoice.typeCode);
  text(root, "Note", invoice.note);
  if (!credit) text(root, "TaxPointDate", invoice.taxPointDate);
  text(root, "DocumentCurrencyCode", cur);
  text(root, "TaxCurrencyCode", invoice.taxCurrency);
  text(root, "BuyerReference", invoice.buyerReference);
  if (invoice.invoicingPeriod && (invoice.invoicingPeriod.start || invoice.invoicingPeriod.end)) {
    const period = root.ele("cac:InvoicePeriod");
    text(period, "StartDate", invoice.invoicingPeriod.start);
    text(period, "EndDate", invoice.invoicingPeriod.end);
  }
  if (invoice.orderReference || invoice.salesOrderNumber) {
    const order = root.ele("cac:OrderReference");
    // UBL needs an order ID whenever the sales order reference is given; "NA" says there is none.
    text(order, "ID", invoice.orderReference ?? "NA");
    text(order, "SalesOrderID", invoice.salesOrderNumber);
  }
  if (invoice.precedingInvoice?.number) {
    const ref = root.ele("cac:BillingReference").ele("cac:InvoiceDocumentReference");
    text(ref, "ID", invoice.precedingInvoice.number);
    text(ref, "IssueDate", invoice.precedingInvoice.issueDate);
  }
  party(root.ele("cac:AccountingSupplierParty").ele("cac:Party"), invoice.seller, true, text);
  party(root.ele("cac:AccountingCustomerParty").ele("cac:Party"), invoice.buyer, false, text);
  if (invoice.deliveryDate || invoice.deliverTo) {
    const delivery = root.ele("cac:Delivery");
    text(delivery, "ActualDeliveryDate", invoice.deliveryDate);
    if (invoice.deliverTo) {
      address(delivery.ele("cac:DeliveryLocation").ele("cac:Address"), invoice.deliverTo.address, text);
      if (invoice.deliverTo.name) delivery.ele("cac:DeliveryParty").ele("cac:PartyName").ele("cbc:Name").txt(invoice.deliverTo.name);
    }
  }
  const means = root.ele("cac:PaymentMeans");
  text(means, "PaymentMeansCode", invoice.payment.meansCode);
  if (credit) text(means, "PaymentDueDate", invoice.dueDate);
  text(means, "PaymentID", invoice.payment.reference);
  if (invoice.payment.iban) {
    const account = means.ele("cac:PayeeFinancialAccount");
    text(account, "ID", invoice.payment.iban);
    text(account, "Name", invoice.payment.accountName);
    if (invoice.payment.bic) account.ele("cac:FinancialInstitutionBranch").ele("cbc:ID").txt(invoice.payment.bic);
  }
  if (invoice.paymentTerms) root.ele("cac:PaymentTerms").ele("cbc:Note").txt(invoice.paymentTerms);
  for (const ac of invoice.allowanceCharges) {
    const el = root.ele("cac:AllowanceCharge");
    text(el, "ChargeIndicator", ac.isCharge ? "true" : "false");
    text(el, "AllowanceChargeReasonCode", ac.reasonCode);
    text(el, "AllowanceChargeReason", ac.reason);
    if (ac.percent !== null) text(el, "MultiplierFactorNumeric", trimDecimal(ac.percent));
    amount(el, "Amount", ac.amount);
    if (ac.baseAmount !== null) amount(el, "BaseAmount", ac.baseAmount);
    taxCategory(el.ele("cac:TaxCategory"), ac.vatCategory, ac.vatRate, null, null, text);
  }
  const taxTotal = root.ele("cac:TaxTotal");
  amount(taxTotal, "TaxAmount", invoice.totals.tax);
  for (const b of invoice.vatBreakdown) {
    const sub = taxTotal.ele("cac:TaxSubtotal");
    amount(sub, "TaxableAmount", b.taxableAmount);
    amount(sub, "TaxAmount", b.taxAmount);
    taxCategory(sub.ele("cac:TaxCategory"), b.category, b.rate, b.exemptionReasonCode, b.exemptionReason, text);
  }
  if (invoice.taxCurrency && invoice.totals.taxInTaxCurrency !== null) {
    amount(root.ele("cac:TaxTotal"), "TaxAmount", invoice.totals.taxInTaxCurrency, invoice.taxCurrency);
  }
  const t = invoice.totals;
  const sums = root.ele("cac:LegalMonetaryTotal");
  amount(sums, "LineExtensionAmount", t.lineNet);
  amount(sums, "TaxExclusiveAmount", t.taxExclusive);
  amount(sums, "TaxInclusiveAmount", t.taxInclusive);
  if (invoice.allowanceCharges.some((a) => !a.isCharge)) amount(sums, "AllowanceTotalAmount", t.allowances);
  if (invoice.allowanceCharges.some((a) => a.isCharge)) amount(sums, "ChargeTotalAmount", t.charges);
  if (Number(t.prepaid) !== 0) amount(sums, "PrepaidAmount", t.prepaid);
  if (Number(t.rounding) !== 0) amount(sums, "PayableRoundingAmount", t.rounding);
  amount(sums, "PayableAmount", t.due);

  for (const line of invoice.lines) {
    const el = root.ele(credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    text(el, "ID", line.id);
    text(el, credit ? "CreditedQuantity" : "InvoicedQuantity", trimDecimal(line.quantity), { unitCode: line.unit });
    amount(el, "LineExtensionAmount", line.netAmount);
    for (const [isCharge, value, reason] of [[false, line.allowanceAmount, line.allowanceReason], [true, line.chargeAmount, line.chargeReason]] as const) {
      if (Number(value) === 0) continue;
      const ac = el.ele("cac:AllowanceCharge");
      text(ac, "ChargeIndicator", isCharge ? "true" : "false");
      text(ac, "AllowanceChargeReason", reason);
      amount(ac, "Amount", value);
    }
    const item = el.ele("cac:Item");
    text(item, "Name", line.itemName);
    if (line.sellerItemId) item.ele("cac:SellersItemIdentification").ele("cbc:ID").txt(line.sellerItemId);
    taxCategory(item.ele("cac:ClassifiedTaxCategory"), line.vatCategory, line.vatRate, null, null, text);
    const price = el.ele("cac:Price");
    amount(price, "PriceAmount", trimDecimal(line.unitPrice, 2));
    if (Number(line.priceBaseQuantity) !== 1) text(price, "BaseQuantity", trimDecimal(line.priceBaseQuantity), { unitCode: line.unit });
  }
  return root.end({ prettyPrint: true });
}

type Text = (parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>) => void;

function address(el: XMLBuilder, a: PostalAddress, text: Text) {
  text(el, "StreetName", a.street);
  text(el, "CityName", a.city);
  text(el, "PostalZone", a.postalCode);
  if (a.countryCode) el.ele("cac:Country").ele("cbc:IdentificationCode").txt(a.countryCode);
}

function party(el: XMLBuilder, p: Party, isSeller: boolean, text: Text) {
  if (p.electronicAddress) text(el, "EndpointID", p.electronicAddress, { schemeID: "EM" });
  if (p.tradeName && p.tradeName !== p.name) el.ele("cac:PartyName").ele("cbc:Name").txt(p.tradeName);
  address(el.ele("cac:PostalAddress"), p.address, text);
  if (p.vatId) {
    const scheme = el.ele("cac:PartyTaxScheme");
    text(scheme, "CompanyID", p.vatId);
    scheme.ele("cac:TaxScheme").ele("cbc:ID").txt("VAT");
  }
  if (isSeller && p.taxNumber) {
    const scheme = el.ele("cac:PartyTaxScheme");
    text(scheme, "CompanyID", p.taxNumber);
    scheme.ele("cac:TaxScheme").ele("cbc:ID").txt("FC");
  }
  const legal = el.ele("cac:PartyLegalEntity");
  text(legal, "RegistrationName", p.name);
  text(legal, "CompanyID", p.legalRegistration);
  if (p.contact && (p.contact.name || p.contact.phone || p.contact.email)) {
    const contact = el.ele("cac:Contact");
    text(contact, "Name", p.contact.name);
    text(contact, "Telephone", p.contact.phone);
    text(contact, "ElectronicMail", p.contact.email);
  }
}

function taxCategory(el: XMLBuilder, category: string, rate: string, reasonCode: string | null, reason: string | null, text: Text) {
  text(el, "ID", category);
  text(el, "Percent", trimDecimal(rate));
  text(el, "TaxExemptionReasonCode", reasonCode);
  text(el, "TaxExemptionReason", reason);
  el.ele("cac:TaxScheme").ele("cbc:ID").txt("VAT");
}
