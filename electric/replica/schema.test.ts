import { describe, expect, it } from "vitest";
import { SHAPES } from "../shapes/registry";
import { openMemoryDriver } from "./driver";
import { ReplicaQueryError, runReadQuery } from "./queries";
import { getMeta, loadSyncState, migrateReplica, registryFingerprint, saveSyncState } from "./schema";
import { getSearchState, rebuildSearchIndex } from "./search-index";
import { generateDataset, loadDataset, newReplica } from "./test-data";

describe("replica schema", () => {
  it("creates one TEXT table per shape plus sync_state and meta, once", async () => {
    const driver = await openMemoryDriver();
    expect(migrateReplica(driver)).toEqual({ rebuilt: true, previousFingerprint: null });
    expect(migrateReplica(driver)).toMatchObject({ rebuilt: false });
    for (const shape of SHAPES) {
      const columns = driver.selectObjects<{ name: string; type: string; pk: number }>(`SELECT name, type, pk FROM pragma_table_info(?)`, [shape.table]);
      expect(columns.map((c) => c.name)).toEqual([...shape.columns]);
      expect(new Set(columns.map((c) => c.type))).toEqual(new Set(["TEXT"]));
      // `id` is unique through a droppable index (decision 008), not a PRIMARY KEY constraint.
      const unique = driver.selectObjects<{ name: string }>(`SELECT name FROM pragma_index_list(?) WHERE "unique" = 1`, [shape.table]);
      const uniqueColumns = unique.map((i) => driver.selectObjects<{ name: string }>(`SELECT name FROM pragma_index_info(?)`, [i.name]).map((c) => c.name).join(","));
      expect(uniqueColumns).toEqual(["id"]);
    }
    expect(getMeta(driver, "registry_fingerprint")).toBe(registryFingerprint());
    expect(getSearchState(driver)).toBe("pending");
  });

  it("drops everything and starts over when the registry's columns change", async () => {
    const driver = await newReplica();
    loadDataset(driver, generateDataset(30));
    rebuildSearchIndex(driver);
    expect(loadSyncState(driver, "invoices")).not.toBeNull();

    const changed = SHAPES.map((s) => (s.name === "invoices" ? { ...s, columns: [...s.columns, "einvoice_profile"] } : s));
    const result = migrateReplica(driver, changed);
    expect(result).toMatchObject({ rebuilt: true, previousFingerprint: registryFingerprint() });
    expect(driver.selectValue("SELECT count(*) FROM invoices")).toBe(0);
    expect(driver.selectValue("SELECT count(*) FROM sync_state")).toBe(0);
    expect(driver.selectValue("SELECT count(*) FROM search_docs")).toBe(0);
    expect(getSearchState(driver)).toBe("pending");
    expect(driver.selectObjects("SELECT name FROM pragma_table_info('invoices') WHERE name = 'einvoice_profile'")).toHaveLength(1);
  });

  it("ignores a saved position without a handle or from another schema version", async () => {
    const driver = await newReplica();
    saveSyncState(driver, "orders", { handle: undefined, offset: "12_0" });
    expect(loadSyncState(driver, "orders")).toBeNull();
    saveSyncState(driver, "orders", { handle: "h", offset: "12_0" });
    expect(loadSyncState(driver, "orders")).toMatchObject({ handle: "h", offset: "12_0" });
    driver.run("UPDATE sync_state SET schema_version = 0");
    expect(loadSyncState(driver, "orders")).toBeNull();
  });

  it("refuses a shape whose table would collide with the replica's own tables", async () => {
    const driver = await openMemoryDriver();
    expect(() => migrateReplica(driver, [{ ...SHAPES[0], table: "sync_state" }])).toThrow(/reserved/);
  });
});

describe("named read queries", () => {
  it("reads rows, lists with filters and order, counts, and assembles details", async () => {
    const driver = await newReplica();
    const data = generateDataset(50);
    loadDataset(driver, data);
    expect(runReadQuery(driver, "rows.get", { shape: "invoices", id: "inv-3" })).toMatchObject({ number: "INV-2024-00003" });
    expect(runReadQuery(driver, "rows.get", { shape: "invoices", id: "nope" })).toBeNull();
    const listed = runReadQuery(driver, "rows.list", { shape: "orders", where: { location_id: "loc-2", status: ["open", "confirmed"] }, orderBy: "order_date", direction: "desc", limit: 5 });
    expect(listed.length).toBeLessThanOrEqual(5);
    expect(listed.every((o) => o.location_id === "loc-2" && ["open", "confirmed"].includes(String(o.status)))).toBe(true);
    expect(runReadQuery(driver, "rows.count", { shape: "invoices", where: { kind: "credit_note" } })).toBe(data.invoices.filter((i) => i.kind === "credit_note").length);
    const detail = runReadQuery(driver, "order.detail", { id: "so-2" });
    expect(detail?.lines.map((l) => l.sales_order_id)).toEqual(data.order_lines.filter((l) => l.sales_order_id === "so-2").map(() => "so-2"));
    expect(detail?.invoices.map((i) => i.id)).toEqual(["inv-2"]);
    expect(runReadQuery(driver, "invoice.detail", { id: "inv-2" })?.lines.length).toBeGreaterThan(0);
  });

  it("rejects unknown shapes, columns and queries", async () => {
    const driver = await newReplica();
    expect(() => runReadQuery(driver, "rows.list", { shape: "users" })).toThrow(ReplicaQueryError);
    expect(() => runReadQuery(driver, "rows.list", { shape: "orders", where: { "1=1; --": "x" } })).toThrow(/Unknown column/);
    expect(() => runReadQuery(driver, "rows.list", { shape: "orders", orderBy: "erp_id" })).toThrow(/Unknown column/);
    expect(() => runReadQuery(driver, "sql.raw" as "rows.get", { shape: "orders", id: "x" })).toThrow(/Unknown read query/);
  });
});
