import { describe, expect, it } from "vitest";
import { ShapeApplier } from "./apply";
import { searchDocuments, type SearchOptions } from "./search";
import { rebuildSearchIndex, reindexDocuments, type DocumentKey } from "./search-index";
import { generateDataset, loadDataset, newReplica, shape, update, upToDate } from "./test-data";

const DOCUMENTS = Number(process.env.REPLICA_BULK_DOCUMENTS ?? 20_000);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Prints timings (never fails on them): the numbers go into docs/decisions/006. */
describe(`bulk load of ${DOCUMENTS} documents`, () => {
  it("inserts rows first, then builds the index in one pass, then searches fast", async () => {
    const driver = await newReplica();
    const data = generateDataset(DOCUMENTS);
    const rowCount = Object.values(data).reduce((sum, rows) => sum + rows.length, 0);

    let started = performance.now();
    loadDataset(driver, data);
    const loadMs = performance.now() - started;

    const progress: string[] = [];
    const build = rebuildSearchIndex(driver, (p) => progress.push(`${p.phase} ${p.done}/${p.total}`));
    expect(build.documents).toBeGreaterThanOrEqual(DOCUMENTS);
    expect(progress.at(-1)).toBe("done 10/10");
    driver.run("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");

    // What per-document upkeep (the trigger-like path) would cost for the same initial load.
    const allKeys = driver.selectObjects<{ source: DocumentKey["source"]; doc_id: string }>("SELECT source, doc_id FROM search_docs");
    started = performance.now();
    reindexDocuments(driver, allKeys.map((k) => ({ source: k.source, id: k.doc_id })));
    const perDocumentMs = performance.now() - started;

    const orders = data.orders;
    const pick = (i: number) => orders[(i * 7919) % orders.length];
    const queries: { q: string; options?: SearchOptions }[] = [];
    for (let i = 0; i < 60; i += 1) queries.push({ q: String(pick(i).number).slice(0, 12) }); // number prefixes: SO-2024-0012
    for (let i = 0; i < 40; i += 1) queries.push({ q: String(pick(i + 100).number).replace("SO", "INV") }); // exact numbers
    for (let i = 0; i < 40; i += 1) queries.push({ q: String(pick(i + 200).customer_reference) }); // PO numbers
    for (let i = 0; i < 40; i += 1) queries.push({ q: String(data.shipments[(i * 104_729) % data.shipments.length].tracking_number).slice(0, 14) });
    for (const q of ["pumpe", "PMP-CN", "umwalz", "dichtung", "hamburg pumpe", "22212", "2024-03"]) queries.push({ q }, { q, options: { types: ["invoice", "credit_note"] } });
    for (let i = 0; i < 20; i += 1) queries.push({ q: "", options: { types: ["order"], dateFrom: "2024-03-01", dateTo: "2024-03-31", status: "open" } });

    const durations: number[] = [];
    let hits = 0;
    for (const { q, options } of queries) {
      const t = performance.now();
      hits += searchDocuments(driver, q, options).length;
      durations.push(performance.now() - t);
    }
    durations.sort((a, b) => a - b);
    expect(hits).toBeGreaterThan(queries.length);

    // One live change afterwards: a line's SKU changes, its order and confirmation are re-indexed.
    const applier = new ShapeApplier(driver, shape("order_lines"), { searchMode: () => "incremental" });
    applier.startStream();
    started = performance.now();
    const commit = applier.handleBatch([update("sales_order_lines", { id: "sol-1-1", sku: "NEW-SKU-1" }), upToDate("900")], () => ({ handle: "h", offset: "900_0" })).commit;
    const liveMs = performance.now() - started;
    expect(commit).toMatchObject({ search: "incremental", reindexed: 2 });
    expect(searchDocuments(driver, "NEW-SKU-1").map((h) => h.id).sort()).toEqual(["oc-1", "so-1"]);

    const report = {
      documents: build.documents,
      shapeRows: rowCount,
      "load rows (ms)": Math.round(loadMs),
      "build index: INSERT…SELECT + rebuild (ms)": Math.round(build.ms),
      "same via per-document reindex (ms)": Math.round(perDocumentMs),
      searches: durations.length,
      "search p50 (ms)": Number(percentile(durations, 50).toFixed(2)),
      "search p95 (ms)": Number(percentile(durations, 95).toFixed(2)),
      "search max (ms)": Number(durations.at(-1)!.toFixed(2)),
      "live commit of 1 change + reindex (ms)": Number(liveMs.toFixed(2)),
    };
    console.log(`\nReplica bulk load (Node ${process.version}, sqlite-wasm in memory)\n${JSON.stringify(report, null, 2)}`);
  }, 120_000);
});
