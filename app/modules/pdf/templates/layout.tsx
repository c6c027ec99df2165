import { deflateSync } from "node:zlib";
import { Image, Page, StyleSheet, Text, View } from "@react-pdf/renderer";
import { createContext, useContext, type ComponentProps, type ReactNode } from "react";
import QRCode from "qrcode";
import { formatDate } from "~/i18n/i18n";
import { docLabel } from "~/modules/documents/labels";
import type { SellerProfile } from "~/modules/einvoice/load.server";
import { FONT_FAMILY } from "../assets.server";
import { Logo } from "./svg-logo";

/**
 * What every document shares: the letterhead (logo, sender line), the address and facts blocks,
 * the footer with the supplier's legal and bank details and "page x of y", and the line table.
 * Line tables are paginated here (paginateRows), so each page starts with its own table header.
 */

export type Lang = "en" | "de";

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = { top: 36, side: 44, bottom: 78 };
const PAGE_BODY_HEIGHT = A4.height - MARGIN.top - MARGIN.bottom;
/** Side padding of a line table's header and rows. */
const ROW_PADDING = 3;
/** What a line table's column widths add up to: the page's content width inside the rows' padding. */
export const TABLE_WIDTH = A4.width - 2 * MARGIN.side - 2 * ROW_PADDING;
/**
 * Space before every column but the first, inside its width: two right-aligned neighbours (e.g.
 * "Unit price" and "Discount") never touch, and a header wider than its column wraps instead.
 */
export const COLUMN_GAP = 4;
/** Width of the amounts in totals blocks: room for "−1.234.567,89 CHF" in the 10 pt grand total. */
const AMOUNT_WIDTH = 100;

export function makeStyles(brand: string) {
  return StyleSheet.create({
    page: { fontFamily: FONT_FAMILY, fontSize: 8.5, color: "#1d2430", paddingTop: MARGIN.top, paddingBottom: MARGIN.bottom, paddingHorizontal: MARGIN.side },
    letterhead: { flexDirection: "row", justifyContent: "space-between", alignItems: "flex-start", marginBottom: 18 },
    sender: { fontSize: 7.5, color: "#4b5563", textAlign: "right", lineHeight: 1.35 },
    senderLine: { fontSize: 6.5, color: "#4b5563", borderBottomWidth: 0.5, borderBottomColor: "#9ca3af", marginBottom: 4, paddingBottom: 1 },
    addressRow: { flexDirection: "row", justifyContent: "space-between", marginBottom: 18 },
    address: { width: 250, lineHeight: 1.35, fontSize: 9 },
    facts: { width: 225 },
    factRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 1.2 },
    factLabel: { color: "#4b5563", width: 100 },
    factValue: { flex: 1, textAlign: "right" },
    title: { fontSize: 16, fontWeight: 700, color: brand, marginBottom: 8 },
    continued: { fontSize: 10, fontWeight: 700, color: brand, marginBottom: 8 },
    th: { flexDirection: "row", backgroundColor: brand, color: "#ffffff", fontWeight: 700, paddingVertical: 3.5, paddingHorizontal: ROW_PADDING },
    tr: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: "#d1d5db", paddingVertical: 3, paddingHorizontal: ROW_PADDING },
    num: { textAlign: "right" },
    muted: { color: "#4b5563" },
    small: { fontSize: 7.5 },
    bold: { fontWeight: 700 },
    footer: { position: "absolute", left: MARGIN.side, right: MARGIN.side, bottom: 24, borderTopWidth: 0.5, borderTopColor: "#9ca3af", paddingTop: 4, fontSize: 6.5, color: "#4b5563", flexDirection: "row", justifyContent: "space-between" },
    footerCol: { width: 165 },
    pageNo: { position: "absolute", right: MARGIN.side, bottom: 12, fontSize: 7, color: "#4b5563" },
    totals: { marginTop: 8, marginLeft: "auto", width: 280 },
    totalRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 1.5 },
    totalLabel: { flex: 1, paddingRight: 8 },
    totalAmount: { width: AMOUNT_WIDTH, textAlign: "right" },
    grandTotal: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 3, borderTopWidth: 1, borderTopColor: brand, marginTop: 2, fontWeight: 700, fontSize: 10 },
    section: { marginTop: 12 },
    sectionTitle: { fontWeight: 700, marginBottom: 3, color: brand },
  });
}
export type Styles = ReturnType<typeof makeStyles>;
type Style = ComponentProps<typeof View>["style"];

