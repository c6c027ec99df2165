import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createApiKey } from "../app/modules/erp/api/keys.server";
import { writeInvoiceCsv } from "../app/modules/erp/testing/csv-fixture";
import { invoiceRecord } from "../app/modules/erp/testing/fixtures";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import { createBenchDatabase, log, secs, startPortal, type BenchDatabase, type Portal } from "./support/portal";

/**
 * ERP ingest, on a private copy of the seeded database:
 * - REST: batches of 500 invoices with 5 lines each POSTed to the running portal over HTTP, by one
 *   client and by 4 at once; baseline: the same invoices one per request (what an ERP without
 *   batching would do). Also the replay of batches already applied (all unchanged).
 * - CSV: a generated 1M-row file (200,000 invoices × 5 lines) through `npm run erp:import`, rows/s
 *   and the importer's peak RSS; baseline for memory: reading the same file whole with csv-parse/sync
 *   (no import at all), the non-streaming alternative.
 * Nothing here fails on time.
 */

const BATCH = 500;
const LINES = 5;
const BATCHES_ONE_CLIENT = Number(process.env.INGEST_BENCH_BATCHES ?? 30);
const BATCHES_FOUR_CLIENTS = BATCHES_ONE_CLIENT;
const SINGLE_REQUESTS = 300;
const CSV_ROWS = Number(process.env.INGEST_BENCH_CSV_ROWS ?? 1_000_000);

async function post(portal: Portal, key: string, records: unknown[]): Promise<{ ms: number; counts: Record<string, number> }> {
  const started = performance.now();
  const response = await fetch(`${portal.baseUrl}/api/erp/v1/invoices`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ records }),
  });
  const body = (await response.json()) as { counts?: Record<string, number>; error?: { message: string } };
  if (response.status !== 200 || !body.counts) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body.error ?? body)}`);
  return { ms: performance.now() - started, counts: body.counts };
}

const batchOf = (tag: string, b: number) => Array.from({ length: BATCH }, (_, i) => invoiceRecord(`${tag}-${b}-${i}`, { lines: LINES }));

/** Sends `batches` batches with `clients` clients at once; returns records/s and per-batch latencies. */
async function pushBatches(portal: Portal, key: string, tag: string, batches: number, clients: number) {
  let next = 0;
  let records = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let b = next++; b < batches; b = next++) {
        const { ms, counts } = await post(portal, key, batchOf(tag, b));
        latencies.push(ms);
        records += counts.inserted + counts.updated + counts.unchanged;
      }
    }),
  );
  return { perSecond: records / ((performance.now() - started) / 1000), latencies };
}

function runCli(databaseUrl: string, file: string): Promise<{ seconds: number; rowsRead: number; peakRssMb: number; status: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/erp-import.ts", "invoices", file, "--json"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? ""));
      } catch {
        reject(new Error(`erp:import exited ${code}: ${out}`));
      }
    });
  });
}

/** Peak RSS of only reading the whole file into memory (csv-parse/sync), in MB. */
function wholeFileParseRss(file: string): Promise<number> {
  const script = `import { readFileSync } from "node:fs"; import { parse } from "csv-parse/sync";
    const rows = parse(readFileSync(${JSON.stringify(file)}), { columns: true });
    console.log(JSON.stringify({ rows: rows.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out).peakRssMb) : reject(new Error(`whole-file parse exited ${code}`))));
  });
}

