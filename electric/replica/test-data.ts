import type { ChangeMessage, Message, Row } from "@electric-sql/client";
import { findShape, type ShapeDefinition } from "../shapes/registry";
import { ShapeApplier, type SearchMode } from "./apply";
import { openMemoryDriver, type SqlDriver } from "./driver";
import { migrateReplica } from "./schema";

/**
 * Test helpers: Electric messages as the gateway sends them (values in Postgres text format) and a
 * deterministic generator of portal documents. Used by the replica's *.test.ts only.
 */

export type TextRow = Record<string, string | null>;

export function shape(name: string): ShapeDefinition {
  const found = findShape(name);
  if (!found) throw new Error(`No shape ${name}`);
  return found;
}

const key = (table: string, id: string) => `"public"."${table}"/"${id}"`;

export function insert(table: string, value: TextRow): ChangeMessage<Row> {
  return { key: key(table, String(value.id)), value, headers: { operation: "insert", relation: ["public", table] } };
}

export function update(table: string, value: TextRow): ChangeMessage<Row> {
  return { key: key(table, String(value.id)), value, headers: { operation: "update", relation: ["public", table], lsn: "100", last: true } };
}

export function remove(table: string, id: string): ChangeMessage<Row> {
  return { key: key(table, id), value: { id }, headers: { operation: "delete", relation: ["public", table], lsn: "100", last: true } };
}

export const upToDate = (lsn = "100"): Message<Row> => ({ headers: { control: "up-to-date", global_last_seen_lsn: lsn } });
export const mustRefetch = (): Message<Row> => ({ headers: { control: "must-refetch" } });

export async function newReplica(): Promise<SqlDriver> {
  const driver = await openMemoryDriver();
  migrateReplica(driver);
  return driver;
}

/** Loads rows as a one-batch snapshot through the real applier (as the first sync does). */
export function loadSnapshot(driver: SqlDriver, shapeName: string, rows: readonly TextRow[], searchMode: SearchMode = "deferred"): void {
  const def = shape(shapeName);
  const applier = new ShapeApplier(driver, def, { searchMode: () => searchMode });
  applier.startStream();
  applier.handleBatch([...rows.map((r) => insert(def.table, r)), upToDate()], () => ({ handle: `h-${shapeName}`, offset: "0_inf" }));
}

export function loadDataset(driver: SqlDriver, dataset: Dataset, searchMode: SearchMode = "deferred"): void {
  for (const [shapeName, rows] of Object.entries(dataset)) loadSnapshot(driver, shapeName, rows, searchMode);
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    digits: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(""),
  };
}

const PRODUCTS = [
  ["PMP-CN-32-160", "Normpumpe CN 32-160, 4 kW"], ["PMP-IL-65-8", "Inline-Umwälzpumpe IL 65/8"], ["VLV-BF-100", "Absperrklappe DN 100"],
  ["BRG-22212", "Pendelrollenlager 22212 E"], ["SNS-PT-100", "Drucktransmitter 0-10 bar"], ["CBL-NYM-3X15", "Mantelleitung NYM-J 3x1,5"],
  ["FIT-ELB-50", "Winkel 90° DN 50"], ["HOS-EPDM-25", "EPDM-Schlauch 25 mm"], ["LUB-GR-400", "Wälzlagerfett 400 g"], ["KIT-SEAL-32", "Dichtungssatz CN 32"],
] as const;

export type Dataset = Record<string, TextRow[]>;

export const ACCOUNT = "acc-0001";
export const LOCATIONS = [
  { id: "loc-1", account_id: ACCOUNT, code: "STR", name: "Werk Stuttgart", street: null, postal_code: null, city: "Stuttgart", country_code: "DE", is_default_ship_to: "t" },
  { id: "loc-2", account_id: ACCOUNT, code: "HAM", name: "Lager Hamburg", street: null, postal_code: null, city: "Hamburg", country_code: "DE", is_default_ship_to: "f" },
];
export const COST_CENTERS = [
  { id: "cc-1", account_id: ACCOUNT, code: "4711", name: "Instandhaltung" },
  { id: "cc-2", account_id: ACCOUNT, code: "4712", name: "Produktion" },
];

const pad = (n: number) => String(n).padStart(5, "0");
const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const money = (cents: number) => (cents / 100).toFixed(2);

