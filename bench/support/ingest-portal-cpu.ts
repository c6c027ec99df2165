/**
 * The portal's share of a 500-invoice REST batch, stage by stage, in this process and without a
 * database: JSON.parse of the body, schema validation (zod), row preparation (with references
 * resolved from a stub lookup), the column-array parameters, and the JSON answer. Repeats the batch
 * (fresh ERP ids each time) and prints the median CPU time per stage (process.cpuUsage, so GC helper
 * threads count and other processes on the machine do not), plus GC pause time from a PerformanceObserver.
 * Usage: npx tsx bench/support/ingest-portal-cpu.ts [batches]
 */
import { PerformanceObserver } from "node:perf_hooks";
import { findEntity } from "../../app/modules/erp/entities/registry";
import { prepareRecord, type Prepared, type RefLookup } from "../../app/modules/erp/entities/rows";
import { validateRecords } from "../../app/modules/erp/ingest/ingest.server";
import { arrayLiteral } from "../../app/modules/erp/ingest/apply.server";
import { invoiceRecord } from "../../app/modules/erp/testing/fixtures";

const BATCHES = Number(process.argv[2] ?? 40);
const def = findEntity("invoices")!;
const ACCOUNT = "00000000-0000-4000-8000-000000000001";
const lookup: RefLookup = {
  want: () => undefined,
  get: (table) => ({ id: table === "accounts" ? ACCOUNT : "00000000-0000-4000-8000-000000000002", account_id: ACCOUNT, location_id: null }),
};

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

const stages = new Map<string, number[]>();
/** CPU time of this process (all threads: GC helpers count), in ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const time = <T>(name: string, fn: () => T): T => {
  const t = cpuMs();
  const out = fn();
  const list = stages.get(name) ?? [];
  list.push(cpuMs() - t);
  stages.set(name, list);
  return out;
};

function columns(rows: Record<string, unknown>[]): string[] {
  const cols = Object.keys(rows[0]);
  return cols.map((c) => arrayLiteral(rows.map((r) => r[c] ?? null)));
}

const gcPerBatch: number[] = [];
for (let b = 0; b < BATCHES + 5; b++) {
  const body = JSON.stringify({ records: Array.from({ length: 500 }, (_, i) => invoiceRecord(`cpu-${b}-${i}`, { lines: 5 })) });
  const gcBefore = gcMs;
  const t = cpuMs();
  const parsed = time("JSON.parse", () => JSON.parse(body) as { records: unknown[] });
  const validated = time("validate (zod)", () => validateRecords(def, parsed.records.map((value) => ({ value }))));
  if (validated.valid.length !== 500) throw new Error(JSON.stringify(validated.results.find(Boolean)));
  const batchIds = new Set(validated.valid.map((v) => v.erpId));
  const prepared = time("prepare rows", () =>
    validated.valid.map((v) => {
      const p = prepareRecord(def, v.record, v.index, v.version, lookup, batchIds);
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      return p.prepared;
    }),
  );
  time("parameters (array literals)", () => {
    const headers = prepared.map((p: Prepared) => p.header);
    const lines = prepared.flatMap((p) => p.children.get("invoice_lines") ?? []);
    const tax = prepared.flatMap((p) => p.children.get("invoice_tax_breakdown") ?? []);
    return [columns(headers), columns(lines), columns(tax)].flat().reduce((n, s) => n + s.length, 0);
  });
  time("answer (JSON)", () => JSON.stringify({ results: prepared.map((p) => ({ index: p.index, erpId: p.erpId, status: "accepted", action: "inserted" })) }).length);
  const total = stages.get("total") ?? [];
  total.push(cpuMs() - t);
  stages.set("total", total);
  await new Promise((resolve) => setImmediate(resolve)); // lets the GC observer report
  if (b >= 5) gcPerBatch.push(gcMs - gcBefore);
  if (b === 4) for (const list of stages.values()) list.length = 0;
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, list] of stages) console.log(`${med(list).toFixed(1).padStart(7)} ms  ${name}`);
console.log(`${(gcPerBatch.reduce((a, b) => a + b, 0) / gcPerBatch.length).toFixed(1).padStart(7)} ms  GC per batch (mean, inside the stages above)`);
