/**
 * Diagnostic, not a benchmark (`npx tsx bench/support/search-node-probe.ts`; DOCS=100000,
 * STRATEGIES=bm25,bounded): the generated dataset of electric/replica/test-data.ts in an in-memory
 * replica (the same sqlite-wasm build), and per query its match count, the median of three runs of
 * searchDocuments per ranking (decision 023) and the top three numbers. Quick to iterate on; the
 * browser's numbers come from bench/search.bench.ts.
 */
import { generateDataset, loadDataset, newReplica } from "../../electric/replica/test-data";
import { searchDocuments } from "../../electric/replica/search";
import { rebuildSearchIndex } from "../../electric/replica/search-index";
const N = Number(process.env.DOCS ?? 100000);
const t0 = performance.now();
const driver = await newReplica();
driver.exec("PRAGMA cache_size = -65536");
const data = generateDataset(N);
loadDataset(driver, data);
const r = rebuildSearchIndex(driver);
console.log(`built ${r.documents} docs in ${(performance.now() - t0).toFixed(0)} ms`);
const mb = driver.selectValue("SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size) / 1048576.0");
const fts = driver.selectValue("SELECT sum(length(block)) / 1048576.0 FROM search_fts_data");
console.log(`db ${Number(mb).toFixed(1)} MB, fts data ${Number(fts).toFixed(1)} MB`);
const pick = <T,>(a: T[], k: number) => Array.from({ length: k }, (_, i) => a[(i * 7919) % a.length]);
const qs: [string, string][] = [];
pick(data.orders.map((o) => o.number!), 20).forEach((n, i) => qs.push(["number prefix", n.slice(0, n.length - (1 + (i % 3)))]));
pick(data.invoices.map((o) => o.number!), 5).forEach((n, i) => qs.push(["number prefix", n.slice(0, n.length - (1 + (i % 3)))]));
pick(data.orders.map((o) => o.customer_reference!), 20).forEach((n) => qs.push(["PO reference", n]));
[...new Set(data.order_lines.map((l) => l.sku!))].forEach((n) => qs.push(["SKU", n]));
pick(data.shipments.map((o) => o.tracking_number!), 20).forEach((n) => qs.push(["tracking", n]));
const words = [...new Set(data.order_lines.flatMap((l) => l.description!.split(/[\s,/()"]+/).filter((w) => /^\p{L}{5,}$/u.test(w))))];
words.forEach((w) => qs.push(["free words", w]));
const strategy = (process.env.STRATEGIES ?? "bm25,bounded").split(",");
const rows: string[] = [];
for (const [kind, q] of qs) {
  const match = q.split(/\s+/).map((t) => `"${t.replaceAll('"', '""')}"*`).join(" AND ");
  const n = driver.selectValue("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", [match]);
  const cols: string[] = [];
  for (const s of strategy) {
    const times: number[] = [];
    let top = "";
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const res = searchDocuments(driver, q, { limit: 20, ranking: s as "bm25" | "bounded" });
      times.push(performance.now() - t);
      top = res.slice(0, 3).map((x) => x.number).join(",");
    }
    times.sort((a, b) => a - b);
    cols.push(`${s}=${times[1].toFixed(1)}ms [${top}]`);
  }
  rows.push(`${kind.padEnd(14)} ${q.padEnd(22)} ${String(n).padStart(6)}  ${cols.join("  ")}`);
}
console.log(rows.join("\n"));