/**
 * About `documents` searchable documents around orders: per order one confirmation, shipment,
 * delivery note and invoice, plus quotes, files, credit notes, returns and tickets now and then.
 */
export function generateDataset(documents: number, seed = 7): Dataset {
  const r = rng(seed);
  const data: Dataset = {
    accounts: [{ id: ACCOUNT, number: "10001", name: "Kessler Anlagenbau GmbH", parent_id: null, country_code: "DE", language: "de", currency: "EUR", buyer_reference: null, city: "Stuttgart", payment_terms_days: "30" }],
    locations: LOCATIONS, cost_centers: COST_CENTERS,
    orders: [], order_lines: [], order_confirmations: [], shipments: [], shipment_lines: [], delivery_notes: [], delivery_note_lines: [],
    invoices: [], invoice_lines: [], quotes: [], quote_lines: [], document_files: [], return_requests: [], support_tickets: [],
  };
  let docs = 0;
  for (let n = 1; docs < documents; n += 1) {
    const base = { account_id: ACCOUNT, location_id: r.pick(LOCATIONS).id };
    const date = day(n % 700);
    const orderId = `so-${n}`;
    const lines = Array.from({ length: r.int(1, 4) }, (_, i) => {
      const [sku, description] = r.pick(PRODUCTS);
      return { sku, description, qty: r.int(1, 5), price: r.int(1_000, 300_000), lineNo: i + 1 };
    });
    const net = lines.reduce((sum, l) => sum + l.qty * l.price, 0);
    const amounts = { currency: "EUR", net_amount: money(net), tax_amount: money(Math.round(net * 0.19)), gross_amount: money(net + Math.round(net * 0.19)) };
    const po = `PO-${r.digits(6)}`;
    data.orders.push({
      id: orderId, ...base, cost_center_id: r.pick(COST_CENTERS).id, number: `SO-2024-${pad(n)}`, customer_reference: po, buyer_name: "Jana Weber",
      status: r.pick(["open", "confirmed", "shipped", "completed"]), order_date: date, requested_delivery_date: null, promised_delivery_date: day((n % 700) + 14),
      ...amounts, incoterms: "DAP", shipping_address: null, updated_at: `${date} 10:00:00+00`,
    });
    lines.forEach((l) => data.order_lines.push({
      id: `sol-${n}-${l.lineNo}`, ...base, sales_order_id: orderId, line_no: String(l.lineNo), sku: l.sku, description: l.description, unit: "C62",
      quantity_ordered: `${l.qty}.000`, quantity_shipped: "0.000", quantity_backordered: "0.000", quantity_cancelled: "0.000", quantity_invoiced: "0.000",
      unit_price: money(l.price), discount_percent: "0.00", vat_rate: "19.00", net_amount: money(l.qty * l.price), requested_date: null, promised_date: null, status: "open",
    }));
    data.order_confirmations.push({ id: `oc-${n}`, ...base, sales_order_id: orderId, number: `OC-2024-${pad(n)}`, issue_date: date, ...amounts, promised_delivery_date: null, note: null });
    const tracking = `00340434${r.digits(12)}`;
    data.shipments.push({
      id: `sh-${n}`, ...base, sales_order_id: orderId, number: `SH-2024-${pad(n)}`, carrier: "DHL", service: "Paket", tracking_number: tracking, tracking_url: null,
      status: r.pick(["in_transit", "delivered"]), shipped_at: `${day((n % 700) + 3)} 08:00:00+00`, estimated_delivery_at: null, delivered_at: null, package_count: "1", gross_weight_kg: "12.500", ship_to: null,
    });
    lines.forEach((l) => data.shipment_lines.push({ id: `shl-${n}-${l.lineNo}`, ...base, shipment_id: `sh-${n}`, sales_order_line_id: `sol-${n}-${l.lineNo}`, line_no: String(l.lineNo), sku: l.sku, description: l.description, quantity: `${l.qty}.000`, unit: "C62" }));
    data.delivery_notes.push({ id: `dn-${n}`, ...base, sales_order_id: orderId, shipment_id: `sh-${n}`, number: `DN-2024-${pad(n)}`, issue_date: day((n % 700) + 3), ship_to: null, note: null });
    lines.forEach((l) => data.delivery_note_lines.push({ id: `dnl-${n}-${l.lineNo}`, ...base, delivery_note_id: `dn-${n}`, line_no: String(l.lineNo), sales_order_line_id: null, sku: l.sku, description: l.description, quantity_delivered: `${l.qty}.000`, quantity_backordered: "0.000", unit: "C62" }));
    data.invoices.push(invoiceRow(`inv-${n}`, "invoice", `INV-2024-${pad(n)}`, base, orderId, po, day((n % 700) + 4), amounts));
    lines.forEach((l) => data.invoice_lines.push(invoiceLine(`invl-${n}-${l.lineNo}`, `inv-${n}`, base, l)));
    docs += 5;
    if (n % 2 === 0) {
      data.quotes.push({ id: `qt-${n}`, ...base, sales_order_id: orderId, number: `QT-2024-${pad(n)}`, issue_date: day(Math.max((n % 700) - 10, 0)), valid_until: null, status: "accepted", ...amounts, customer_reference: po, note: null, decided_at: null });
      lines.forEach((l) => data.quote_lines.push({ id: `qtl-${n}-${l.lineNo}`, ...base, quote_id: `qt-${n}`, line_no: String(l.lineNo), sku: l.sku, description: l.description, quantity: `${l.qty}.000`, unit: "C62", unit_price: money(l.price), discount_percent: "0.00", vat_rate: "19.00", net_amount: money(l.qty * l.price) }));
      data.document_files.push({ id: `df-${n}`, ...base, document_type: "invoice", document_id: `inv-${n}`, sales_order_id: orderId, title: "Rechnung (Original-PDF)", file_name: `INV-2024-${pad(n)}.pdf`, content_type: "application/pdf", byte_size: "48211", issued_at: `${day((n % 700) + 4)} 09:00:00+00` });
      docs += 2;
    }
    if (n % 10 === 0) {
      data.invoices.push(invoiceRow(`cn-${n}`, "credit_note", `CN-2024-${pad(n)}`, base, orderId, po, day((n % 700) + 20), amounts, `inv-${n}`));
      data.return_requests.push({ id: `rr-${n}`, ...base, number: `RR-${1000 + n}`, sales_order_id: orderId, delivery_note_id: `dn-${n}`, invoice_id: `inv-${n}`, reason: "damaged", comment: "Gehäuse gerissen", status: "credited", decided_at: null, decision_note: null, created_at: `${day((n % 700) + 10)} 12:00:00+00`, updated_at: `${day((n % 700) + 10)} 12:00:00+00` });
      data.support_tickets.push({ id: `st-${n}`, ...base, number: `T-${1000 + n}`, subject: `Rückfrage zu Lieferung SH-2024-${pad(n)}`, category: "delivery", priority: "normal", status: "open", related_entity_type: "shipment", related_entity_id: `sh-${n}`, created_at: `${day((n % 700) + 5)} 07:30:00+00`, updated_at: `${day((n % 700) + 5)} 07:30:00+00`, closed_at: null });
      docs += 3;
    }
  }
  return data;
}