export function Letterhead({ seller, styles }: { seller: SellerProfile; styles: Styles }) {
  const s = seller.party;
  return (
    <View style={styles.letterhead}>
      <Logo svg={seller.logoSvg} height={40} />
      <View style={styles.sender}>
        <Text style={styles.bold}>{s.name}</Text>
        <Text>{s.address.street}</Text>
        <Text>
          {s.address.postalCode} {s.address.city}
        </Text>
        {seller.phone ? <Text>{seller.phone}</Text> : null}
        {seller.email ? <Text>{seller.email}</Text> : null}
        {seller.website ? <Text>{seller.website.replace(/^https?:\/\//, "")}</Text> : null}
      </View>
    </View>
  );
}

export function AddressBlock({ seller, lines, styles }: { seller: SellerProfile; lines: (string | null | undefined)[]; styles: Styles }) {
  const s = seller.party;
  return (
    <View style={styles.address}>
      <Text style={styles.senderLine}>{[s.tradeName ?? s.name, s.address.street, `${s.address.postalCode ?? ""} ${s.address.city ?? ""}`].join(" · ")}</Text>
      {lines.filter(Boolean).map((line, i) => (
        <Text key={i} style={i === 0 ? styles.bold : undefined}>
          {line}
        </Text>
      ))}
    </View>
  );
}

/** The customer as the three document templates address it. */
export interface BuyerAddress {
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
}

/** The window address of a customer document: the seller's return line, then the buyer. */
export function BuyerAddressBlock({ seller, buyer, styles }: { seller: SellerProfile; buyer: BuyerAddress; styles: Styles }) {
  return <AddressBlock seller={seller} styles={styles} lines={[buyer.name, buyer.street, `${buyer.postalCode ?? ""} ${buyer.city ?? ""}`.trim()]} />;
}

export function Facts({ rows, styles }: { rows: [string, string | null | undefined][]; styles: Styles }) {
  return (
    <View style={styles.facts}>
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <View key={label} style={styles.factRow}>
            <Text style={styles.factLabel}>{label}</Text>
            <Text style={styles.factValue}>{value}</Text>
          </View>
        ))}
    </View>
  );
}

/**
 * Who breaks pages. "template": the pages paginateRows made are final (react-pdf does not try to
 * split them) and "page x of y" is plain text — one layout pass. "react-pdf": react-pdf splits a
 * page whose content does not fit and numbers pages with a render prop, which costs it three
 * layout passes per page. render.server.tsx lays out with "template" first and falls back to
 * "react-pdf" when a page's content does not fit (e.g. the totals block needs a page of its own).
 */
export type Pagination = "template" | "react-pdf";
export const PaginationContext = createContext<Pagination>("react-pdf");

export interface PagePosition {
  index: number;
  count: number;
}

