import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createApiKey } from "../app/modules/erp/api/keys.server";
import { writeInvoiceCsv } from "../app/modules/erp/testing/csv-fixture";
import { invoiceRecord } from "../app/modules/erp/testing/fixtures";
import { createDatabaseMigratedThrough } from "../app/modules/erp/testing/migrated-through";
import { seedDemo } from "../db/seed/seed";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import { backendCpuBetween, createBenchDatabase, log, postgresBackendCpu, processCpuMs, secs, startPortal, type BenchDatabase, type Portal } from "./support/portal";
import type { Db } from "../app/db/db.server";

/**
 * ERP ingest, on a private copy of the seeded database:
 * - REST: batches of 500 invoices with 5 lines each POSTed to the running portal over HTTP, by one
 *   client and by 4 at once; baseline: the same invoices one per request (what an ERP without
 *   batching would do). Also the replay of batches already applied (all unchanged).
 * - Change capture: the same REST batches against a second portal whose database has the schema
 *   before migration 040 (row-level capture, one log INSERT and NOTIFY per row), seeded alike; the
 *   two take turns round by round, so both see the same machine load.
 * - CSV: a generated 1M-row file (200,000 invoices × 5 lines) through `npm run erp:import`, rows/s
 *   and the importer's peak RSS; baseline for memory: reading the same file whole with csv-parse/sync
 *   (no import at all), the non-streaming alternative.
 * - Old vs new (INGEST_BENCH_BASELINE=<worktree of an older commit, built>): the same REST batches
 *   against a portal started from that worktree, on its own copy of the same seeded template, in
 *   the same alternating rounds; "portal CPU per batch" is the server process's CPU time (/proc)
 *   divided by the batches it answered. When that checkout's migrations end earlier than ours, its
 *   database is migrated only through its own last migration and seeded (the old code on the old
 *   schema); the shared migrations must be byte-identical.
 * - Implied FKs: the same again against a database migrated through 040, which still has the child
 *   rows' `account_id REFERENCES accounts` that 041 drops (decision 027).
 * Knobs: INGEST_BENCH_BATCHES (30), INGEST_BENCH_ROUNDS (3), INGEST_BENCH_CSV_ROWS (1,000,000; 0
 * skips the CSV part), INGEST_BENCH_ROW_CAPTURE=0 (skips the row-capture portal),
 * INGEST_BENCH_CPU_PROF=<dir> (the new portal runs with --cpu-prof into that directory),
 * INGEST_BENCH_PREVIOUS_SCHEMAS=0 (skips both earlier-schema portals), INGEST_BENCH_PRESERIALIZE=1 (see below),
 * INGEST_BENCH_ELECTRIC_MODE=0 (skips the real-Electric portal, below).
 * - Real Electric: the same REST batches against a portal started with ELECTRIC_URL, on its own copy
 *   of the template, in the same alternating rounds. That portal switches the built-in engine's
 *   change capture off at boot (decision 036): production at scale, where Electric reads the WAL.
 *   Electric itself is not running (no Docker here), so its own decoding cost is not in the figure.
 * CPU per batch, split three ways (the machine has 2 cores; everything below shares them):
 * "portal" is the server process (/proc), "postgres" the backends connected to the target's
 * database (/proc of each pid in pg_stat_activity, sampled before and after), "client" this bench
 * process (process.cpuUsage: building the invoices, JSON.stringify, reading the answers).
 * By default the client builds and serialises each batch inside the timed part, as an ERP would;
 * with INGEST_BENCH_PRESERIALIZE=1 every request body of a measurement is built before its clock
 * starts, so the client's share of the 2 cores is only sending and reading. Report both.
 * Nothing here fails on time.
 */