export default async function ingestBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  const dir = await mkdtemp(path.join(os.tmpdir(), "ledgerlight-ingest-bench-"));
  const results: BenchResult[] = [];
  try {
    database = await createBenchDatabase("ingest");
    portal = await startPortal(database.url);
    const admin = await database.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@brandt-soehne.example'`);
    const { key } = await createApiKey(database.db, { userId: admin.rows[0].id, ip: null, userAgent: null }, { name: "bench", scopes: ["erp:write"], rateLimitPerMinute: 1_000_000 });
    await post(portal, key, batchOf("warm", 0)); // JIT, pools, plans

    log(`REST: ${BATCHES_ONE_CLIENT} batches of ${BATCH} invoices × ${LINES} lines, one client`);
    const single = await pushBatches(portal, key, "one", BATCHES_ONE_CLIENT, 1);
    log(`REST baseline: ${SINGLE_REQUESTS} invoices, one per request`);
    let singles = 0;
    const singleStarted = performance.now();
    for (let i = 0; i < SINGLE_REQUESTS; i++) singles += Object.values((await post(portal, key, [invoiceRecord(`solo-${i}`, { lines: LINES })])).counts).reduce((a, b) => a + b, 0);
    const singlePerSecond = singles / ((performance.now() - singleStarted) / 1000);
    results.push(
      { case: `REST upsert, batches of ${BATCH} invoices × ${LINES} lines, 1 client`, metric: "throughput", unit: "records/s", value: single.perSecond, baseline: "one invoice per request", baseline_value: singlePerSecond, samples: BATCHES_ONE_CLIENT },
      { case: `REST batch of ${BATCH} invoices, 1 client`, metric: "median", unit: "ms", value: median(single.latencies), samples: single.latencies.length },
      { case: `REST batch of ${BATCH} invoices, 1 client`, metric: "p95", unit: "ms", value: percentile(single.latencies, 95), samples: single.latencies.length },
    );

    log(`REST: ${BATCHES_FOUR_CLIENTS} batches, 4 clients at once`);
    const four = await pushBatches(portal, key, "four", BATCHES_FOUR_CLIENTS, 4);
    results.push(
      { case: `REST upsert, batches of ${BATCH} invoices × ${LINES} lines, 4 clients`, metric: "throughput", unit: "records/s", value: four.perSecond, baseline: "1 client, same run", baseline_value: single.perSecond, samples: BATCHES_FOUR_CLIENTS },
      { case: `REST batch of ${BATCH} invoices, 4 clients`, metric: "p95", unit: "ms", value: percentile(four.latencies, 95), samples: four.latencies.length },
    );

    log("REST: the one-client batches again (idempotent replay, all unchanged)");
    const replay = await pushBatches(portal, key, "one", BATCHES_ONE_CLIENT, 1);
    results.push({ case: `REST replay of applied batches (unchanged), 1 client`, metric: "throughput", unit: "records/s", value: replay.perSecond, baseline: "first delivery, same run", baseline_value: single.perSecond, samples: BATCHES_ONE_CLIENT });

    await portal.stop();
    portal = null;
    const file = path.join(dir, "invoices.csv");
    const written = await writeInvoiceCsv(file, CSV_ROWS, { prefix: "BENCH" });
    log(`CSV: ${CSV_ROWS.toLocaleString("en")} rows (${(written.bytes / 1e6).toFixed(0)} MB) through npm run erp:import`);
    const csv = await runCli(database.url, file);
    if (csv.status !== "succeeded") throw new Error(`CSV import ${csv.status}`);
    log(`CSV: ${secs(csv.seconds * 1000)}, peak RSS ${csv.peakRssMb.toFixed(0)} MB; baseline: whole-file parse`);
    const wholeFile = await wholeFileParseRss(file);
    results.push(
      { case: `CSV import, ${CSV_ROWS.toLocaleString("en")} rows (${CSV_ROWS / LINES} invoices × ${LINES} lines)`, metric: "throughput", unit: "rows/s", value: csv.rowsRead / csv.seconds, samples: 1 },
      { case: `CSV import, ${CSV_ROWS.toLocaleString("en")} rows`, metric: "peak RSS", unit: "MB", value: csv.peakRssMb, baseline: "csv-parse/sync of the whole file, no import", baseline_value: wholeFile, samples: 1 },
    );
    recordBench("ingest", results);
  } finally {
    await portal?.stop();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
