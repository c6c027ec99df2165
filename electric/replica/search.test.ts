import { beforeAll, describe, expect, it } from "vitest";
import type { SqlDriver } from "./driver";
import { ShapeApplier } from "./apply";
import { RANKED_MATCHES, planSearch, searchDocuments, toFtsQuery, type SearchResult } from "./search";
import { ALL_SOURCES, BUILD_CACHE_KIB, getIndexedSources, getSearchState, indexSource, rebuildSearchIndex, type SearchProgress } from "./search-index";
import { generateDataset, loadDataset, loadSnapshot, newReplica, shape, update, upToDate, type Dataset } from "./test-data";

describe("document search", () => {
  let driver: SqlDriver;
  let data: Dataset;
  const progress: SearchProgress[] = [];

  beforeAll(async () => {
    driver = await newReplica();
    data = generateDataset(400);
    loadDataset(driver, data);
    // A ticket that quotes an invoice number in its subject: a weak (f_other) hit for that number.
    loadSnapshot(driver, "support_tickets", [
      ...data.support_tickets,
      { id: "st-quote", account_id: "acc-0001", location_id: "loc-1", number: "T-5000", subject: "Frage zu INV-2024-00008", category: "invoice", priority: "normal", status: "open", created_at: "2024-06-01 09:00:00+00" },
    ]);
    expect(getSearchState(driver)).toBe("pending");
    rebuildSearchIndex(driver, (p) => progress.push(p));
  });

  it("reports progress per document type and marks the index ready", () => {
    expect(getSearchState(driver)).toBe("ready");
    expect(progress.at(-1)).toMatchObject({ phase: "done" });
    expect(progress.filter((p) => p.phase === "documents")).toHaveLength(9);
    expect(progress.at(-1)?.documents).toBeGreaterThanOrEqual(400);
  });

  it("finds documents by number prefix, exact numbers first", () => {
    const hits = searchDocuments(driver, "INV-2024-0001", { types: ["invoice"], limit: 50 });
    expect(hits.map((h) => h.number).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `INV-2024-0001${i}`));
    const exact = searchDocuments(driver, "inv-2024-00012");
    expect(exact[0]).toMatchObject({ type: "invoice", id: "inv-12", number: "INV-2024-00012", amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: "EUR", orderNumber: "SO-2024-00012" });
    expect(searchDocuments(driver, "INV202400012")[0]?.id).toBe("inv-12");
  });

  it("finds every document of an order by the customer's PO number", () => {
    const po = data.orders.find((o) => o.id === "so-20")?.customer_reference ?? "";
    const types = searchDocuments(driver, po).map((h) => `${h.type}:${h.id}`).sort();
    expect(types).toEqual(
      ["credit_note:cn-20", "delivery_note:dn-20", "file:df-20", "invoice:inv-20", "order:so-20", "order_confirmation:oc-20", "quote:qt-20", "return_request:rr-20", "shipment:sh-20"].sort(),
    );
  });

  it("finds documents by SKU and by line description, diacritics folded", () => {
    const bySku = searchDocuments(driver, "PMP-IL-65", { types: ["invoice"], limit: 200 });
    const expected = new Set(data.invoice_lines.filter((l) => l.sku === "PMP-IL-65-8").map((l) => l.invoice_id));
    expect(new Set(bySku.map((h) => h.id))).toEqual(expected);
    const byWord = searchDocuments(driver, "umwalzpumpe", { types: ["invoice"], limit: 200 });
    expect(new Set(byWord.map((h) => h.id))).toEqual(expected);
  });

  it("builds with BUILD_CACHE_KIB of page cache and gives the connection its own size back", async () => {
    const replica = await newReplica();
    loadDataset(replica, generateDataset(50));
    replica.exec("PRAGMA cache_size = -4096");
    const during: number[] = [];
    rebuildSearchIndex(replica, () => during.push(Number(replica.selectValue("PRAGMA cache_size"))));
    expect(new Set(during)).toEqual(new Set([-BUILD_CACHE_KIB]));
    expect(Number(replica.selectValue("PRAGMA cache_size"))).toBe(-4096);
  });

  it("finds by a last token of two or three characters, as typed, with or without an FTS5 prefix index for it", () => {
    const invoicesWith = (sku: string) => new Set(data.invoice_lines.filter((l) => l.sku === sku).map((l) => l.invoice_id));
    const found = (q: string) => new Set(searchDocuments(driver, q, { types: ["invoice"], limit: 200 }).map((h) => h.id));
    expect(found("PMP-CN-32-16")).toEqual(invoicesWith("PMP-CN-32-160"));
    expect(found("PMP-CN-32-160")).toEqual(invoicesWith("PMP-CN-32-160"));
    expect(found("Um")).toEqual(invoicesWith("PMP-IL-65-8"));
    expect(found("umw")).toEqual(invoicesWith("PMP-IL-65-8"));
    // The palette's search (no filters) takes the bounded plan: the same prefix recall.
    const po = data.orders.find((o) => o.id === "so-20")?.customer_reference ?? "";
    for (const typed of [po.slice(0, 5), po.slice(0, 6)]) {
      expect(searchDocuments(driver, typed, { limit: 200 }).map((h) => h.id)).toContain("so-20");
    }
  });

  it("finds the shipment and its delivery note by tracking number or its prefix", () => {
    const tracking = data.shipments.find((s) => s.id === "sh-9")?.tracking_number ?? "";
    expect(searchDocuments(driver, tracking).map((h) => h.id).sort()).toEqual(["dn-9", "sh-9"]);
    expect(searchDocuments(driver, tracking.slice(0, 15)).map((h) => h.id)).toContain("sh-9");
  });

  it("ranks a hit in a document number above a mention in free text", () => {
    const hits = searchDocuments(driver, "2024-00008", { limit: 50 });
    const ticket = hits.findIndex((h) => h.id === "st-quote");
    const invoice = hits.findIndex((h) => h.id === "inv-8");
    expect(invoice).toBeGreaterThanOrEqual(0);
    expect(ticket).toBeGreaterThan(invoice);
    expect(hits.every((h, i) => i === 0 || (h.score ?? 0) >= (hits[i - 1].score ?? 0))).toBe(true);
  });

  it("finds by German and ISO dates, and by amount", () => {
    const inv = data.invoices.find((i) => i.id === "inv-33");
    const [y, m, d] = String(inv?.issue_date).split("-");
    expect(searchDocuments(driver, `${d}.${m}.${y}`, { types: ["invoice"], limit: 50 }).map((h) => h.id)).toContain("inv-33");
    expect(searchDocuments(driver, String(inv?.issue_date), { types: ["invoice"], limit: 50 }).map((h) => h.id)).toContain("inv-33");
    expect(searchDocuments(driver, String(inv?.gross_amount), { types: ["invoice"] }).map((h) => h.id)).toContain("inv-33");
  });

  it("filters by type, date range, status, location and cost center", () => {
    const credit = searchDocuments(driver, "2024", { types: ["credit_note"], limit: 200 });
    expect(credit.length).toBe(data.invoices.filter((i) => i.kind === "credit_note").length);
    expect(credit.every((h) => h.type === "credit_note")).toBe(true);

    const inRange = searchDocuments(driver, "", { types: ["order"], dateFrom: "2024-02-01", dateTo: "2024-02-29", limit: 200 });
    expect(inRange.length).toBe(data.orders.filter((o) => String(o.order_date) >= "2024-02-01" && String(o.order_date) <= "2024-02-29").length);
    expect(inRange.every((h) => h.date! >= "2024-02-01" && h.date! <= "2024-02-29")).toBe(true);
    // No search terms: newest first.
    expect([...inRange].sort((a, b) => b.date!.localeCompare(a.date!)).map((h) => h.date)).toEqual(inRange.map((h) => h.date));

    const delivered = searchDocuments(driver, "DHL", { status: ["delivered"], locationId: "loc-2", limit: 200 });
    expect(delivered.length).toBe(data.shipments.filter((s) => s.status === "delivered" && s.location_id === "loc-2").length);

    const cc = searchDocuments(driver, "", { types: ["order"], costCenterId: "cc-2", limit: 200 });
    expect(cc.length).toBe(data.orders.filter((o) => o.cost_center_id === "cc-2").length);
    expect(searchDocuments(driver, "2024", { limit: 5 })).toHaveLength(5);
  });

  it("turns any input into a valid FTS5 query", () => {
    expect(toFtsQuery(`  INV-2024 "quoted" (x) a:b * - `)).toBe(`"INV-2024"* AND """quoted"""* AND "(x)"* AND "a:b"*`);
    expect(toFtsQuery(" - * ")).toBeNull();
    for (const input of [`"`, `AND OR NOT`, `NEAR(a b)`, `^start`, `{col}:x`, `ü`, `'; DROP TABLE invoices; --`]) {
      expect(() => searchDocuments(driver, input)).not.toThrow();
    }
  });
});

