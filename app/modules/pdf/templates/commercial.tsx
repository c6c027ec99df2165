import { Document, Text, View } from "@react-pdf/renderer";
import { formatMoney, formatNumber } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { docLabel } from "~/modules/documents/labels";
import type { SellerProfile } from "~/modules/einvoice/load.server";
import { AmountRow, DocumentPage, Facts, restWidth, TableHeader, TableRows, dateText, makeStyles, paginateRows, textLines, type Column, type Lang, BuyerAddressBlock, type BuyerAddress } from "./layout";

/** Order confirmation and quote: priced lines with discounts, net / VAT / gross totals. */

export interface CommercialLine {
  lineNo: number;
  sku: string | null;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  discountPercent: string;
  vatRate: string;
  netAmount: string;
  promisedDate?: string | null;
}

export interface CommercialPdfData {
  kind: "order_confirmation" | "quote";
  lang: Lang;
  seller: SellerProfile;
  number: string;
  issueDate: string;
  accountNumber: string;
  buyer: BuyerAddress;
  currency: string;
  customerReference: string | null;
  orderNumber: string | null;
  validUntil: string | null;
  promisedDeliveryDate: string | null;
  netAmount: string;
  taxAmount: string;
  grossAmount: string;
  paymentTerms: string | null;
  note: string | null;
  lines: CommercialLine[];
}

// Widths include the column gap. Quantity fits a unit label after the number ("1.250 Paletten"), the
// unit price amounts like "1.363,00 CHF", and the headers fit in both languages ("Discount" is the
// widest, "Einzelpreis", "USt. %"). The description takes the rest of the table.
const W = { pos: 24, sku: 74, quantity: 66, unitPrice: 62, discount: 47, vat: 38, net: 68 };
const DESCRIPTION_WIDTH = restWidth(...Object.values(W));

export function CommercialPdf({ data }: { data: CommercialPdfData }) {
  const { lang, seller } = data;
  const styles = makeStyles(seller.brandColor);
  const money = (value: string) => formatMoney(lang, value, data.currency);
  const columns: Column<CommercialLine>[] = [
    { label: docLabel(lang, "pos"), width: W.pos, cell: (l) => String(l.lineNo) },
    { label: docLabel(lang, "sku"), width: W.sku, cell: (l) => l.sku ?? "" },
    { label: docLabel(lang, "description"), width: DESCRIPTION_WIDTH, cell: (l) => (l.promisedDate ? `${l.description} (${docLabel(lang, "promisedDate")} ${dateText(lang, l.promisedDate)})` : l.description) },
    { label: docLabel(lang, "quantity"), width: W.quantity, align: "right", cell: (l) => formatQuantity(lang, l.quantity, l.unit) },
    { label: docLabel(lang, "unitPrice"), width: W.unitPrice, align: "right", cell: (l) => money(l.unitPrice) },
    { label: docLabel(lang, "discount"), width: W.discount, align: "right", cell: (l) => (Number(l.discountPercent) > 0 ? `${formatNumber(lang, l.discountPercent, 2)} %` : "") },
    { label: `${docLabel(lang, "vat")} %`, width: W.vat, align: "right", cell: (l) => formatNumber(lang, l.vatRate, 2) },
    { label: docLabel(lang, "net"), width: W.net, align: "right", cell: (l) => money(l.netAmount) },
  ];
  const title = docLabel(lang, data.kind);
  const pages = paginateRows(data.lines, (l) => textLines(l.description, DESCRIPTION_WIDTH), { first: 25, next: 39 });
  const continued = docLabel(lang, "continued", { title, number: data.number });
  const tail = (
    <View wrap={false}>
      <View style={styles.totals}>
        <AmountRow styles={styles} label={docLabel(lang, "totalNet")} value={money(data.netAmount)} />
        <AmountRow styles={styles} label={docLabel(lang, "totalVat")} value={money(data.taxAmount)} />
        <AmountRow styles={styles} style={styles.grandTotal} label={docLabel(lang, "totalGross")} value={money(data.grossAmount)} />
      </View>
      {data.paymentTerms ? (
        <View style={styles.section}>
          <Text style={styles.sectionTitle}>{docLabel(lang, "paymentTerms")}</Text>
          <Text>{data.paymentTerms}</Text>
        </View>
      ) : null}
      {data.note ? <Text style={[styles.section, styles.small]}>{data.note}</Text> : null}
      {data.kind === "quote" ? <Text style={styles.section}>{docLabel(lang, "quoteNote")}</Text> : null}
    </View>
  );
  return (
    <Document title={`${title} ${data.number}`} author={seller.party.name ?? ""} pdfVersion="1.7">
      {pages.map((rows, i) => (
        <DocumentPage key={i} page={{ index: i, count: pages.length }} seller={seller} lang={lang} styles={styles} continued={continued}>
          {i === 0 ? (
            <>
              <View style={styles.addressRow}>
                <BuyerAddressBlock seller={seller} buyer={data.buyer} styles={styles} />
                <Facts
                  styles={styles}
                  rows={[
                    [docLabel(lang, "number"), data.number],
                    [docLabel(lang, "date"), dateText(lang, data.issueDate)],
                    [docLabel(lang, "customerNumber"), data.accountNumber],
                    [docLabel(lang, "yourReference"), data.customerReference],
                    [docLabel(lang, "orderNumber"), data.orderNumber],
                    [docLabel(lang, "validUntil"), dateText(lang, data.validUntil)],
                    [docLabel(lang, "promisedDate"), dateText(lang, data.promisedDeliveryDate)],
                  ]}
                />
              </View>
              <Text style={styles.title}>
                {title} {data.number}
              </Text>
            </>
          ) : null}
          <TableHeader columns={columns} styles={styles} />
          <TableRows columns={columns} rows={rows} styles={styles} />
          {i === pages.length - 1 ? tail : null}
        </DocumentPage>
      ))}
    </Document>
  );
}