const BATCH = 500;
const LINES = 5;
const BATCHES_ONE_CLIENT = Number(process.env.INGEST_BENCH_BATCHES ?? 30);
const BATCHES_FOUR_CLIENTS = BATCHES_ONE_CLIENT;
/** Turns the portals take. */
const ROUNDS = Number(process.env.INGEST_BENCH_ROUNDS ?? 3);
const BASELINE_DIR = process.env.INGEST_BENCH_BASELINE || null;
const ROW_CAPTURE = process.env.INGEST_BENCH_ROW_CAPTURE !== "0";
/** INGEST_BENCH_PREVIOUS_SCHEMAS=0 skips both earlier-schema portals (row capture, child account FKs). */
const PREVIOUS = process.env.INGEST_BENCH_PREVIOUS_SCHEMAS !== "0";
const CPU_PROF_DIR = process.env.INGEST_BENCH_CPU_PROF || null;
const ELECTRIC_MODE = process.env.INGEST_BENCH_ELECTRIC_MODE !== "0";
/** Nothing listens there: the gateway is never asked for a shape here, only boot reads the setting. */
const UNUSED_ELECTRIC_URL = "http://127.0.0.1:9";
/**
 * Earlier schemas, each on a seeded database of its own behind this commit's portal, in the same
 * alternating rounds: what a schema change bought, measured side by side.
 */
const PREVIOUS_SCHEMAS = [
  {
    through: "031-previous-login.sql",
    label: "row capture",
    names: { throughput: "row-level change capture and child account FKs (schema before 040), alternating rounds", rest: "row-level change capture (schema before 040)" },
  },
  {
    through: "040-statement-change-capture.sql",
    label: "child account FKs",
    names: { throughput: "child rows' implied account FKs kept (schema before 041), alternating rounds", rest: "implied account FKs kept (schema before 041)" },
  },
] as const;
const SINGLE_REQUESTS = 300;
const CSV_ROWS = Number(process.env.INGEST_BENCH_CSV_ROWS ?? 1_000_000);
const PRESERIALIZE = process.env.INGEST_BENCH_PRESERIALIZE === "1";

async function post(portal: Portal, key: string, records: unknown[] | string): Promise<{ ms: number; counts: Record<string, number> }> {
  const started = performance.now();
  const response = await fetch(`${portal.baseUrl}/api/erp/v1/invoices`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: typeof records === "string" ? records : JSON.stringify({ records }),
  });
  const body = (await response.json()) as { counts?: Record<string, number>; error?: { message: string } };
  if (response.status !== 200 || !body.counts) throw new Error(`ingest answered ${response.status}: ${JSON.stringify(body.error ?? body)}`);
  return { ms: performance.now() - started, counts: body.counts };
}

const batchOf = (tag: string, b: number) => Array.from({ length: BATCH }, (_, i) => invoiceRecord(`${tag}-${b}-${i}`, { lines: LINES }));

