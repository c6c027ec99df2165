import { beforeEach, describe, expect, it } from "vitest";
import { ShapeApplier } from "./apply";
import type { SqlDriver } from "./driver";
import { loadSyncState } from "./schema";
import { searchDocuments } from "./search";
import { rebuildSearchIndex } from "./search-index";
import { generateDataset, insert, loadDataset, mustRefetch, newReplica, remove, shape, update, upToDate } from "./test-data";

const invoices = shape("invoices");
const at = (handle: string, offset: string) => () => ({ handle, offset });

function invoice(id: string, number: string, extra: Record<string, string | null> = {}) {
  return {
    id, account_id: "acc-0001", location_id: "loc-1", kind: "invoice", number, issue_date: "2024-03-15", currency: "EUR",
    gross_amount: "119.00", net_amount: "100.00", status: "open", customer_reference: "PO-1", ...extra,
  };
}

const rows = (driver: SqlDriver) => driver.selectObjects<Record<string, string | null>>('SELECT * FROM invoices ORDER BY "id"');
const ftsIntact = (driver: SqlDriver) => driver.run("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");

describe("ShapeApplier", () => {
  let driver: SqlDriver;
  let applier: ShapeApplier;

  beforeEach(async () => {
    driver = await newReplica();
    applier = new ShapeApplier(driver, invoices, { searchMode: () => "deferred" });
    expect(applier.startStream()).toBeNull();
  });

  it("buffers a snapshot that spans several batches and commits it at up-to-date", () => {
    // Electric never ends an offset=-1 response with up-to-date: the first batch must stay invisible.
    const first = applier.handleBatch([insert("invoices", invoice("i1", "INV-1")), insert("invoices", invoice("i2", "INV-2"))], at("H1", "0_0"));
    expect(first).toEqual({ upToDate: false, commit: null });
    expect(rows(driver)).toHaveLength(0);
    expect(loadSyncState(driver, "invoices")).toBeNull();

    const second = applier.handleBatch([insert("invoices", invoice("i3", "INV-3")), upToDate()], at("H1", "0_inf"));
    expect(second.upToDate).toBe(true);
    expect(second.commit).toMatchObject({ inserts: 3, updates: 0, deletes: 0, truncatedRows: 0, search: "deferred" });
    expect(rows(driver).map((r) => r.number)).toEqual(["INV-1", "INV-2", "INV-3"]);
    expect(loadSyncState(driver, "invoices")).toMatchObject({ handle: "H1", offset: "0_inf" });
  });

  it("loads a large snapshot with its indexes rebuilt after the rows, then applies what followed it", () => {
    const bulk = new ShapeApplier(driver, invoices, { searchMode: () => "deferred", bulkMinRows: 3 });
    bulk.startStream();
    const snapshot = ["i1", "i2", "i3", "i4"].map((id, n) => insert("invoices", invoice(id, `INV-${n + 1}`)));
    const commit = bulk.handleBatch([...snapshot, update("invoices", { id: "i2", status: "paid" }), remove("invoices", "i4"), upToDate()], at("H1", "5_0")).commit;
    expect(commit).toMatchObject({ inserts: 4, updates: 1, deletes: 1 });
    expect(rows(driver).map((r) => [r.id, r.status])).toEqual([["i1", "open"], ["i2", "paid"], ["i3", "open"]]);
    const indexes = driver.selectObjects<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'invoices' ORDER BY name");
    expect(indexes.map((i) => i.name)).toContain("invoices_id_key");
    expect(() => driver.run(`INSERT INTO invoices (id) VALUES ('i1')`)).toThrow(/UNIQUE/);
  });

  it("inserts a snapshot response from its text (raw path): the same rows as parsed messages, bools as t/f", () => {
    const schema = JSON.stringify({ id: { type: "text" }, status: { type: "text" }, number: { type: "text" } });
    const snapshot = [invoice("i1", "INV-1"), invoice("i2", "INV-2", { customer_reference: null }), invoice("i3", "INV-3", { unknown_column: "x" })];
    const body = JSON.stringify([...snapshot.map((v) => insert("invoices", v)), upToDate("7")]);
    expect(applier.hasPendingSnapshot()).toBe(false);
    expect(applier.takeRawSnapshot(body, schema)).toBe(JSON.stringify([upToDate("7")]));
    expect(applier.bufferedMessages).toBe(3);
    expect(applier.hasPendingSnapshot()).toBe(true);
    const commit = applier.handleBatch([update("invoices", { id: "i2", status: "paid" }), upToDate()], at("H1", "1_0")).commit;
    expect(commit).toMatchObject({ inserts: 3, updates: 1 });
    expect(applier.hasPendingSnapshot()).toBe(false);
    const raw = rows(driver);

    const other = new ShapeApplier(driver, invoices, { searchMode: () => "deferred" });
    driver.run("DELETE FROM invoices");
    other.startStream();
    other.handleBatch([...snapshot.map((v) => insert("invoices", v)), update("invoices", { id: "i2", status: "paid" }), upToDate()], at("H1", "1_0"));
    expect(raw).toEqual(rows(driver));
    expect(raw.map((r) => [r.id, r.status, r.customer_reference])).toEqual([["i1", "open", "PO-1"], ["i2", "paid", null], ["i3", "open", "PO-1"]]);

    const locations = new ShapeApplier(driver, shape("locations"), { searchMode: () => "deferred" });
    locations.startStream();
    const location = (id: string, flag: string | null) => insert("locations", { id, account_id: "a", code: id, name: id, is_default_ship_to: flag });
    locations.takeRawSnapshot(JSON.stringify([location("l1", "true"), location("l2", "false"), location("l3", null)]), JSON.stringify({ is_default_ship_to: { type: "bool" } }));
    locations.handleBatch([upToDate()], at("H2", "1_0"));
    expect(driver.selectObjects('SELECT id, is_default_ship_to AS d FROM locations ORDER BY id')).toEqual([{ id: "l1", d: "t" }, { id: "l2", d: "f" }, { id: "l3", d: null }]);
  });

  it("leaves a snapshot response to the client unless it is inserts with ids followed by control messages", () => {
    const schema = JSON.stringify({ id: { type: "text" } });
    const ins = insert("invoices", invoice("i1", "INV-1"));
    expect(applier.takeRawSnapshot(JSON.stringify([upToDate(), ins]), schema)).toBeNull();
    expect(applier.takeRawSnapshot(JSON.stringify([ins, update("invoices", { id: "i1", status: "paid" })]), schema)).toBeNull();
    expect(applier.takeRawSnapshot(JSON.stringify([insert("invoices", { ...invoice("x", "INV-X"), id: "" })]), schema)).toBeNull();
    expect(applier.takeRawSnapshot(JSON.stringify([ins]), JSON.stringify({ id: { type: "text" }, status: { type: "text", dims: 1 } }))).toBeNull();
    expect(applier.takeRawSnapshot(JSON.stringify([ins]), null)).toBeNull();
    expect(applier.takeRawSnapshot("[]", schema)).toBeNull();
    expect(applier.bufferedMessages).toBe(0);
  });

  it("upserts a raw snapshot that repeats an id (the later row wins), as the parsed path does", () => {
    const body = JSON.stringify([insert("invoices", invoice("i1", "INV-1")), insert("invoices", invoice("i2", "INV-2")), insert("invoices", invoice("i1", "INV-1b"))]);
    expect(applier.takeRawSnapshot(body, JSON.stringify({ id: { type: "text" } }))).toBe("[]");
    const commit = applier.handleBatch([upToDate()], at("H1", "1_0")).commit;
    expect(commit).toMatchObject({ inserts: 3 });
    expect(rows(driver).map((r) => [r.id, r.number])).toEqual([["i1", "INV-1b"], ["i2", "INV-2"]]);
    expect(() => driver.run(`INSERT INTO invoices (id) VALUES ('i1')`)).toThrow(/UNIQUE/);
  });

  it("falls back to upserts when a large snapshot repeats an id", () => {
    const bulk = new ShapeApplier(driver, invoices, { searchMode: () => "deferred", bulkMinRows: 3 });
    bulk.startStream();
    const snapshot = [insert("invoices", invoice("i1", "INV-1")), insert("invoices", invoice("i2", "INV-2")), insert("invoices", invoice("i1", "INV-1b"))];
    expect(bulk.handleBatch([...snapshot, upToDate()], at("H1", "5_0")).commit).toMatchObject({ inserts: 3 });
    expect(rows(driver).map((r) => r.number)).toEqual(["INV-1b", "INV-2"]);
    expect(driver.selectValue("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'invoices_id_key'")).toBe(1);
  });

  it("updates only the columns an update carries and deletes by primary key", () => {
    applier.handleBatch([insert("invoices", invoice("i1", "INV-1")), insert("invoices", invoice("i2", "INV-2")), upToDate()], at("H1", "0_inf"));
    // replica=default: PK + changed columns only. Everything else must keep its value.
    applier.handleBatch([update("invoices", { id: "i1", status: "paid", paid_amount: "119.00" }), remove("invoices", "i2"), upToDate("101")], at("H1", "101_0"));
    expect(rows(driver)).toEqual([expect.objectContaining({ id: "i1", number: "INV-1", status: "paid", paid_amount: "119.00", gross_amount: "119.00", customer_reference: "PO-1" })]);
    expect(loadSyncState(driver, "invoices")).toMatchObject({ offset: "101_0" });
  });

  it("applies a batch in message order (insert, update, delete, re-insert of one key)", () => {
    applier.handleBatch(
      [
        insert("invoices", invoice("i1", "INV-1")),
        update("invoices", { id: "i1", status: "paid" }),
        remove("invoices", "i1"),
        insert("invoices", invoice("i1", "INV-1b")),
        upToDate(),
      ],
      at("H1", "5_0"),
    );
    expect(rows(driver)).toEqual([expect.objectContaining({ id: "i1", number: "INV-1b", status: "open" })]);
  });

  it("skips a commit when a live poll brings nothing new, and resumes from the saved position", () => {
    applier.handleBatch([insert("invoices", invoice("i1", "INV-1")), upToDate()], at("H1", "7_0"));
    expect(applier.handleBatch([upToDate()], at("H1", "7_0"))).toEqual({ upToDate: true, commit: null });
    const reloaded = new ShapeApplier(driver, invoices, { searchMode: () => "deferred" });
    expect(reloaded.startStream()).toMatchObject({ handle: "H1", offset: "7_0" });
  });

  it("ignores columns the registry does not list and messages without a primary key", () => {
    const result = applier.handleBatch(
      [insert("invoices", { ...invoice("i1", "INV-1"), erp_id: "secret" }), insert("invoices", { number: "no id" }), upToDate()],
      at("H1", "1_0"),
    );
    expect(result.commit).toMatchObject({ inserts: 1, skipped: 1 });
    expect(rows(driver)[0]).not.toHaveProperty("erp_id");
  });

  it("replaces the rows atomically after must-refetch: the old rows stay visible until the new snapshot commits", () => {
    applier.handleBatch([insert("invoices", invoice("i1", "INV-1")), insert("invoices", invoice("i2", "INV-2")), upToDate()], at("H1", "9_0"));
    applier.handleBatch([update("invoices", { id: "i1", status: "paid" })], at("H1", "9_0")); // dropped by the refetch
    applier.handleBatch([mustRefetch()], at("H2", "-1"));
    applier.handleBatch([insert("invoices", invoice("i2", "INV-2")), insert("invoices", invoice("i3", "INV-3"))], at("H2", "0_0"));
    // Mid-refetch: the UI still reads the complete old shape.
    expect(rows(driver).map((r) => r.id)).toEqual(["i1", "i2"]);
    expect(loadSyncState(driver, "invoices")).toMatchObject({ handle: "H1" });

    const result = applier.handleBatch([upToDate()], at("H2", "0_inf"));
    expect(result.commit).toMatchObject({ truncatedRows: 2, inserts: 2 });
    expect(rows(driver).map((r) => [r.id, r.status])).toEqual([["i2", "open"], ["i3", "open"]]);
    expect(loadSyncState(driver, "invoices")).toMatchObject({ handle: "H2", offset: "0_inf" });
  });

  it("writes nothing when the commit fails midway, keeps the batch, and applies it at the next up-to-date", () => {
    loadDataset(driver, generateDataset(60));
    rebuildSearchIndex(driver);
    const live = new ShapeApplier(driver, invoices, { searchMode: () => "incremental" });
    expect(live.startStream()).toMatchObject({ offset: "0_inf" });
    const before = { rows: rows(driver), state: loadSyncState(driver, "invoices"), hits: searchDocuments(driver, "INV-2024-00001") };

    // Fault injection at the database: the 3rd write of the batch aborts, after two succeeded.
    driver.exec(`CREATE TRIGGER boom BEFORE INSERT ON invoices WHEN NEW.number = 'BOOM' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const batch = [
      update("invoices", { id: "inv-1", status: "paid" }),
      remove("invoices", "inv-2"),
      insert("invoices", invoice("new-1", "BOOM")),
      insert("invoices", invoice("new-2", "INV-NEW-2")),
    ];
    live.handleBatch([mustRefetch()], at("H9", "-1"));
    live.handleBatch(batch, at("H9", "0_0"));
    expect(() => live.handleBatch([upToDate("200")], at("H9", "0_inf"))).toThrow(/disk on fire/);

    // Nothing of it landed: no truncate, no update, no delete, no position, no index change.
    expect(rows(driver)).toEqual(before.rows);
    expect(loadSyncState(driver, "invoices")).toEqual(before.state);
    expect(searchDocuments(driver, "INV-2024-00001")).toEqual(before.hits);
    expect(live.bufferedMessages).toBe(4);
    ftsIntact(driver);

    driver.exec("DROP TRIGGER boom");
    const retried = live.handleBatch([upToDate("201")], at("H9", "0_inf"));
    expect(retried.commit).toMatchObject({ truncatedRows: before.rows.length, inserts: 2, search: "rebuilt" });
    // After the refetch the shape is exactly what the new snapshot said.
    expect(rows(driver).map((r) => r.id)).toEqual(["new-1", "new-2"]);
    expect(loadSyncState(driver, "invoices")).toMatchObject({ handle: "H9", offset: "0_inf" });
    expect(searchDocuments(driver, "BOOM", { types: ["invoice"] }).map((r) => r.id)).toEqual(["new-1"]);
    expect(searchDocuments(driver, "INV-2024-00001", { types: ["invoice"] })).toEqual([]);
    ftsIntact(driver);
  });
});

describe("incremental search upkeep", () => {
  let driver: SqlDriver;
  beforeEach(async () => {
    driver = await newReplica();
    loadDataset(driver, generateDataset(200));
    rebuildSearchIndex(driver);
  });

  const commit = (shapeName: string, messages: Parameters<ShapeApplier["handleBatch"]>[0]) => {
    const applier = new ShapeApplier(driver, shape(shapeName), { searchMode: () => "incremental" });
    applier.startStream();
    return applier.handleBatch([...messages, upToDate("300")], at(`h-${shapeName}`, "300_0")).commit;
  };

  it("re-indexes the parent document when a line changes, and forgets a deleted line's SKU", () => {
    expect(searchDocuments(driver, "ZZ-NEW-SKU")).toEqual([]);
    const result = commit("invoice_lines", [update("invoice_lines", { id: "invl-3-1", sku: "ZZ-NEW-SKU" })]);
    expect(result).toMatchObject({ search: "incremental", reindexed: 1 });
    expect(searchDocuments(driver, "ZZ-NEW").map((r) => r.id)).toEqual(["inv-3"]);

    commit("invoice_lines", [remove("invoice_lines", "invl-3-1")]);
    expect(searchDocuments(driver, "ZZ-NEW")).toEqual([]);
    ftsIntact(driver);
  });

  it("re-indexes documents that show an order's number when the order changes", () => {
    commit("orders", [update("orders", { id: "so-4", number: "SO-RENUMBERED-4", customer_reference: "PO-CHANGED" })]);
    const hits = searchDocuments(driver, "SO-RENUMBERED-4");
    expect(hits.map((h) => h.type).sort()).toEqual(["delivery_note", "file", "invoice", "order", "order_confirmation", "quote", "shipment"].sort());
    expect(searchDocuments(driver, "PO-CHANGED", { types: ["invoice"] }).map((h) => h.id)).toEqual(["inv-4"]);
    ftsIntact(driver);
  });

  it("drops a deleted document from the index and adds an inserted one", () => {
    commit("shipments", [remove("shipments", "sh-5")]);
    expect(searchDocuments(driver, "SH-2024-00005", { types: ["shipment"] })).toEqual([]);
    commit("support_tickets", [
      insert("support_tickets", { id: "st-new", account_id: "acc-0001", location_id: "loc-2", number: "T-9999", subject: "Pumpe defekt", category: "product", priority: "high", status: "open", created_at: "2024-05-01 10:00:00+00" }),
    ]);
    expect(searchDocuments(driver, "pumpe defekt")).toEqual([expect.objectContaining({ id: "st-new", type: "support_ticket", title: "Pumpe defekt", subtitle: "product" })]);
    ftsIntact(driver);
  });

  it("re-indexes every document of a location when the location is renamed", () => {
    const result = commit("locations", [update("locations", { id: "loc-2", name: "Zentrallager Bremen" })]);
    expect(result?.search).toBe("incremental");
    const hits = searchDocuments(driver, "Bremen", { limit: 200 });
    expect(hits.length).toBeGreaterThan(50);
    expect(hits.every((h) => h.locationId === "loc-2")).toBe(true);
    ftsIntact(driver);
  });
});
