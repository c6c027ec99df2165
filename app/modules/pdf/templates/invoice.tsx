import { Document, Text, View } from "@react-pdf/renderer";
import { formatMoney, formatNumber } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { docLabel, vatCategoryName } from "~/modules/documents/labels";
import type { InvoiceLineModel, InvoiceModel } from "~/modules/einvoice/model";
import type { SellerProfile } from "~/modules/einvoice/load.server";
import { AddressBlock, AmountRow, DocumentPage, restWidth, Facts, QrCode, TableHeader, TableRows, dateText, epcPayload, formatIban, makeStyles, paginateRows, textLines, type Column, type Lang, type Styles } from "./layout";

/** Invoice and credit note: lines over as many pages as needed, totals, VAT breakdown, payment. */

export interface InvoicePdfData {
  invoice: InvoiceModel;
  seller: SellerProfile;
  lang: Lang;
  accountNumber: string;
  status: string;
  amountDueNow: string;
  paidAmount: string;
}

// Widths include the column gap. Quantity fits a unit label after the number ("1.250 Paletten"), the
// unit price amounts like "1.363,00 CHF", and the headers fit in both languages. The description
// takes the rest of the table.
const W = { pos: 24, sku: 74, quantity: 66, unitPrice: 66, vat: 38, net: 68 };
const DESCRIPTION_WIDTH = restWidth(...Object.values(W));

export function InvoicePdf({ data }: { data: InvoicePdfData }) {
  const { invoice, seller, lang } = data;
  const styles = makeStyles(seller.brandColor);
  const money = (value: string) => formatMoney(lang, value, invoice.currency);
  const title = docLabel(lang, invoice.kind);
  const columns: Column<InvoiceLineModel>[] = [
    { label: docLabel(lang, "pos"), width: W.pos, cell: (l) => l.id },
    { label: docLabel(lang, "sku"), width: W.sku, cell: (l) => l.sellerItemId ?? "" },
    { label: docLabel(lang, "description"), width: DESCRIPTION_WIDTH, cell: (l) => lineDescription(l, lang, invoice.currency) },
    { label: docLabel(lang, "quantity"), width: W.quantity, align: "right", cell: (l) => formatQuantity(lang, l.quantity, l.unit) },
    { label: docLabel(lang, "unitPrice"), width: W.unitPrice, align: "right", cell: (l) => formatMoney(lang, l.unitPrice, invoice.currency) + (Number(l.priceBaseQuantity) !== 1 ? ` /${formatNumber(lang, l.priceBaseQuantity)}` : "") },
    { label: `${docLabel(lang, "vat")} %`, width: W.vat, align: "right", cell: (l) => formatNumber(lang, l.vatRate, 2) },
    { label: docLabel(lang, "net"), width: W.net, align: "right", cell: (l) => money(l.netAmount) },
  ];
  const pages = paginateRows(invoice.lines, (l) => textLines(lineDescription(l, lang, invoice.currency), DESCRIPTION_WIDTH), { first: 25, next: 39 });
  const continued = docLabel(lang, "continued", { title, number: invoice.number });
  const tail = <Totals data={data} styles={styles} />;
  return (
    <Document title={`${title} ${invoice.number}`} author={seller.party.name ?? ""} language={lang === "de" ? "de-DE" : "en-GB"} pdfVersion="1.7">
      {pages.map((rows, i) => (
        <DocumentPage key={i} page={{ index: i, count: pages.length }} seller={seller} lang={lang} styles={styles} continued={continued}>
          {i === 0 ? <Head data={data} styles={styles} title={title} /> : null}
          <TableHeader columns={columns} styles={styles} />
          <TableRows columns={columns} rows={rows} styles={styles} />
          {i === pages.length - 1 ? tail : null}
        </DocumentPage>
      ))}
    </Document>
  );
}

function lineDescription(l: InvoiceLineModel, lang: Lang, currency: string): string {
  const extras: string[] = [];
  if (Number(l.allowanceAmount) !== 0) extras.push(`${l.allowanceReason ?? docLabel(lang, "discount")} −${formatMoney(lang, l.allowanceAmount, currency)}`);
  if (Number(l.chargeAmount) !== 0) extras.push(`${l.chargeReason ?? docLabel(lang, "charge")} +${formatMoney(lang, l.chargeAmount, currency)}`);
  return extras.length ? `${l.itemName} (${extras.join(", ")})` : l.itemName;
}

function showQr(data: InvoicePdfData): boolean {
  return (
    data.invoice.kind === "invoice" &&
    data.invoice.currency === "EUR" &&
    (data.status === "open" || data.status === "partially_paid") &&
    Number(data.amountDueNow) > 0 &&
    !!data.seller.iban
  );
}

