/**
 * The floor under issue 5's REST target (≥ 5,000 invoice records/s = 10 batches of 500 a second).
 * On two cores that leaves 200 ms of CPU per batch for everything: Postgres, the portal, the ERP
 * client and the kernel. This probe measures, per 500-invoice batch (5 lines each), with the real
 * ingest pipeline in process against a private copy of the seeded database:
 *
 * - the portal's own work before any SQL: `JSON.parse` of the request body and the zod validation;
 * - the portal's CPU for the whole pipeline (validation, SQL parameters, node-pg) in process;
 * - the CPU of every Postgres process for the same batches, as the schema stands, and with
 *   `session_replication_role = replica`, which skips every trigger (change capture) and every
 *   foreign-key check: what the same rows and indexes cost with nothing else, the floor of any
 *   design that keeps these tables and their indexes.
 *
 * CPU is read from /proc (user + system ticks), so other load on the machine does not count, but
 * Postgres's background processes (WAL writer, checkpointer, autovacuum) do: they are part of the
 * cost of a write. Usage: npx tsx bench/support/ingest-floor.ts [batches]
 */
import { readdirSync, readFileSync } from "node:fs";
import { createTestDatabase, ensureTemplateDatabase } from "../../test/support/databases";
import { createPostgresDb, type Db } from "../../app/db/db.server";
import { findEntity } from "../../app/modules/erp/entities/registry";
import { ingestRecords, validateRecords } from "../../app/modules/erp/ingest/ingest.server";
import { invoiceRecord } from "../../app/modules/erp/testing/fixtures";
import { setChangeCaptureMode } from "../../electric/server/capture-mode.server";
import { finishRunWithProgress, startRun } from "../../app/modules/erp/runs.server";

const BATCHES = Number(process.argv[2] ?? 20);
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ticks of every Postgres process, by pid. */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!comm.startsWith("postgres")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime, stime
    } catch {
      // the process ended between readdir and read
    }
  }
  return ticks;
}

