import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { trimDecimal } from "./decimal";
import { BUSINESS_PROCESS_ID, SPECIFICATION_ID, type InvoiceModel, type Party, type PostalAddress, type Profile } from "./model";

/**
 * UN/CEFACT Cross Industry Invoice D16B, the CII binding of EN 16931: XRechnung CII and the XML of
 * Factur-X 1.07 / ZUGFeRD 2.3 (profiles EN 16931 and XRECHNUNG, told apart by BT-24 only). Element
 * order follows the D16B schema as restricted by the Factur-X EN 16931 XSD (tests validate every
 * file against it). Call only with a model that passed validateInvoice (see formats.ts).
 */

const NS = {
  rsm: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
  ram: "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
  qdt: "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
  udt: "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
};

const date102 = (value: string) => value.slice(0, 10).replace(/-/g, "");

export function buildCii(invoice: InvoiceModel, profile: Profile): string {
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele(NS.rsm, "rsm:CrossIndustryInvoice", {
    "xmlns:rsm": NS.rsm,
    "xmlns:qdt": NS.qdt,
    "xmlns:ram": NS.ram,
    "xmlns:udt": NS.udt,
  });
  const cur = invoice.currency;
  const text = (parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>) => {
    if (value !== null && value !== undefined && value !== "") parent.ele(`ram:${name}`, attrs ?? {}).txt(value);
  };
  const dateTime = (parent: XMLBuilder, name: string, value: string | null, prefix: "udt" | "qdt" = "udt") => {
    if (value) parent.ele(`ram:${name}`).ele(`${prefix}:DateTimeString`, { format: "102" }).txt(date102(value));
  };
  const indicator = (parent: XMLBuilder, isCharge: boolean) => parent.ele("ram:ChargeIndicator").ele("udt:Indicator").txt(isCharge ? "true" : "false");

  const context = root.ele("rsm:ExchangedDocumentContext");
  if (profile === "xrechnung") context.ele("ram:BusinessProcessSpecifiedDocumentContextParameter").ele("ram:ID").txt(BUSINESS_PROCESS_ID);
  context.ele("ram:GuidelineSpecifiedDocumentContextParameter").ele("ram:ID").txt(SPECIFICATION_ID[profile]);

  const doc = root.ele("rsm:ExchangedDocument");
  text(doc, "ID", invoice.number);
  text(doc, "TypeCode", invoice.typeCode);
  dateTime(doc, "IssueDateTime", invoice.issueDate);
  if (invoice.note) doc.ele("ram:IncludedNote").ele("ram:Content").txt(invoice.note);

  const tx = root.ele("rsm:SupplyChainTradeTransaction");
  for (const line of invoice.lines) {
    const item = tx.ele("ram:IncludedSupplyChainTradeLineItem");
    item.ele("ram:AssociatedDocumentLineDocument").ele("ram:LineID").txt(line.id);
    const product = item.ele("ram:SpecifiedTradeProduct");
    text(product, "SellerAssignedID", line.sellerItemId);
    text(product, "Name", line.itemName);
    const price = item.ele("ram:SpecifiedLineTradeAgreement").ele("ram:NetPriceProductTradePrice");
    text(price, "ChargeAmount", trimDecimal(line.unitPrice, 2));
    if (Number(line.priceBaseQuantity) !== 1) text(price, "BasisQuantity", trimDecimal(line.priceBaseQuantity), { unitCode: line.unit });
    text(item.ele("ram:SpecifiedLineTradeDelivery"), "BilledQuantity", trimDecimal(line.quantity), { unitCode: line.unit });
    const settlement = item.ele("ram:SpecifiedLineTradeSettlement");
    const tax = settlement.ele("ram:ApplicableTradeTax");
    text(tax, "TypeCode", "VAT");
    text(tax, "CategoryCode", line.vatCategory);
    text(tax, "RateApplicablePercent", trimDecimal(line.vatRate));
    for (const [isCharge, value, reason] of [[false, line.allowanceAmount, line.allowanceReason], [true, line.chargeAmount, line.chargeReason]] as const) {
      if (Number(value) === 0) continue;
      const ac = settlement.ele("ram:SpecifiedTradeAllowanceCharge");
      indicator(ac, isCharge);
      text(ac, "ActualAmount", value);
      text(ac, "Reason", reason);
    }
    settlement.ele("ram:SpecifiedTradeSettlementLineMonetarySummation").ele("ram:LineTotalAmount").txt(line.netAmount);
  }

  const agreement = tx.ele("ram:ApplicableHeaderTradeAgreement");
  text(agreement, "BuyerReference", invoice.buyerReference);
  party(agreement.ele("ram:SellerTradeParty"), invoice.seller, true, text);
  party(agreement.ele("ram:BuyerTradeParty"), invoice.buyer, false, text);
  if (invoice.salesOrderNumber) agreement.ele("ram:SellerOrderReferencedDocument").ele("ram:IssuerAssignedID").txt(invoice.salesOrderNumber);
  if (invoice.orderReference) agreement.ele("ram:BuyerOrderReferencedDocument").ele("ram:IssuerAssignedID").txt(invoice.orderReference);

  const delivery = tx.ele("ram:ApplicableHeaderTradeDelivery");
  if (invoice.deliverTo) {
    const shipTo = delivery.ele("ram:ShipToTradeParty");
    text(shipTo, "Name", invoice.deliverTo.name);
    address(shipTo.ele("ram:PostalTradeAddress"), invoice.deliverTo.address, text);
  }
  if (invoice.deliveryDate) dateTime(delivery.ele("ram:ActualDeliverySupplyChainEvent"), "OccurrenceDateTime", invoice.deliveryDate);

  const settlement = tx.ele("ram:ApplicableHeaderTradeSettlement");
  text(settlement, "PaymentReference", invoice.payment.reference);
  text(settlement, "TaxCurrencyCode", invoice.taxCurrency);
  text(settlement, "InvoiceCurrencyCode", cur);
  const means = settlement.ele("ram:SpecifiedTradeSettlementPaymentMeans");
  text(means, "TypeCode", invoice.payment.meansCode);
  if (invoice.payment.iban) {
    const account = means.ele("ram:PayeePartyCreditorFinancialAccount");
    text(account, "IBANID", invoice.payment.iban);
    text(account, "AccountName", invoice.payment.accountName);
    if (invoice.payment.bic) means.ele("ram:PayeeSpecifiedCreditorFinancialInstitution").ele("ram:BICID").txt(invoice.payment.bic);
  }
  invoice.vatBreakdown.forEach((b, index) => {
    const tax = settlement.ele("ram:ApplicableTradeTax");
    text(tax, "CalculatedAmount", b.taxAmount);
    text(tax, "TypeCode", "VAT");
    text(tax, "ExemptionReason", b.exemptionReason);
    text(tax, "BasisAmount", b.taxableAmount);
    text(tax, "CategoryCode", b.category);
    text(tax, "ExemptionReasonCode", b.exemptionReasonCode);
    // BT-7 travels in the first VAT breakdown (CII has no header-level tax point date).
    if (index === 0 && invoice.taxPointDate) tax.ele("ram:TaxPointDate").ele("udt:DateString", { format: "102" }).txt(date102(invoice.taxPointDate));
    text(tax, "RateApplicablePercent", trimDecimal(b.rate));
  });
  if (invoice.invoicingPeriod && (invoice.invoicingPeriod.start || invoice.invoicingPeriod.end)) {
    const period = settlement.ele("ram:BillingSpecifiedPeriod");
    dateTime(period, "StartDateTime", invoice.invoicingPeriod.start);
    dateTime(period, "EndDateTime", invoice.invoicingPeriod.end);
  }
  for (const ac of invoice.allowanceCharges) {
    const el = settlement.ele("ram:SpecifiedTradeAllowanceCharge");
    indicator(el, ac.isCharge);
    if (ac.percent !== null) text(el, "CalculationPercent", trimDecimal(ac.percent));
    if (ac.baseAmount !== null) text(el, "BasisAmount", ac.baseAmount);
    text(el, "ActualAmount", ac.amount);
    text(el, "ReasonCode", ac.reasonCode);
    text(el, "Reason", ac.reason);
    const tax = el.ele("ram:CategoryTradeTax");
    text(tax, "TypeCode", "VAT");
    text(tax, "CategoryCode", ac.vatCategory);
    text(tax, "RateApplicablePercent", trimDecimal(ac.vatRate));
  }
  if (invoice.paymentTerms || invoice.dueDate) {
    const terms = settlement.ele("ram:SpecifiedTradePaymentTerms");
    text(terms, "Description", invoice.paymentTerms);
    dateTime(terms, "DueDateDateTime", invoice.dueDate);
  }
  const t = invoice.totals;
  const sums = settlement.ele("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  text(sums, "LineTotalAmount", t.lineNet);
  if (invoice.allowanceCharges.some((a) => a.isCharge)) text(sums, "ChargeTotalAmount", t.charges);
  if (invoice.allowanceCharges.some((a) => !a.isCharge)) text(sums, "AllowanceTotalAmount", t.allowances);
  text(sums, "TaxBasisTotalAmount", t.taxExclusive);
  text(sums, "TaxTotalAmount", t.tax, { currencyID: cur });
  if (invoice.taxCurrency && t.taxInTaxCurrency !== null) text(sums, "TaxTotalAmount", t.taxInTaxCurrency, { currencyID: invoice.taxCurrency });
  if (Number(t.rounding) !== 0) text(sums, "RoundingAmount", t.rounding);
  text(sums, "GrandTotalAmount", t.taxInclusive);
  if (Number(t.prepaid) !== 0) text(sums, "TotalPrepaidAmount", t.prepaid);
  text(sums, "DuePayableAmount", t.due);
  if (invoice.precedingInvoice?.number) {
    const ref = settlement.ele("ram:InvoiceReferencedDocument");
    text(ref, "IssuerAssignedID", invoice.precedingInvoice.number);
    dateTime(ref, "FormattedIssueDateTime", invoice.precedingInvoice.issueDate, "qdt");
  }
  return root.end({ prettyPrint: true });
}

type Text = (parent: XMLBuilder, name: string, value: string | null | undefined, attrs?: Record<string, string>) => void;

function address(el: XMLBuilder, a: PostalAddress, text: Text) {
  text(el, "PostcodeCode", a.postalCode);
  text(el, "LineOne", a.street);
  text(el, "CityName", a.city);
  text(el, "CountryID", a.countryCode);
}

function party(el: XMLBuilder, p: Party, isSeller: boolean, text: Text) {
  text(el, "Name", p.name);
  if (p.legalRegistration || (p.tradeName && p.tradeName !== p.name)) {
    const legal = el.ele("ram:SpecifiedLegalOrganization");
    text(legal, "ID", p.legalRegistration);
    if (p.tradeName && p.tradeName !== p.name) text(legal, "TradingBusinessName", p.tradeName);
  }
  if (p.contact && (p.contact.name || p.contact.phone || p.contact.email)) {
    const contact = el.ele("ram:DefinedTradeContact");
    text(contact, "PersonName", p.contact.name);
    if (p.contact.phone) contact.ele("ram:TelephoneUniversalCommunication").ele("ram:CompleteNumber").txt(p.contact.phone);
    if (p.contact.email) contact.ele("ram:EmailURIUniversalCommunication").ele("ram:URIID").txt(p.contact.email);
  }
  address(el.ele("ram:PostalTradeAddress"), p.address, text);
  if (p.electronicAddress) el.ele("ram:URIUniversalCommunication").ele("ram:URIID", { schemeID: "EM" }).txt(p.electronicAddress);
  if (p.vatId) text(el.ele("ram:SpecifiedTaxRegistration"), "ID", p.vatId, { schemeID: "VA" });
  if (isSeller && p.taxNumber) text(el.ele("ram:SpecifiedTaxRegistration"), "ID", p.taxNumber, { schemeID: "FC" });
}
