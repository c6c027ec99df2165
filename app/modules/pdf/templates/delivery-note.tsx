import { Document, Text, View } from "@react-pdf/renderer";
import { formatQuantity } from "~/i18n/units";
import { docLabel } from "~/modules/documents/labels";
import type { SellerProfile } from "~/modules/einvoice/load.server";
import { DocumentPage, Facts, restWidth, TableHeader, TableRows, dateText, makeStyles, paginateRows, textLines, type Column, type Lang, BuyerAddressBlock, type BuyerAddress } from "./layout";

/** Delivery note: what was shipped now and what is backordered, per line; no prices. */

export interface DeliveryNoteLine {
  lineNo: number;
  sku: string | null;
  description: string;
  unit: string;
  quantityDelivered: string;
  quantityBackordered: string;
  quantityOrdered: string | null;
}

export interface DeliveryNotePdfData {
  lang: Lang;
  seller: SellerProfile;
  number: string;
  issueDate: string;
  accountNumber: string;
  buyer: BuyerAddress;
  shipTo: string | null;
  orderNumber: string | null;
  customerReference: string | null;
  shipment: { number: string; carrier: string | null; trackingNumber: string | null } | null;
  note: string | null;
  lines: DeliveryNoteLine[];
}

// Widths include the column gap. Quantity columns fit a unit label after the number ("1.250 Paletten")
// and the widest header ("Backordered"). The description takes the rest of the table.
const W = { pos: 24, sku: 74, ordered: 66, delivered: 66, backordered: 66 };
const DESCRIPTION_WIDTH = restWidth(...Object.values(W));

export function DeliveryNotePdf({ data }: { data: DeliveryNotePdfData }) {
  const { lang, seller } = data;
  const styles = makeStyles(seller.brandColor);
  const qty = (value: string | null, unit: string) => (value === null ? "" : formatQuantity(lang, value, unit));
  const columns: Column<DeliveryNoteLine>[] = [
    { label: docLabel(lang, "pos"), width: W.pos, cell: (l) => String(l.lineNo) },
    { label: docLabel(lang, "sku"), width: W.sku, cell: (l) => l.sku ?? "" },
    { label: docLabel(lang, "description"), width: DESCRIPTION_WIDTH, cell: (l) => l.description },
    { label: docLabel(lang, "ordered"), width: W.ordered, align: "right", cell: (l) => qty(l.quantityOrdered, l.unit) },
    { label: docLabel(lang, "delivered"), width: W.delivered, align: "right", cell: (l) => qty(l.quantityDelivered, l.unit) },
    { label: docLabel(lang, "backordered"), width: W.backordered, align: "right", cell: (l) => (Number(l.quantityBackordered) > 0 ? qty(l.quantityBackordered, l.unit) : "–") },
  ];
  const title = docLabel(lang, "delivery_note");
  const pages = paginateRows(data.lines, (l) => textLines(l.description, DESCRIPTION_WIDTH), { first: 25, next: 39 });
  const continued = docLabel(lang, "continued", { title, number: data.number });
  const hasBackorder = data.lines.some((l) => Number(l.quantityBackordered) > 0);
  const tail = (
    <View style={styles.section} wrap={false}>
      {hasBackorder ? <Text style={styles.bold}>{docLabel(lang, "backorderNote")}</Text> : null}
      {data.note ? <Text style={styles.small}>{data.note}</Text> : null}
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
                    [docLabel(lang, "orderNumber"), data.orderNumber],
                    [docLabel(lang, "yourReference"), data.customerReference],
                    [docLabel(lang, "shipment"), data.shipment ? `${data.shipment.number}${data.shipment.carrier ? ` · ${data.shipment.carrier}` : ""}` : null],
                    [docLabel(lang, "tracking"), data.shipment?.trackingNumber],
                  ]}
                />
              </View>
              {data.shipTo ? (
                <Text style={[styles.small, { marginBottom: 8 }]}>
                  {docLabel(lang, "shipTo")}: {data.shipTo.replace(/\n/g, ", ")}
                </Text>
              ) : null}
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