/** Sends `batches` batches with `clients` clients at once; returns records/s, per-batch latencies and CPU (portal, Postgres, client). */
async function pushBatches(target: Target, tag: string, batches: number, clients: number) {
  const { portal, key } = target;
  let next = 0;
  let records = 0;
  const latencies: number[] = [];
  const bodies = PRESERIALIZE ? Array.from({ length: batches }, (_, b) => JSON.stringify({ records: batchOf(tag, b) })) : null;
  const pgBefore = await target.pgCpu();
  const cpuBefore = processCpuMs(portal.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let b = next++; b < batches; b = next++) {
        const { ms, counts } = await post(portal, key, bodies ? bodies[b] : batchOf(tag, b));
        latencies.push(ms);
        records += counts.inserted + counts.updated + counts.unchanged;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpuMs = processCpuMs(portal.pid) - cpuBefore;
  const pgCpuMs = backendCpuBetween(pgBefore, await target.pgCpu());
  return { perSecond: records / seconds, latencies, records, seconds, cpuMs, pgCpuMs, clientCpuMs: (client.user + client.system) / 1000 };
}

/**
 * The old commit's database: a copy of the seeded template when it has our migrations, else one
 * migrated through its last migration (which must be a prefix of ours) and seeded the same way.
 */
async function baselineDatabase(dir: string): Promise<BenchDatabase> {
  const list = (d: string) => readdirSync(d).filter((f) => f.endsWith(".sql")).sort();
  const theirs = list(path.join(dir, "db/migrations"));
  const ours = list("db/migrations");
  for (const file of theirs) {
    if (!ours.includes(file) || readFileSync(path.join(dir, "db/migrations", file), "utf8") !== readFileSync(path.join("db/migrations", file), "utf8")) {
      throw new Error(`INGEST_BENCH_BASELINE: migration ${file} differs from this checkout's; the old schema cannot be built from ours`);
    }
  }
  const last = theirs.at(-1);
  if (last === ours.at(-1)) return createBenchDatabase("ingest_old");
  const db = await createDatabaseMigratedThrough(`ingest_old_${last!.slice(0, 3)}`, last);
  await seedDemo(db.db);
  log(`old commit's database ${db.name}: migrated through ${last} (its last migration), seeded`);
  return db;
}

async function benchKey(db: Db): Promise<string> {
  const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@brandt-soehne.example'`);
  const { key } = await createApiKey(db, { userId: admin.rows[0].id, ip: null, userAgent: null }, { name: "bench", scopes: ["erp:write"], rateLimitPerMinute: 1_000_000 });
  return key;
}

interface Target {
  label: string;
  portal: Portal;
  key: string;
  /** Samples the CPU of the Postgres backends of the target's database. */
  pgCpu: () => Promise<Map<number, number>>;
}

/** The same batches against both portals, in alternating rounds; records/s and latencies of each. */
async function alternate(targets: Target[], tag: string, batches: number, clients: number) {
  const totals = targets.map(() => ({ records: 0, seconds: 0, cpuMs: 0, pgCpuMs: 0, clientCpuMs: 0, latencies: [] as number[] }));
  const perRound = Math.ceil(batches / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, target] of targets.entries()) {
      const done = await pushBatches(target, `${tag}-r${round}`, perRound, clients);
      totals[i].records += done.records;
      totals[i].seconds += done.seconds;
      totals[i].cpuMs += done.cpuMs;
      totals[i].pgCpuMs += done.pgCpuMs;
      totals[i].clientCpuMs += done.clientCpuMs;
      totals[i].latencies.push(...done.latencies);
    }
  }
  const out = totals.map((t) => ({
    perSecond: t.records / t.seconds,
    latencies: t.latencies,
    cpuPerBatch: t.cpuMs / t.latencies.length,
    pgCpuPerBatch: t.pgCpuMs / t.latencies.length,
    clientCpuPerBatch: t.clientCpuMs / t.latencies.length,
  }));
  for (const [i, t] of out.entries()) {
    log(
      `  ${targets[i].label}: ${t.perSecond.toFixed(0)} records/s, batch median ${median(t.latencies).toFixed(0)} ms, p95 ${percentile(t.latencies, 95).toFixed(0)} ms; ` +
        `CPU per batch: postgres ${t.pgCpuPerBatch.toFixed(0)} ms, portal ${t.cpuPerBatch.toFixed(0)} ms, client ${t.clientCpuPerBatch.toFixed(0)} ms (n=${t.latencies.length})`,
    );
  }
  return out;
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

type Measured = { perSecond: number; latencies: number[]; cpuPerBatch: number; pgCpuPerBatch: number; clientCpuPerBatch: number };

/** Result rows comparing this commit's batches with another target's, same run, for the given metrics. */
function comparisonRows(clients: number, now: Measured, base: Measured, names: { throughput: string; rest: string }, metrics: Array<"throughput" | "median" | "p95" | "cpu" | "pgcpu" | "clientcpu">): BenchResult[] {
  const plural = clients === 1 ? "1 client" : `${clients} clients`;
  const samples = now.latencies.length;
  const bodies = PRESERIALIZE ? ", bodies serialised before the clock" : "";
  const row = {
    throughput: `REST upsert, batches of ${BATCH} invoices × ${LINES} lines, ${plural}${bodies}`,
    batch: `REST batch of ${BATCH} invoices, ${plural}${bodies}`,
    cpu: `portal CPU per batch of ${BATCH} invoices, ${plural}${bodies}`,
    pgcpu: `Postgres backend CPU per batch of ${BATCH} invoices, ${plural}${bodies}`,
    clientcpu: `bench client CPU per batch of ${BATCH} invoices, ${plural}${bodies}`,
  };
  return metrics.map((metric): BenchResult => {
    switch (metric) {
      case "throughput":
        return { case: row.throughput, metric: "throughput", unit: "records/s", value: now.perSecond, baseline: names.throughput, baseline_value: base.perSecond, samples };
      case "median":
        return { case: row.batch, metric: "median", unit: "ms", value: median(now.latencies), baseline: names.rest, baseline_value: median(base.latencies), samples };
      case "p95":
        return { case: row.batch, metric: "p95", unit: "ms", value: percentile(now.latencies, 95), baseline: names.rest, baseline_value: percentile(base.latencies, 95), samples };
      case "cpu":
        return { case: row.cpu, metric: "mean", unit: "ms", value: now.cpuPerBatch, baseline: names.rest, baseline_value: base.cpuPerBatch, samples };
      case "pgcpu":
        return { case: row.pgcpu, metric: "mean", unit: "ms", value: now.pgCpuPerBatch, baseline: names.rest, baseline_value: base.pgCpuPerBatch, samples };
      case "clientcpu":
        return { case: row.clientcpu, metric: "mean", unit: "ms", value: now.clientCpuPerBatch, baseline: names.rest, baseline_value: base.clientCpuPerBatch, samples };
    }
  });
}

