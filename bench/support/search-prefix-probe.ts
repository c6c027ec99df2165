/**
 * Diagnostic, not a benchmark (`npx tsx bench/support/search-prefix-probe.ts`; DOCS=100000,
 * VARIANTS="2 3,3,", ROUNDS=2): what the FTS5 prefix indexes buy at query time. Builds the index of
 * the generated dataset (electric/replica/test-data.ts, in memory, the same sqlite-wasm build) with
 * each `prefix` option in turn and times the palette's search (searchDocuments, bounded ranking)
 * for queries of the bench's kinds AND for every prefix a user types on the way to them
 * ("PM", "PMP", "PMP-", …), since the palette searches as the user types. Prints per kind and
 * variant the median, p95 and max of the warm runs, and the build's CPU ms.
 */
import { generateDataset, loadDataset, newReplica } from "../../electric/replica/test-data";
import { SEARCH_SCHEMA_SQL } from "../../electric/replica/search-sources";
import { searchDocuments } from "../../electric/replica/search";
import { rebuildSearchIndex } from "../../electric/replica/search-index";

const N = Number(process.env.DOCS ?? 100000);
const variants = (process.env.VARIANTS ?? "2 3|3|").split("|");
const rounds = Number(process.env.ROUNDS ?? 2);
const driver = await newReplica();
const data = generateDataset(N);
loadDataset(driver, data);

const pick = <T,>(a: T[], k: number) => Array.from({ length: k }, (_, i) => a[(i * 7919) % a.length]);
const full: [string, string][] = [];
pick(data.orders.map((o) => o.number!), 10).forEach((n, i) => full.push(["number", n.slice(0, n.length - (1 + (i % 3)))]));
pick(data.invoices.map((o) => o.number!), 5).forEach((n) => full.push(["number", n]));
pick(data.orders.map((o) => o.customer_reference!), 10).forEach((n) => full.push(["PO", n]));
[...new Set(data.order_lines.map((l) => l.sku!))].forEach((n) => full.push(["SKU", n]));
pick(data.shipments.map((o) => o.tracking_number!), 5).forEach((n) => full.push(["tracking", n]));
const words = [...new Set(data.order_lines.flatMap((l) => l.description!.split(/[\s,/()"]+/).filter((w) => /^\p{L}{5,}$/u.test(w))))];
words.forEach((w) => full.push(["words", w]));
const queries: [string, string][] = [];
for (const [kind, q] of full) {
  queries.push([kind, q]);
  for (let len = 2; len < q.length; len += 1) queries.push([`${kind} (typing)`, q.slice(0, len)]);
}
const unique = [...new Map(queries.map(([k, q]) => [q, [k, q] as [string, string]])).values()];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = new Map<string, number[]>();
const worst = new Map<string, [number, string]>();
for (let r = 0; r < rounds; r += 1) {
  for (const prefix of r % 2 === 0 ? variants : [...variants].reverse()) {
    driver.exec("DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_docs;");
    driver.exec(SEARCH_SCHEMA_SQL.replace("remove_diacritics 2'", prefix ? `remove_diacritics 2', prefix = '${prefix}'` : "remove_diacritics 2'"));
    const t = cpu();
    rebuildSearchIndex(driver);
    const buildMs = cpu() - t;
    for (const [kind, q] of unique) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const t0 = performance.now();
        searchDocuments(driver, q, { limit: 20 });
        runs.push(performance.now() - t0);
      }
      const ms = runs.sort((a, b) => a - b)[1];
      const key = `${prefix || "none"}\u0000${kind}`;
      times.set(key, [...(times.get(key) ?? []), ms]);
      if ((worst.get(key)?.[0] ?? 0) < ms) worst.set(key, [ms, q]);
    }
    console.log(`prefix='${prefix}' round ${r}: build ${buildMs.toFixed(0)} ms CPU`);
  }
}
const kinds = [...new Set(unique.map(([k]) => k))];
for (const kind of kinds) {
  const cols = variants.map((v) => {
    const key = `${v || "none"}\u0000${kind}`;
    const s = [...(times.get(key) ?? [])].sort((a, b) => a - b);
    const p = (x: number) => s[Math.min(s.length - 1, Math.floor(x * s.length))].toFixed(2);
    const [wm, wq] = worst.get(key)!;
    return `'${v}': ${p(0.5)}/${p(0.95)}/${wm.toFixed(1)} (${wq})`;
  });
  console.log(`${kind.padEnd(18)} n=${String((times.get(`${variants[0] || "none"}\u0000${kind}`) ?? []).length / rounds).padEnd(4)} ${cols.join("   ")}`);
}