describe("ranking budget of the unfiltered search (decision 023)", () => {
  let driver: SqlDriver;
  let data: Dataset;

  beforeAll(async () => {
    driver = await newReplica();
    data = generateDataset(2500);
    loadDataset(driver, data);
    rebuildSearchIndex(driver);
  });

  const numbersOf = (hits: SearchResult[]) => hits.map((h) => h.number ?? "");
  /** The indexed text of a hit, to check that a hit really matches. */
  const textOf = (hit: SearchResult) =>
    String(driver.selectValue("SELECT concat_ws(' ', f_numbers, f_refs, f_lines, f_other) FROM search_docs WHERE doc_id = ? AND doc_type = ?", [hit.id, hit.type]));

  it("answers a common word in index order, unranked, orders first after a full build", () => {
    expect(planSearch(driver, "2024")).toBe("common-exact");
    const hits = searchDocuments(driver, "2024");
    expect(hits).toHaveLength(20);
    expect(hits.every((h) => h.score === null)).toBe(true);
    expect(hits.every((h) => textOf(h).includes("2024"))).toBe(true);
    // The rebuild indexes sales orders last, so they are the most recently indexed documents.
    expect(hits.every((h) => h.type === "order")).toBe(true);
  });

  it("puts documents whose own number starts with the query first, highest (newest) number first, any case", () => {
    // 20 numbers start with it: the number index fills the page, FTS5 is not asked.
    expect(planSearch(driver, "SO-2024-00")).toBe("numbers");
    const common = numbersOf(searchDocuments(driver, "so-2024-00"));
    const orderNumbers = (driver.selectObjects<{ number: string }>(`SELECT number FROM search_docs WHERE doc_type = 'order' AND number LIKE 'SO-2024-00%'`)).map((r) => r.number);
    expect(orderNumbers.length).toBeGreaterThan(20);
    expect(common).toEqual([...orderNumbers].sort().reverse().slice(0, 20));
    // "00"* matches every order-derived document (SO-2024-00xxx …) and no number starts with
    // "2024-00": common by prefix only.
    expect(planSearch(driver, "2024-00")).toBe("common-prefix");

    expect(planSearch(driver, "INV-2024-0001")).toBe("ranked");
    const rare = numbersOf(searchDocuments(driver, "inv-2024-0001", { limit: 30 }));
    const prefixed = rare.filter((n) => n.startsWith("INV-2024-0001"));
    expect(prefixed.length).toBeGreaterThanOrEqual(10);
    expect(rare.slice(0, prefixed.length)).toEqual(prefixed);
    expect(prefixed).toEqual([...prefixed].sort().reverse());
    // Exact number first.
    expect(searchDocuments(driver, "INV-2024-00012")[0]).toMatchObject({ type: "invoice", number: "INV-2024-00012" });
  });

  it("answers from the number index alone exactly what the full plan puts first", () => {
    // Between 20 and 199 numbers start with each of these (100 documents, and copies as files):
    // enough for a page of 20, not for one of 200, where FTS5 and bm25 run as well. The first 20 must be the same documents in the same order.
    for (const q of ["INV-2024-001", "so-2024-002", "SO-2024-000"]) {
      expect(planSearch(driver, q)).toBe("numbers");
      expect(planSearch(driver, q, 200)).not.toBe("numbers");
      const page = searchDocuments(driver, q);
      const full = searchDocuments(driver, q, { limit: 200 });
      expect(page).toHaveLength(20);
      expect(page.every((h) => h.number?.toUpperCase().startsWith(q.toUpperCase()))).toBe(true);
      expect(page.map((h) => `${h.type}:${h.id}`)).toEqual(full.slice(0, 20).map((h) => `${h.type}:${h.id}`));
    }
    // Fewer than `limit` numbers start with it: bm25 fills the rest of the page.
    expect(planSearch(driver, "SO-2024-0001")).toBe("ranked");
  });

  it("ranks a rare query with bm25, exact number first, then by score", () => {
    const po = data.orders.find((o) => o.id === "so-77")?.customer_reference ?? "";
    expect(planSearch(driver, po)).toBe("ranked");
    const hits = searchDocuments(driver, po);
    expect(hits.length).toBeGreaterThanOrEqual(5);
    expect(hits.every((h) => typeof h.score === "number")).toBe(true);
    expect(hits.every((h, i) => i === 0 || h.score! >= hits[i - 1].score!)).toBe(true);
    // The same documents as bm25 over every match (the ranking before decision 023).
    const bm25 = searchDocuments(driver, po, { ranking: "bm25" });
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(bm25.map((h) => h.id)));
  });

  it("matches a single-character last token as a whole token, not as a prefix", () => {
    expect(toFtsQuery("PMP-IL-65-8 Kugelhahn x", { prefix: "long" })).toBe(`"PMP-IL-65-8" AND "Kugelhahn"* AND "x"`);
    expect(toFtsQuery("PMP-IL-65-8 Kugelhahn", { prefix: "none" })).toBe(`"PMP-IL-65-8" AND "Kugelhahn"`);
    const withSku = new Set(data.invoice_lines.filter((l) => l.sku === "PMP-IL-65-8").map((l) => l.invoice_id));
    const hits = searchDocuments(driver, "PMP-IL-65-8", { limit: 200 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /PMP-IL-65-8\b/.test(textOf(h)))).toBe(true);
    // Every invoice with the SKU is a match (bm25 over all matches finds the same set).
    const invoices = searchDocuments(driver, "PMP-IL-65-8", { types: ["invoice"], limit: 200 });
    expect(new Set(invoices.map((h) => h.id))).toEqual(withSku);
  });

  it("counts matches only up to the budget", () => {
    expect(RANKED_MATCHES).toBe(1000);
    const all = Number(driver.selectValue("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", [toFtsQuery("2024", { prefix: "none" })]));
    expect(all).toBeGreaterThan(RANKED_MATCHES);
    expect(planSearch(driver, " - ")).toBeNull();
  });
});