export function Footer({ seller, lang, styles, page }: { seller: SellerProfile; lang: Lang; styles: Styles; page: PagePosition }) {
  const pagination = useContext(PaginationContext);
  const s = seller.party;
  return (
    <>
      <View style={styles.footer} fixed>
        <View style={styles.footerCol}>
          <Text style={styles.bold}>{s.name}</Text>
          <Text>
            {s.address.street}, {s.address.postalCode} {s.address.city}
          </Text>
          {seller.managingDirectors ? <Text>{`${docLabel(lang, "directors")}: ${seller.managingDirectors}`}</Text> : null}
        </View>
        <View style={styles.footerCol}>
          {seller.commercialRegister ? <Text>{`${docLabel(lang, "register")}: ${seller.commercialRegister}`}</Text> : null}
          {s.vatId ? <Text>{`${docLabel(lang, "vatId")}: ${s.vatId}`}</Text> : null}
          {s.taxNumber ? <Text>{`${docLabel(lang, "taxNumber")}: ${s.taxNumber}`}</Text> : null}
        </View>
        <View style={styles.footerCol}>
          {seller.bankName ? <Text>{seller.bankName}</Text> : null}
          {seller.iban ? <Text>IBAN {formatIban(seller.iban)}</Text> : null}
          {seller.bic ? <Text>BIC {seller.bic}</Text> : null}
        </View>
      </View>
      {pagination === "template" ? (
        <Text style={styles.pageNo} fixed>
          {docLabel(lang, "page", { page: page.index + 1, pages: page.count })}
        </Text>
      ) : (
        <Text style={styles.pageNo} fixed render={({ pageNumber, totalPages }) => docLabel(lang, "page", { page: pageNumber, pages: totalPages })} />
      )}
    </>
  );
}

export function formatIban(iban: string): string {
  return iban.replace(/\s+/g, "").replace(/(.{4})/g, "$1 ").trim();
}

export interface Column<Row> {
  label: string;
  /** Points, the column gap included (the first column has none). */
  width: number;
  align?: "left" | "right";
  cell: (row: Row) => string;
}

/** The width left for the one flexible column (the description) next to columns of these widths. */
export function restWidth(...widths: number[]): number {
  return TABLE_WIDTH - widths.reduce((sum, w) => sum + w, 0);
}

/**
 * Throws when the widths do not add up to TABLE_WIDTH: wider, yoga squeezes every column and the
 * headers run into each other; narrower, the right edge of the table is ragged.
 */
function assertTableWidth(columns: Column<unknown>[]): void {
  const sum = columns.reduce((s, c) => s + c.width, 0);
  if (Math.abs(sum - TABLE_WIDTH) > 0.01) throw new Error(`line table columns add up to ${sum} pt, not the table's ${TABLE_WIDTH} pt (${columns.map((c) => c.label).join(", ")})`);
}

function cellStyle<Row>(column: Column<Row>, index: number, styles: Styles) {
  return [{ width: column.width, paddingLeft: index === 0 ? 0 : COLUMN_GAP }, column.align === "right" ? styles.num : {}];
}

export function TableHeader<Row>({ columns, styles }: { columns: Column<Row>[]; styles: Styles }) {
  assertTableWidth(columns as Column<unknown>[]);
  return (
    <View style={styles.th}>
      {columns.map((c, i) => (
        <Text key={c.label} style={cellStyle(c, i, styles)}>
          {c.label}
        </Text>
      ))}
    </View>
  );
}

export function TableRows<Row>({ columns, rows, styles }: { columns: Column<Row>[]; rows: Row[]; styles: Styles }) {
  return (
    <>
      {rows.map((row, i) => (
        <View key={i} style={styles.tr} wrap={false}>
          {columns.map((c, j) => (
            <Text key={c.label} style={cellStyle(c, j, styles)}>
              {c.cell(row)}
            </Text>
          ))}
        </View>
      ))}
    </>
  );
}

/**
 * A row of a totals block: the label wraps within its column (long VAT labels such as "USt. 0 %
 * (Steuerschuldnerschaft des Leistungsempfängers) auf …"), the amount keeps a fixed width, right-aligned.
 */
export function AmountRow({ label, value, styles, style }: { label: string; value: string; styles: Styles; style?: Style }) {
  return (
    <View style={[styles.totalRow, ...(Array.isArray(style) ? style : style ? [style] : [])]} wrap={false}>
      <Text style={styles.totalLabel}>{label}</Text>
      <Text style={styles.totalAmount}>{value}</Text>
    </View>
  );
}

/**
 * Splits table rows over pages so that every page begins with the table header. Each row costs
 * its number of text lines; the first page has less room (letterhead, addresses). The totals that
 * follow the last row are one unbreakable block: react-pdf moves it to a new page when it does not fit.
 */