export default async function ingestBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let oldDatabase: BenchDatabase | null = null;
  const previousDatabases: Array<Awaited<ReturnType<typeof createDatabaseMigratedThrough>>> = [];
  let portal: Portal | null = null;
  let oldPortal: Portal | null = null;
  let electricDatabase: BenchDatabase | null = null;
  let electricPortal: Portal | null = null;
  const previousPortals: Portal[] = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), "ledgerlight-ingest-bench-"));
  const results: BenchResult[] = [];
  try {
    database = await createBenchDatabase("ingest");
    portal = await startPortal(database.url, CPU_PROF_DIR ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${CPU_PROF_DIR}`] } : {});
    const statements: Target = { label: "this commit", portal, key: await benchKey(database.db), pgCpu: postgresBackendCpu(database.db, database.url) };
    const targets: Target[] = [statements];
    let old: Target | null = null;
    const previous: Array<{ target: Target; names: { throughput: string; rest: string } }> = [];
    if (BASELINE_DIR) {
      oldDatabase = await baselineDatabase(BASELINE_DIR);
      oldPortal = await startPortal(oldDatabase.url, { cwd: BASELINE_DIR });
      old = { label: `old commit (${BASELINE_DIR})`, portal: oldPortal, key: await benchKey(oldDatabase.db), pgCpu: postgresBackendCpu(oldDatabase.db, oldDatabase.url) };
      targets.push(old);
    }
    let electric: Target | null = null;
    if (ELECTRIC_MODE) {
      electricDatabase = await createBenchDatabase("ingest_electric");
      electricPortal = await startPortal(electricDatabase.url, { env: { ELECTRIC_URL: UNUSED_ELECTRIC_URL } });
      electric = { label: "ELECTRIC_URL set (capture off)", portal: electricPortal, key: await benchKey(electricDatabase.db), pgCpu: postgresBackendCpu(electricDatabase.db, electricDatabase.url) };
      targets.push(electric);
    }
    const electricName = "the built-in engine's change capture on (the default), same run, alternating rounds";
    const electricRows = (clients: number, measured: Measured, builtIn: Measured): BenchResult[] => {
      const plural = clients === 1 ? "1 client" : `${clients} clients`;
      const samples = measured.latencies.length;
      return [
        { case: `REST upsert with real Electric (ELECTRIC_URL: capture off, decision 036), ${plural}`, metric: "throughput", unit: "records/s", value: measured.perSecond, baseline: electricName, baseline_value: builtIn.perSecond, samples },
        { case: `Postgres backend CPU per batch with real Electric (capture off), ${plural}`, metric: "mean", unit: "ms", value: measured.pgCpuPerBatch, baseline: electricName, baseline_value: builtIn.pgCpuPerBatch, samples },
        { case: `portal CPU per batch with real Electric (capture off), ${plural}`, metric: "mean", unit: "ms", value: measured.cpuPerBatch, baseline: electricName, baseline_value: builtIn.cpuPerBatch, samples },
      ];
    };
    for (const schema of PREVIOUS_SCHEMAS.filter((s) => PREVIOUS && (ROW_CAPTURE || s.label !== "row capture"))) {
      const previousDb = await createDatabaseMigratedThrough(`ingest_${schema.through.slice(0, 3)}`, schema.through);
      previousDatabases.push(previousDb);
      await seedDemo(previousDb.db);
      log(`${schema.label} database ${previousDb.name}: migrated through ${schema.through}, seeded`);
      const previousPortal = await startPortal(previousDb.url);
      previousPortals.push(previousPortal);
      const target = { label: schema.label, portal: previousPortal, key: await benchKey(previousDb.db), pgCpu: postgresBackendCpu(previousDb.db, previousDb.url) };
      previous.push({ target, names: schema.names });
      targets.push(target);
    }
    for (const target of targets) await post(target.portal, target.key, batchOf("warm", 0)); // JIT, pools, plans
    const at = (target: Target | null) => targets.indexOf(target!);
    const oldName = `old commit ${BASELINE_DIR ? path.basename(BASELINE_DIR) : ""}, same run, alternating rounds`;

    log(`REST: ${BATCHES_ONE_CLIENT} batches of ${BATCH} invoices × ${LINES} lines, one client, ${targets.map((t) => t.label).join(" vs ")} in ${ROUNDS} alternating rounds`);
    const one = await alternate(targets, "one", BATCHES_ONE_CLIENT, 1);
    const single = one[0];
    log(`REST baseline: ${SINGLE_REQUESTS} invoices, one per request`);
    let singles = 0;
    const singleStarted = performance.now();
    for (let i = 0; i < SINGLE_REQUESTS; i++) singles += Object.values((await post(portal, statements.key, [invoiceRecord(`solo-${i}`, { lines: LINES })])).counts).reduce((a, b) => a + b, 0);
    const singlePerSecond = singles / ((performance.now() - singleStarted) / 1000);
    const oneCase = `REST upsert, batches of ${BATCH} invoices × ${LINES} lines, 1 client`;
    results.push({ case: oneCase, metric: "throughput", unit: "records/s", value: single.perSecond, baseline: "one invoice per request", baseline_value: singlePerSecond, samples: single.latencies.length });
    if (old) results.push(...comparisonRows(1, single, one[at(old)], { throughput: oldName, rest: oldName }, ["throughput", "median", "p95", "cpu", "pgcpu", "clientcpu"]));
    for (const { target, names } of previous) results.push(...comparisonRows(1, single, one[at(target)], names, ["throughput", "median", "p95"]));
    if (electric) results.push(...electricRows(1, one[at(electric)], single));

    log(`REST: ${BATCHES_FOUR_CLIENTS} batches, 4 clients at once, in ${ROUNDS} alternating rounds`);
    const fourAll = await alternate(targets, "four", BATCHES_FOUR_CLIENTS, 4);
    const four = fourAll[0];
    if (old) results.push(...comparisonRows(4, four, fourAll[at(old)], { throughput: oldName, rest: oldName }, ["throughput", "p95", "cpu", "pgcpu", "clientcpu"]));
    for (const { target, names } of previous) results.push(...comparisonRows(4, four, fourAll[at(target)], names, ["throughput", "p95"]));
    if (electric) results.push(...electricRows(4, fourAll[at(electric)], four));
    await electricPortal?.stop();
    electricPortal = null;
    for (const previousPortal of previousPortals.splice(0)) await previousPortal.stop();

    log("REST: the one-client batches again (idempotent replay, all unchanged)");
    const replayTargets = old ? [statements, old] : [statements];
    const replay = await alternate(replayTargets, "one", BATCHES_ONE_CLIENT, 1);
    results.push({ case: `REST replay of applied batches (unchanged), 1 client`, metric: "throughput", unit: "records/s", value: replay[0].perSecond, baseline: "first delivery, same run", baseline_value: single.perSecond, samples: replay[0].latencies.length });
    if (old) results.push({ case: `REST replay of applied batches (unchanged), 1 client`, metric: "throughput", unit: "records/s", value: replay[0].perSecond, baseline: oldName, baseline_value: replay[1].perSecond, samples: replay[0].latencies.length });
    await oldPortal?.stop();
    oldPortal = null;

    await portal.stop();
    portal = null;
    if (CSV_ROWS > 0) {
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
    }
    // A run with fewer batches, rounds or CSV rows (a profile, a quick look) prints its table but
    // leaves bench/results/ingest.json to the full runs the README quotes.
    const partial = ["INGEST_BENCH_BATCHES", "INGEST_BENCH_ROUNDS", "INGEST_BENCH_CSV_ROWS", "INGEST_BENCH_CPU_PROF"].some((name) => process.env[name] !== undefined);
    if (partial) console.table(results);
    else recordBench("ingest", results);
  } finally {
    await portal?.stop();
    await oldPortal?.stop();
    await electricPortal?.stop();
    await electricDatabase?.drop();
    for (const previousPortal of previousPortals) await previousPortal.stop();
    await database?.drop();
    await oldDatabase?.drop();
    for (const previousDb of previousDatabases) await previousDb.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