describe("indexing one document source at a time (the first load, decision 008)", () => {
  const dump = (d: SqlDriver) => JSON.stringify(d.selectObjects("SELECT * FROM search_docs ORDER BY doc_rowid"));

  it("ends with the very index one full build makes, in whatever order the sources come", async () => {
    const data = generateDataset(120);
    const full = await newReplica();
    loadDataset(full, data);
    rebuildSearchIndex(full);
    const bySource = await newReplica();
    loadDataset(bySource, data);
    const order = [...ALL_SOURCES].sort((a, b) => (a.length * 7) % 5 - (b.length * 7) % 5 || a.localeCompare(b));
    bySource.exec("PRAGMA cache_size = -4096");
    for (const [i, source] of order.entries()) {
      expect(getSearchState(bySource)).toBe("pending");
      const built = indexSource(bySource, source);
      // The build's cache stays until the last source, then the connection gets its own size back.
      expect(Number(bySource.selectValue("PRAGMA cache_size"))).toBe(i < order.length - 1 ? -BUILD_CACHE_KIB : -4096);
      expect(built.documents).toBeGreaterThan(0);
      expect([...getIndexedSources(bySource)].sort()).toEqual(order.slice(0, i + 1).sort());
    }
    expect(getSearchState(bySource)).toBe("ready");
    expect(dump(bySource)).toBe(dump(full));
    // The sources' segments are merged into one, as the full build writes it, and search_docs has its indexes again.
    expect(bySource.selectValue("SELECT count(DISTINCT segid) FROM search_fts_idx")).toBe(1);
    const indexes = (d: SqlDriver) => d.selectObjects("SELECT name, sql FROM sqlite_schema WHERE tbl_name LIKE 'search%' ORDER BY name");
    expect(indexes(bySource)).toEqual(indexes(full));
    bySource.run("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
    for (const q of ["INV-2024-0001", data.orders[3].customer_reference ?? "", "umwalzpumpe", "Berlin"]) {
      expect(searchDocuments(bySource, q, { limit: 50 })).toEqual(searchDocuments(full, q, { limit: 50 }));
    }
  });

  it("keeps indexed sources current while the others wait for their tables, and lists orders first as before", async () => {
    const data = generateDataset(40);
    const driver = await newReplica();
    loadDataset(driver, data);
    indexSource(driver, "invoices");
    indexSource(driver, "support_tickets");
    const partial = getIndexedSources(driver);
    const applier = (name: string) => {
      const a = new ShapeApplier(driver, shape(name), { searchMode: () => partial });
      a.startStream();
      return a;
    };
    // An invoice line changes: its invoice is re-indexed. An order changes: only its invoices are.
    const line = data.invoice_lines[0];
    applier("invoice_lines").handleBatch([update("invoice_lines", { ...line, sku: "ZZ-NEWSKU-1" }), upToDate("200")], () => ({ handle: "h-il", offset: "200_0" }));
    expect(searchDocuments(driver, "ZZ-NEWSKU-1", { limit: 5 }).map((h) => h.id)).toEqual([line.invoice_id]);
    const order = data.orders.find((o) => data.invoices.some((i) => i.sales_order_id === o.id));
    if (!order) throw new Error("no invoiced order in the data");
    applier("orders").handleBatch([update("sales_orders", { ...order, customer_reference: "PO-ZZTOP-77" }), upToDate("201")], () => ({ handle: "h-so", offset: "201_0" }));
    const found = searchDocuments(driver, "PO-ZZTOP-77", { limit: 50 });
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((h) => h.type))).toEqual(new Set(["invoice", ...found.some((h) => h.type === "credit_note") ? ["credit_note"] : []]));
    expect(driver.selectValue("SELECT count(*) FROM search_docs WHERE source NOT IN ('invoices', 'support_tickets')")).toBe(0);
    driver.run("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')");
    // Orders indexed last still come first among a common query's most recent matches.
    for (const source of ALL_SOURCES) if (!getIndexedSources(driver).has(source)) indexSource(driver, source);
    const newestFirst = driver.selectObjects<{ source: string }>("SELECT source FROM search_docs ORDER BY doc_rowid DESC LIMIT 1");
    expect(newestFirst[0]?.source).toBe("sales_orders");
  });
});
