/**
 * What the replica's document search indexes, as SQL over the shape tables: one SELECT per
 * document table producing a `search_docs` row, and for every shape table the documents a change
 * to one of its rows can alter ("touches"). Both are set-based so one statement indexes all
 * documents of a type (initial build) or just the touched ids (incremental, `json_each(?)`).
 */

export const DOCUMENT_TYPES = [
  "order", "invoice", "credit_note", "shipment", "delivery_note", "order_confirmation", "quote", "file", "return_request", "support_ticket",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The table a document lives in; search_docs is keyed by (source, doc_id). */
export type DocumentSource =
  | "sales_orders" | "invoices" | "shipments" | "delivery_notes" | "order_confirmations" | "quotes" | "document_files"
  | "return_requests" | "support_tickets";

export const SEARCH_TABLES = ["search_docs", "search_fts"];

/** search_docs columns in the order every source SELECT produces them. The f_* ones are indexed. */
export const SEARCH_DOC_COLUMNS = [
  "source", "doc_id", "doc_type", "number", "title", "subtitle", "doc_date", "amount", "currency", "status",
  "location_id", "cost_center_id", "order_id", "order_number", "f_numbers", "f_refs", "f_lines", "f_other",
] as const;

export const FTS_COLUMNS = ["f_numbers", "f_refs", "f_lines", "f_other"] as const;

/**
 * search_docs' own indexes, which only searches read. While the first load indexes one source after
 * another they are left out and built once at the end (search-index.ts, indexSources): each source's rows
 * land all over them, and every page an insert touches is written again (and journaled) by every
 * source's transaction.
 */
export const SEARCH_DOC_INDEXES_SQL = `
  CREATE INDEX IF NOT EXISTS search_docs_date_idx ON search_docs (doc_date DESC);
  -- Document numbers by prefix, case-insensitively ("so-2024-15" → SO-2024-15000…): the palette puts
  -- the documents whose own number starts with the query first (search.ts, decision 023).
  CREATE INDEX IF NOT EXISTS search_docs_number_idx ON search_docs (upper(number));`;
export const SEARCH_DOC_INDEXES = ["search_docs_date_idx", "search_docs_number_idx"];

/**
 * External-content FTS5 over search_docs: the text lives once (in search_docs), the index is built
 * from it with 'rebuild', and incremental changes issue 'delete' with the row's old values.
 * unicode61 splits "INV-2024-00017" into inv / 2024 / 00017, so a quoted query phrase with a
 * trailing * ("inv 2024 0001"*) finds it by any prefix; remove_diacritics lets "umwalz" find
 * "Umwälzpumpe". No prefix indexes: FTS5 answers a prefix by merging the doclists of the tokens that
 * start with it, which costs a few ms for a last token of two or three characters while the user
 * types; `prefix = '2 3'` cost ~45 % of the build and 21 of 37 MB of index at 100k documents
 * (decision 008, addendum "index build").
 */
export const SEARCH_SCHEMA_SQL = `
  CREATE TABLE search_docs (
    doc_rowid INTEGER PRIMARY KEY,
    ${SEARCH_DOC_COLUMNS.map((c) => `${c} TEXT`).join(",\n    ")},
    UNIQUE (source, doc_id)
  );
  ${SEARCH_DOC_INDEXES_SQL}
  CREATE VIRTUAL TABLE search_fts USING fts5(
    ${FTS_COLUMNS.join(", ")},
    content = 'search_docs', content_rowid = 'doc_rowid',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  -- FTS5 collects new terms in memory and writes a segment whenever they exceed 'hashsize' (1 MB by
  -- default); the full build of 100k documents then wrote hundreds of small segments and spent half
  -- its time merging them. 64 MB: a handful of segments (persisted, only a full build gets that big).
  INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 67108864);
`;

const words = (...exprs: string[]) => `concat_ws(' ', ${exprs.join(", ")})`;
/** German date form next to the ISO one, so "15.03.2025" finds what "2025-03-15" finds. */
const dmy = (expr: string) => `strftime('%d.%m.%Y', substr(${expr}, 1, 10))`;
/** A document number without separators: "INV202400017" finds "INV-2024-00017". */
const compact = (expr: string) => `replace(replace(replace(${expr}, '-', ''), '/', ''), ' ', '')`;
const lines = (table: string, parentColumn: string, parentExpr: string) =>
  `(SELECT group_concat(concat_ws(' ', l.sku, l.description), ' ') FROM ${table} l WHERE l.${parentColumn} = ${parentExpr})`;
const location = (alias: string) => `LEFT JOIN locations loc ON loc.id = ${alias}.location_id`;
const order = (alias: string) => `LEFT JOIN sales_orders so ON so.id = ${alias}.sales_order_id`;

export interface SourceSql {
  source: DocumentSource;
  alias: string;
  /** SELECT … FROM … JOIN …, columns in SEARCH_DOC_COLUMNS order, no WHERE. */
  select: string;
}

function select(source: DocumentSource, alias: string, values: Record<(typeof SEARCH_DOC_COLUMNS)[number], string>, from: string): SourceSql {
  const list = SEARCH_DOC_COLUMNS.map((c) => `${values[c]} AS ${c}`).join(", ");
  return { source, alias, select: `SELECT ${list} FROM ${from}` };
}

export const SOURCES: readonly SourceSql[] = [
  select("sales_orders", "o", {
    source: "'sales_orders'", doc_id: "o.id", doc_type: "'order'", number: "o.number", title: "o.customer_reference", subtitle: "loc.name",
    doc_date: "o.order_date", amount: "o.gross_amount", currency: "o.currency", status: "o.status", location_id: "o.location_id",
    cost_center_id: "o.cost_center_id", order_id: "o.id", order_number: "o.number",
    f_numbers: words("o.number", compact("o.number")),
    f_refs: words("o.customer_reference", "o.buyer_name"),
    f_lines: lines("sales_order_lines", "sales_order_id", "o.id"),
    f_other: words("loc.name", "loc.code", "cc.code", "cc.name", "o.status", "o.gross_amount", "o.net_amount", "o.order_date", dmy("o.order_date"),
      "o.promised_delivery_date", "o.incoterms", "o.shipping_address"),
  }, `sales_orders o ${location("o")} LEFT JOIN cost_centers cc ON cc.id = o.cost_center_id`),

  select("invoices", "i", {
    source: "'invoices'", doc_id: "i.id", doc_type: "CASE i.kind WHEN 'credit_note' THEN 'credit_note' ELSE 'invoice' END", number: "i.number",
    title: "i.customer_reference", subtitle: "loc.name", doc_date: "i.issue_date", amount: "i.gross_amount", currency: "i.currency",
    status: "i.status", location_id: "i.location_id", cost_center_id: "i.cost_center_id", order_id: "i.sales_order_id", order_number: "so.number",
    f_numbers: words("i.number", compact("i.number"), "so.number", "pi.number"),
    f_refs: words("i.customer_reference", "i.buyer_reference", "i.payment_reference", "so.customer_reference"),
    f_lines: lines("invoice_lines", "invoice_id", "i.id"),
    f_other: words("loc.name", "loc.code", "cc.code", "cc.name", "i.status", "i.gross_amount", "i.net_amount", "i.amount_due", "i.issue_date",
      dmy("i.issue_date"), "i.due_date", dmy("i.due_date")),
  }, `invoices i ${location("i")} ${order("i")} LEFT JOIN cost_centers cc ON cc.id = i.cost_center_id
      LEFT JOIN invoices pi ON pi.id = i.preceding_invoice_id`),

  select("shipments", "s", {
    source: "'shipments'", doc_id: "s.id", doc_type: "'shipment'", number: "s.number", title: words("s.carrier", "s.tracking_number"), subtitle: "loc.name",
    doc_date: "substr(coalesce(s.shipped_at, s.estimated_delivery_at), 1, 10)", amount: "NULL", currency: "NULL", status: "s.status",
    location_id: "s.location_id", cost_center_id: "NULL", order_id: "s.sales_order_id", order_number: "so.number",
    f_numbers: words("s.number", compact("s.number"), "so.number"),
    f_refs: words("s.tracking_number", "so.customer_reference"),
    f_lines: lines("shipment_lines", "shipment_id", "s.id"),
    f_other: words("loc.name", "loc.code", "s.carrier", "s.service", "s.status", "substr(s.shipped_at, 1, 10)", dmy("s.shipped_at"),
      "substr(s.delivered_at, 1, 10)", dmy("s.delivered_at"), "s.ship_to"),
  }, `shipments s ${location("s")} ${order("s")}`),

  select("delivery_notes", "d", {
    source: "'delivery_notes'", doc_id: "d.id", doc_type: "'delivery_note'", number: "d.number", title: "so.customer_reference", subtitle: "loc.name",
    doc_date: "d.issue_date", amount: "NULL", currency: "NULL", status: "NULL", location_id: "d.location_id", cost_center_id: "NULL",
    order_id: "d.sales_order_id", order_number: "so.number",
    f_numbers: words("d.number", compact("d.number"), "so.number", "sh.number"),
    f_refs: words("so.customer_reference", "sh.tracking_number"),
    f_lines: lines("delivery_note_lines", "delivery_note_id", "d.id"),
    f_other: words("loc.name", "loc.code", "d.issue_date", dmy("d.issue_date"), "d.ship_to", "d.note"),
  }, `delivery_notes d ${location("d")} ${order("d")} LEFT JOIN shipments sh ON sh.id = d.shipment_id`),

  select("order_confirmations", "c", {
    source: "'order_confirmations'", doc_id: "c.id", doc_type: "'order_confirmation'", number: "c.number", title: "so.customer_reference",
    subtitle: "loc.name", doc_date: "c.issue_date", amount: "c.gross_amount", currency: "c.currency", status: "NULL",
    location_id: "c.location_id", cost_center_id: "so.cost_center_id", order_id: "c.sales_order_id", order_number: "so.number",
    f_numbers: words("c.number", compact("c.number"), "so.number"),
    f_refs: "so.customer_reference",
    // A confirmation confirms the order's lines; it has none of its own.
    f_lines: lines("sales_order_lines", "sales_order_id", "c.sales_order_id"),
    f_other: words("loc.name", "loc.code", "c.gross_amount", "c.net_amount", "c.issue_date", dmy("c.issue_date"), "c.promised_delivery_date", "c.note"),
  }, `order_confirmations c ${location("c")} ${order("c")}`),

  select("quotes", "q", {
    source: "'quotes'", doc_id: "q.id", doc_type: "'quote'", number: "q.number", title: "q.customer_reference", subtitle: "loc.name",
    doc_date: "q.issue_date", amount: "q.gross_amount", currency: "q.currency", status: "q.status", location_id: "q.location_id",
    cost_center_id: "NULL", order_id: "q.sales_order_id", order_number: "so.number",
    f_numbers: words("q.number", compact("q.number"), "so.number"),
    f_refs: "q.customer_reference",
    f_lines: lines("quote_lines", "quote_id", "q.id"),
    f_other: words("loc.name", "loc.code", "q.status", "q.gross_amount", "q.net_amount", "q.issue_date", dmy("q.issue_date"), "q.valid_until",
      dmy("q.valid_until"), "q.note"),
  }, `quotes q ${location("q")} ${order("q")}`),

  select("document_files", "f", {
    source: "'document_files'", doc_id: "f.id", doc_type: "'file'", number: "f.file_name", title: "f.title", subtitle: "f.document_type",
    doc_date: "substr(f.issued_at, 1, 10)", amount: "NULL", currency: "NULL", status: "NULL", location_id: "f.location_id",
    cost_center_id: "NULL", order_id: "f.sales_order_id", order_number: "so.number",
    // The number of the document the file belongs to, whichever table holds it.
    f_numbers: words("so.number", "fi.number", "fd.number", "fc.number", "fq.number"),
    f_refs: "so.customer_reference",
    f_lines: "NULL",
    f_other: words("f.file_name", "f.title", "f.document_type", "loc.name", "substr(f.issued_at, 1, 10)", dmy("f.issued_at")),
  }, `document_files f ${location("f")} ${order("f")}
      LEFT JOIN invoices fi ON fi.id = f.document_id LEFT JOIN delivery_notes fd ON fd.id = f.document_id
      LEFT JOIN order_confirmations fc ON fc.id = f.document_id LEFT JOIN quotes fq ON fq.id = f.document_id`),

  select("return_requests", "r", {
    source: "'return_requests'", doc_id: "r.id", doc_type: "'return_request'", number: "r.number", title: "r.reason", subtitle: "loc.name",
    doc_date: "substr(r.created_at, 1, 10)", amount: "NULL", currency: "NULL", status: "r.status", location_id: "r.location_id",
    cost_center_id: "NULL", order_id: "r.sales_order_id", order_number: "so.number",
    f_numbers: words("r.number", compact("r.number"), "so.number", "ri.number", "rd.number"),
    f_refs: "so.customer_reference",
    f_lines: "NULL",
    f_other: words("r.reason", "r.comment", "r.status", "r.decision_note", "loc.name", "substr(r.created_at, 1, 10)", dmy("r.created_at")),
  }, `return_requests r ${location("r")} ${order("r")}
      LEFT JOIN invoices ri ON ri.id = r.invoice_id LEFT JOIN delivery_notes rd ON rd.id = r.delivery_note_id`),

  select("support_tickets", "t", {
    source: "'support_tickets'", doc_id: "t.id", doc_type: "'support_ticket'", number: "t.number", title: "t.subject", subtitle: "t.category",
    doc_date: "substr(t.created_at, 1, 10)", amount: "NULL", currency: "NULL", status: "t.status", location_id: "t.location_id",
    cost_center_id: "NULL", order_id: "NULL", order_number: "NULL",
    f_numbers: words("t.number", compact("t.number")),
    f_refs: "NULL",
    f_lines: "NULL",
    f_other: words("t.subject", "t.category", "t.priority", "t.status", "loc.name", "substr(t.created_at, 1, 10)", dmy("t.created_at")),
  }, `support_tickets t ${location("t")}`),
];

/** The `ids` CTE every touch query reads: the primary keys of the changed rows, as a JSON array. */
export const TOUCH_IDS_CTE = "WITH ids(id) AS (SELECT value FROM json_each(?))";

const self = (source: DocumentSource) => `SELECT '${source}', id FROM ids`;
/** Documents of `source` whose `column` points at a changed row (e.g. invoices of a changed order). */
const referencing = (source: DocumentSource, column: string) =>
  `SELECT '${source}', x.id FROM ${source} x WHERE x.${column} IN (SELECT id FROM ids)`;
/** The parent document of changed child rows (e.g. the invoice of a changed invoice line). */
const parentOf = (table: string, source: DocumentSource, column: string) =>
  `SELECT '${source}', x.${column} FROM ${table} x WHERE x.id IN (SELECT id FROM ids) AND x.${column} IS NOT NULL`;
const ORDER_DEPENDENTS: DocumentSource[] = [
  "invoices", "shipments", "delivery_notes", "order_confirmations", "quotes", "document_files", "return_requests",
];
const WITH_LOCATION: DocumentSource[] = [
  "sales_orders", "invoices", "shipments", "delivery_notes", "order_confirmations", "quotes", "document_files", "return_requests", "support_tickets",
];

/**
 * For each shape table: queries returning (source, doc_id) of the documents whose search row may
 * change when rows with the given ids change. They run before the change (to catch the old parent
 * of a deleted or moved row) and after it (to catch the new one). Tables not listed touch nothing.
 */
export const TOUCHES: Readonly<Record<string, readonly string[]>> = {
  sales_orders: [self("sales_orders"), ...ORDER_DEPENDENTS.map((s) => referencing(s, "sales_order_id"))],
  sales_order_lines: [
    parentOf("sales_order_lines", "sales_orders", "sales_order_id"),
    `SELECT 'order_confirmations', c.id FROM order_confirmations c JOIN sales_order_lines x ON c.sales_order_id = x.sales_order_id
     WHERE x.id IN (SELECT id FROM ids)`,
  ],
  invoices: [self("invoices"), referencing("invoices", "preceding_invoice_id"), referencing("return_requests", "invoice_id"),
    referencing("document_files", "document_id")],
  invoice_lines: [parentOf("invoice_lines", "invoices", "invoice_id")],
  shipments: [self("shipments"), referencing("delivery_notes", "shipment_id")],
  shipment_lines: [parentOf("shipment_lines", "shipments", "shipment_id")],
  delivery_notes: [self("delivery_notes"), referencing("return_requests", "delivery_note_id"), referencing("document_files", "document_id")],
  delivery_note_lines: [parentOf("delivery_note_lines", "delivery_notes", "delivery_note_id")],
  order_confirmations: [self("order_confirmations"), referencing("document_files", "document_id")],
  quotes: [self("quotes"), referencing("document_files", "document_id")],
  quote_lines: [parentOf("quote_lines", "quotes", "quote_id")],
  document_files: [self("document_files")],
  return_requests: [self("return_requests")],
  support_tickets: [self("support_tickets")],
  locations: WITH_LOCATION.map((s) => referencing(s, "location_id")),
  cost_centers: [referencing("sales_orders", "cost_center_id"), referencing("invoices", "cost_center_id")],
};

/**
 * The shape tables each document source reads: every table whose changes can alter one of its
 * search rows (derived from TOUCHES, so the two cannot disagree). A source can be indexed once all
 * of them hold their first snapshot; later changes to them reach its rows through TOUCHES.
 */
export const SOURCE_TABLES: Readonly<Record<DocumentSource, readonly string[]>> = sourceTables();

function sourceTables(): Record<DocumentSource, readonly string[]> {
  const tables = {} as Record<DocumentSource, readonly string[]>;
  for (const { source } of SOURCES) {
    tables[source] = Object.entries(TOUCHES)
      .filter(([, queries]) => queries.some((q) => q.trimStart().startsWith(`SELECT '${source}'`)))
      .map(([table]) => table);
  }
  return tables;
}