export function paginateRows<Row>(rows: Row[], linesOf: (row: Row) => number, options: { first: number; next: number }): Row[][] {
  const pages: Row[][] = [];
  let current: Row[] = [];
  let capacity = options.first;
  let used = 0;
  for (const row of rows) {
    const cost = 1 + (linesOf(row) - 1) * 0.8;
    if (used + cost > capacity && current.length > 0) {
      pages.push(current);
      current = [];
      capacity = options.next;
      used = 0;
    }
    current.push(row);
    used += cost;
  }
  pages.push(current);
  return pages;
}

/** Text lines a cell of `width` points needs at 8.5 pt (DejaVu Sans averages ~0.55 em per glyph). */
export function textLines(text: string, widthPt: number): number {
  const perLine = Math.max(8, Math.floor(widthPt / 4.7));
  return Math.max(1, Math.ceil(text.length / perLine));
}

/**
 * A page of a multi-page document with its letterhead (first page) or a continuation title. With
 * the template's pagination the content sits in a body at least as high as the page's content area,
 * which gives the unsplit page its A4 height; a body that grew taller shows render.server.tsx
 * content that does not fit (a fixed height would make yoga shrink the content instead).
 */
export function DocumentPage({ page, children, seller, lang, styles, continued }: { page: PagePosition; children: ReactNode; seller: SellerProfile; lang: Lang; styles: Styles; continued: string }) {
  const pagination = useContext(PaginationContext);
  const content = (
    <>
      {page.index === 0 ? <Letterhead seller={seller} styles={styles} /> : <Text style={styles.continued}>{continued}</Text>}
      {children}
    </>
  );
  return (
    <Page size="A4" style={styles.page} wrap={pagination === "react-pdf"}>
      {pagination === "template" ? <View style={{ minHeight: PAGE_BODY_HEIGHT }}>{content}</View> : content}
      <Footer seller={seller} lang={lang} styles={styles} page={page} />
    </Page>
  );
}

/** EPC069-12 "GiroCode" payload for a SEPA credit transfer. */
export function epcPayload(p: { name: string; iban: string; bic: string | null; amount: string; reference: string }): string {
  return ["BCD", "002", "1", "SCT", p.bic ?? "", p.name.slice(0, 70), p.iban.replace(/\s+/g, ""), `EUR${Number(p.amount).toFixed(2)}`, "", "", p.reference.slice(0, 140)].join("\n");
}

/**
 * A QR code as a small 1-bit-per-module grayscale PNG (no alpha, nothing to blend): drawing the
 * same code as vector paths costs react-pdf ~100 ms per page, the image under 1 ms.
 */
export function QrCode({ text, size }: { text: string; size: number }) {
  return <Image src={{ data: qrPng(text), format: "png" }} style={{ width: size, height: size }} />;
}

const qrCache = new Map<string, Buffer>();

export function qrPng(text: string, scale = 4): Buffer {
  const cached = qrCache.get(text);
  if (cached) return cached;
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 4;
  const side = (n + quiet * 2) * scale;
  const raw = Buffer.alloc((side + 1) * side, 0xff);
  for (let y = 0; y < side; y++) {
    raw[y * (side + 1)] = 0; // filter: none
    const my = Math.floor(y / scale) - quiet;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - quiet;
      if (my >= 0 && my < n && mx >= 0 && mx < n && qr.modules.data[my * n + mx]) raw[y * (side + 1) + 1 + x] = 0;
    }
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", Buffer.from([...u32(side), ...u32(side), 8, 0, 0, 0, 0])),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
  if (qrCache.size > 500) qrCache.clear();
  qrCache.set(text, png);
  return png;
}

function u32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.from(type, "latin1");
  const crc = crc32(Buffer.concat([head, data]));
  return Buffer.concat([Buffer.from(u32(data.length)), head, data, Buffer.from(u32(crc))]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function dateText(lang: Lang, value: string | null | undefined): string {
  return value ? formatDate(lang, value) : "";
}