function invoiceRow(id: string, kind: string, number: string, base: TextRow, orderId: string, po: string, date: string, amounts: TextRow, preceding: string | null = null): TextRow {
  return {
    id, ...base, cost_center_id: "cc-1", sales_order_id: orderId, kind, type_code: kind === "invoice" ? "380" : "381", number, issue_date: date, due_date: date,
    delivery_date: null, service_period_start: null, service_period_end: null, currency: "EUR", buyer_reference: null, customer_reference: po,
    preceding_invoice_id: preceding, line_net_total: amounts.net_amount, allowance_total: "0.00", charge_total: "0.00", net_amount: amounts.net_amount,
    tax_amount: amounts.tax_amount, gross_amount: amounts.gross_amount, prepaid_amount: "0.00", paid_amount: "0.00", amount_due: amounts.gross_amount,
    status: "open", payment_terms: "30 Tage netto", payment_reference: number, updated_at: `${date} 10:00:00+00`,
  };
}

function invoiceLine(id: string, invoiceId: string, base: TextRow, l: { sku: string; description: string; qty: number; price: number; lineNo: number }): TextRow {
  return {
    id, ...base, invoice_id: invoiceId, line_no: String(l.lineNo), sales_order_line_id: null, sku: l.sku, description: l.description, quantity: `${l.qty}.000`,
    unit: "C62", unit_price: money(l.price), price_base_quantity: "1", line_allowance_amount: "0.00", line_charge_amount: "0.00", net_amount: money(l.qty * l.price),
    vat_category: "S", vat_rate: "19.00",
  };
}
