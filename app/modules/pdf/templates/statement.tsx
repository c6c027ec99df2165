import { Document, Text, View } from "@react-pdf/renderer";
import { formatMoney } from "~/i18n/i18n";
import { docLabel } from "~/modules/documents/labels";
import type { SellerProfile } from "~/modules/einvoice/load.server";
import { AmountRow, DocumentPage, Facts, restWidth, TableHeader, TableRows, dateText, makeStyles, paginateRows, type Column, type Lang, BuyerAddressBlock, type BuyerAddress } from "./layout";

/** Statement of account for a date range: opening balance, movements, closing balance, aging. */

export interface StatementEntry {
  date: string;
  kind: "invoice" | "credit_note" | "payment" | "refund";
  number: string;
  text: string;
  debit: string | null;
  credit: string | null;
  balance: string;
}

export interface StatementAging {
  notDue: string;
  d1to30: string;
  d31to60: string;
  d61to90: string;
  d90plus: string;
  total: string;
}

export interface StatementPdfData {
  lang: Lang;
  seller: SellerProfile;
  accountNumber: string;
  buyer: BuyerAddress;
  currency: string;
  from: string;
  to: string;
  openingBalance: string;
  closingBalance: string;
  entries: StatementEntry[];
  aging: StatementAging;
}

// Widths include the column gap; the description takes the rest of the table.
const W = { date: 66, number: 90, debit: 70, credit: 70, balance: 70 };
const DESCRIPTION_WIDTH = restWidth(...Object.values(W));

export function StatementPdf({ data }: { data: StatementPdfData }) {
  const { lang, seller } = data;
  const styles = makeStyles(seller.brandColor);
  const money = (value: string | null) => (value === null ? "" : formatMoney(lang, value, data.currency));
  const columns: Column<StatementEntry>[] = [
    { label: docLabel(lang, "date"), width: W.date, cell: (e) => dateText(lang, e.date) },
    { label: docLabel(lang, "number"), width: W.number, cell: (e) => e.number },
    { label: docLabel(lang, "description"), width: DESCRIPTION_WIDTH, cell: (e) => e.text },
    { label: docLabel(lang, "debit"), width: W.debit, align: "right", cell: (e) => money(e.debit) },
    { label: docLabel(lang, "credit"), width: W.credit, align: "right", cell: (e) => money(e.credit) },
    { label: docLabel(lang, "balance"), width: W.balance, align: "right", cell: (e) => money(e.balance) },
  ];
  const title = docLabel(lang, "statement");
  const period = docLabel(lang, "period", { from: dateText(lang, data.from), to: dateText(lang, data.to) });
  const pages = paginateRows(data.entries, () => 1, { first: 23, next: 39 });
  const continued = docLabel(lang, "continued", { title, number: data.accountNumber });
  const row = (label: string, value: string, bold = false) => <AmountRow styles={styles} style={bold ? styles.bold : undefined} label={label} value={value} />;
  const a = data.aging;
  const tail = (
    <View wrap={false}>
      {data.entries.length === 0 ? <Text style={[styles.section, styles.muted]}>{docLabel(lang, "noEntries")}</Text> : null}
      <View style={styles.totals}>
        <AmountRow styles={styles} style={styles.grandTotal} label={docLabel(lang, "closingBalance")} value={money(data.closingBalance)} />
      </View>
      <View style={[styles.section, { width: 260 }]}>
        <Text style={styles.sectionTitle}>{docLabel(lang, "aging")}</Text>
        {row(docLabel(lang, "notDue"), money(a.notDue))}
        {row(docLabel(lang, "days1to30"), money(a.d1to30))}
        {row(docLabel(lang, "days31to60"), money(a.d31to60))}
        {row(docLabel(lang, "days61to90"), money(a.d61to90))}
        {row(docLabel(lang, "days90plus"), money(a.d90plus))}
        {row(docLabel(lang, "totalOpen"), money(a.total), true)}
      </View>
    </View>
  );
  return (
    <Document title={`${title} ${data.accountNumber}`} author={seller.party.name ?? ""} pdfVersion="1.7">
      {pages.map((rows, i) => (
        <DocumentPage key={i} page={{ index: i, count: pages.length }} seller={seller} lang={lang} styles={styles} continued={continued}>
          {i === 0 ? (
            <>
              <View style={styles.addressRow}>
                <BuyerAddressBlock seller={seller} buyer={data.buyer} styles={styles} />
                <Facts styles={styles} rows={[[docLabel(lang, "customerNumber"), data.accountNumber], [docLabel(lang, "date"), dateText(lang, data.to)]]} />
              </View>
              <Text style={styles.title}>{title}</Text>
              <Text style={{ marginBottom: 8 }}>{period}</Text>
              <AmountRow styles={styles} style={[styles.bold, { marginBottom: 4 }]} label={docLabel(lang, "openingBalance")} value={money(data.openingBalance)} />
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