/** Postgres CPU between two readings: processes that ended in between are lost (an undercount). */
function postgresCpuMsSince(before: Map<string, number>): number {
  let ticks = 0;
  for (const [pid, now] of postgresTicks()) ticks += now - (before.get(pid) ?? 0);
  return ticks * TICK_MS;
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function batchBody(tag: string): string {
  const records = Array.from({ length: 500 }, (_, i) => invoiceRecord(`${tag}-${i}`, { lines: 5 }));
  return JSON.stringify({ records });
}

async function runBatches(db: Db, tag: string): Promise<{ postgresMs: number; portalMs: number; wallMs: number }> {
  const def = findEntity("invoices")!;
  const bodies = Array.from({ length: BATCHES + 1 }, (_, b) => batchBody(`${tag}-${b}`));
  let postgresMs = 0;
  let portalMs = 0;
  const walls: number[] = [];
  for (let b = 0; b < bodies.length; b++) {
    const pg0 = postgresTicks();
    const cpu0 = processCpuMs();
    const t0 = performance.now();
    const parsed = JSON.parse(bodies[b]) as { records: unknown[] };
    const runId = await startRun(db, { source: "api", entity: def.name, details: {} });
    const out = await ingestRecords(db, def, parsed.records.map((value) => ({ value })), { runId, source: "api" });
    await finishRunWithProgress(db, runId, out.counts, { rowsRead: parsed.records.length });
    if (out.counts.inserted !== 500) throw new Error(`${tag}: ${JSON.stringify(out.counts)}`);
    if (b === 0) continue; // warm-up: plans, catalog caches, JIT of the validators
    walls.push(performance.now() - t0);
    portalMs += processCpuMs() - cpu0;
    postgresMs += postgresCpuMsSince(pg0);
  }
  return { postgresMs: postgresMs / BATCHES, portalMs: portalMs / BATCHES, wallMs: median(walls) };
}

function portalParseAndValidate(): { parseMs: number; validateMs: number; bodyKB: number } {
  const def = findEntity("invoices")!;
  const parse: number[] = [];
  const validate: number[] = [];
  let bodyKB = 0;
  for (let b = 0; b < BATCHES + 1; b++) {
    const body = batchBody(`parse-${b}`);
    bodyKB = body.length / 1024;
    const t0 = performance.now();
    const parsed = JSON.parse(body) as { records: unknown[] };
    const t1 = performance.now();
    const validated = validateRecords(def, parsed.records.map((value) => ({ value })));
    const t2 = performance.now();
    if (validated.valid.length !== 500) throw new Error("validation rejected a fixture record");
    if (b === 0) continue;
    parse.push(t1 - t0);
    validate.push(t2 - t1);
  }
  return { parseMs: median(parse), validateMs: median(validate), bodyKB };
}

interface Variant {
  name: string;
  /** Run once on the variant's own copy of the template. */
  setup?: (db: Db) => Promise<unknown>;
  /** Connection options (`-c name=value`). */
  options?: string;
}

const VARIANTS: Variant[] = [
  { name: "schema as it is" },
  // What a portal with ELECTRIC_URL does (decision 036); FK checks stay.
  { name: "capture off (real Electric)", setup: (db) => setChangeCaptureMode(db, "electric") },
  // replica skips every trigger, the FK checks' internal ones included: the floor of these tables and indexes.
  { name: "no capture, no FK checks", options: "-c session_replication_role=replica" },
];

async function main() {
  const template = await ensureTemplateDatabase();
  const only = process.env.INGEST_FLOOR_VARIANTS?.split(",");
  const variants = VARIANTS.filter((v) => !only || only.includes(v.name));
  const opened: { variant: Variant; db: Db; drop: () => Promise<void> }[] = [];
  try {
    for (const variant of variants) {
      const database = await createTestDatabase(template, "ingest_floor");
      const url = new URL(database.url);
      if (variant.options) url.searchParams.set("options", variant.options);
      const db = createPostgresDb(url.toString(), { max: 1 });
      opened.push({ variant, db, drop: async () => { await db.close(); await database.drop(); } });
      if (variant.setup) await variant.setup(db);
    }
    const { parseMs, validateMs, bodyKB } = portalParseAndValidate();
    console.log(`batch body ${bodyKB.toFixed(0)} KB; JSON.parse ${parseMs.toFixed(1)} ms, zod validation ${validateMs.toFixed(1)} ms (medians of ${BATCHES})`);
    // Rounds interleave the variants, so all see the same machine state and tables that grow alike.
    const rounds = Number(process.env.INGEST_FLOOR_ROUNDS ?? 3);
    const seen = new Map<string, { postgresMs: number[]; portalMs: number[]; wallMs: number[] }>();
    for (let r = 0; r < rounds; r++) {
      for (const [i, { variant, db }] of opened.entries()) {
        const out = await runBatches(db, `floor-${r}-${i}`);
        const s = seen.get(variant.name) ?? { postgresMs: [], portalMs: [], wallMs: [] };
        s.postgresMs.push(out.postgresMs);
        s.portalMs.push(out.portalMs);
        s.wallMs.push(out.wallMs);
        seen.set(variant.name, s);
        console.log(`round ${r + 1}, ${variant.name}: Postgres CPU ${out.postgresMs.toFixed(0)} ms, portal CPU ${out.portalMs.toFixed(0)} ms, wall ${out.wallMs.toFixed(0)} ms per batch`);
      }
    }
    console.log(`\nmedians over ${rounds} rounds of ${BATCHES} batches, CPU per 500-invoice batch:`);
    for (const [name, s] of seen) {
      const pgMs = median(s.postgresMs);
      const portal = median(s.portalMs);
      console.log(`${name.padEnd(32)} Postgres ${pgMs.toFixed(0).padStart(4)} ms + portal ${portal.toFixed(0).padStart(4)} ms = ${(pgMs + portal).toFixed(0).padStart(4)} ms → ≤ ${Math.round((2000 / (pgMs + portal)) * 500)} records/s with both cores busy, before HTTP and the ERP client`);
    }
  } finally {
    for (const o of opened) await o.drop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