function Head({ data, styles, title }: { data: InvoicePdfData; styles: Styles; title: string }) {
  const { invoice, lang } = data;
  const b = invoice.buyer;
  return (
    <>
      <View style={styles.addressRow}>
        <AddressBlock
          seller={data.seller}
          styles={styles}
          lines={[b.name, b.address.street, `${b.address.postalCode ?? ""} ${b.address.city ?? ""}`.trim(), b.address.countryCode !== data.seller.party.address.countryCode ? b.address.countryCode : null, b.vatId ? `${docLabel(lang, "vatId")} ${b.vatId}` : null]}
        />
        <Facts
          styles={styles}
          rows={[
            [docLabel(lang, "number"), invoice.number],
            [docLabel(lang, "date"), dateText(lang, invoice.issueDate)],
            [docLabel(lang, "customerNumber"), data.accountNumber],
            [docLabel(lang, "yourReference"), invoice.orderReference],
            [docLabel(lang, "orderNumber"), invoice.salesOrderNumber],
            [docLabel(lang, "buyerReference"), invoice.buyerReference],
            [docLabel(lang, "deliveryDate"), dateText(lang, invoice.deliveryDate)],
            [docLabel(lang, "dueDate"), dateText(lang, invoice.dueDate)],
            [docLabel(lang, "correctsInvoice"), invoice.precedingInvoice ? `${invoice.precedingInvoice.number} (${dateText(lang, invoice.precedingInvoice.issueDate)})` : null],
          ]}
        />
      </View>
      <Text style={styles.title}>
        {title} {invoice.number}
      </Text>
    </>
  );
}

function Totals({ data, styles }: { data: InvoicePdfData; styles: Styles }) {
  const { invoice, lang, seller } = data;
  const t = invoice.totals;
  const money = (value: string) => formatMoney(lang, value, invoice.currency);
  const row = (label: string, value: string, key: string) => <AmountRow key={key} styles={styles} label={label} value={value} />;
  const qr = showQr(data);
  return (
    <View wrap={false}>
      <View style={styles.totals}>
        {row(docLabel(lang, "lineNetTotal"), money(t.lineNet), "lines")}
        {invoice.allowanceCharges.map((ac, i) =>
          row(`${ac.reason ?? docLabel(lang, ac.isCharge ? "charge" : "allowance")} (${ac.vatCategory} ${formatNumber(lang, ac.vatRate, 2)} %)`, `${ac.isCharge ? "" : "−"}${money(ac.amount)}`, `ac${i}`),
        )}
        {row(docLabel(lang, "totalNet"), money(t.taxExclusive), "net")}
        {invoice.vatBreakdown.map((b) =>
          row(`${docLabel(lang, "vat")} ${formatNumber(lang, b.rate, 2)} % ${b.category === "S" ? "" : `(${vatCategoryName(lang, b.category)}) `}${lang === "de" ? "auf" : "on"} ${money(b.taxableAmount)}`, money(b.taxAmount), `vat${b.category}${b.rate}`),
        )}
        {invoice.taxCurrency && t.taxInTaxCurrency !== null ? row(docLabel(lang, "vatInCurrency", { currency: invoice.taxCurrency }), formatMoney(lang, t.taxInTaxCurrency, invoice.taxCurrency), "vatcur") : null}
        <AmountRow styles={styles} style={styles.grandTotal} label={docLabel(lang, "totalGross")} value={money(t.taxInclusive)} />
        {Number(t.prepaid) !== 0 ? row(docLabel(lang, "prepaid"), `−${money(t.prepaid)}`, "prepaid") : null}
        {Number(t.prepaid) !== 0 ? row(docLabel(lang, "amountDue"), money(t.due), "due") : null}
        {Number(data.paidAmount) !== 0 && invoice.kind === "invoice" ? row(docLabel(lang, "paidSoFar"), money(data.paidAmount), "paid") : null}
        {Number(data.paidAmount) !== 0 && invoice.kind === "invoice" ? row(docLabel(lang, "remaining"), money(data.amountDueNow), "remaining") : null}
      </View>
      {invoice.vatBreakdown.some((b) => b.exemptionReason) ? (
        <View style={styles.section}>
          {invoice.vatBreakdown
            .filter((b) => b.exemptionReason)
            .map((b) => (
              <Text key={b.category} style={styles.small}>
                {vatCategoryName(lang, b.category)}: {b.exemptionReason}
              </Text>
            ))}
        </View>
      ) : null}
      {invoice.note ? <Text style={[styles.section, styles.small]}>{invoice.note}</Text> : null}
      {invoice.kind === "credit_note" ? <Text style={[styles.section, styles.small]}>{docLabel(lang, "creditNoteRefund")}</Text> : null}
      <View style={[styles.section, { flexDirection: "row", justifyContent: "space-between" }]}>
        <View style={{ width: qr ? 360 : "100%" }}>
          {invoice.paymentTerms ? (
            <>
              <Text style={styles.sectionTitle}>{docLabel(lang, "paymentTerms")}</Text>
              <Text>{invoice.paymentTerms}</Text>
            </>
          ) : null}
          {seller.iban ? (
            <>
              <Text style={[styles.sectionTitle, { marginTop: 6 }]}>{docLabel(lang, "bankDetails")}</Text>
              <Text>
                {seller.bankName ? `${seller.bankName} · ` : ""}IBAN {formatIban(seller.iban)}
                {seller.bic ? ` · BIC ${seller.bic}` : ""}
              </Text>
              <Text>
                {docLabel(lang, "paymentReference")}: {invoice.payment.reference ?? invoice.number}
              </Text>
            </>
          ) : null}
        </View>
        {qr ? (
          <View style={{ alignItems: "center", width: 110 }}>
            <QrCode size={84} text={epcPayload({ name: seller.party.name ?? "", iban: seller.iban!, bic: seller.bic, amount: data.amountDueNow, reference: invoice.payment.reference ?? invoice.number })} />
            <Text style={[styles.small, styles.muted, { textAlign: "center" }]}>{docLabel(lang, "scanToPay")}</Text>
          </View>
        ) : null}
      </View>
    </View>
  );
}
