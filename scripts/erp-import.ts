import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { getDb } from "../app/db/connection.server";
import { ENTITY_NAMES } from "../app/modules/erp/entities/registry";
import { importCsvFile, type CsvProgress } from "../app/modules/erp/feeds/csv-import.server";
import { rejectedReportStream } from "../app/modules/erp/feeds/csv-report.server";
import { PRESET_NAMES } from "../app/modules/erp/feeds/presets";

/**
 * npm run erp:import -- <entity> <file.csv> [--mapping <map.json | preset>] [--report <rejected.csv>]
 *                        [--batch-size 500] [--json]
 *
 * Imports a CSV feed into DATABASE_URL (or, without it, the embedded PGlite database in .data: stop
 * the portal first, PGlite takes one writer). Exit code 0: all applied or unchanged; 2: some rows
 * were rejected (see the report); 1: the import failed (nothing of the unfinished batch applied).
 * Ctrl-C stops after the batch being written (a second Ctrl-C at once).
 *
 * The import holds one batch at a time; the worker runs with a bounded V8 heap so memory stays flat
 * on files of any size (V8 would otherwise let garbage pile up to a large share of the machine
 * before collecting it). Were the live set ever to outgrow the bound, the import would fail loudly
 * instead of slowly eating the machine.
 */

const HEAP_FLAGS = ["--max-old-space-size=192", "--max-semi-space-size=8"];
const WORKER = "LEDGERLIGHT_ERP_IMPORT_WORKER";

const USAGE = `Usage: npm run erp:import -- <entity> <file.csv> [--mapping <map.json | ${PRESET_NAMES.join(" | ")}>] [--report <rejected.csv>] [--batch-size N] [--json]
Entities: ${ENTITY_NAMES.join(", ")}`;

function fail(message: string): never {
  console.error(`erp:import: ${message}\n\n${USAGE}`);
  process.exit(1);
}

function readMapping(value: string | undefined): unknown {
  if (!value) return null;
  if (!value.endsWith(".json") && !existsSync(value)) return value; // a preset name
  try {
    return JSON.parse(readFileSync(value, "utf8"));
  } catch (error) {
    fail(`cannot read the mapping ${value}: ${(error as Error).message}`);
  }
}

const formatNumber = (n: number) => n.toLocaleString("en-US");

function progressPrinter(quiet: boolean) {
  const started = Date.now();
  let last = 0;
  let lastShare = -1;
  let lastLine = "";
  const tty = process.stderr.isTTY;
  return (p: CsvProgress, final = false) => {
    if (quiet) return;
    const now = Date.now();
    const share = p.bytesTotal > 0 ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
    if (!final && now - last < 250) return;
    if (!tty && !final && Math.floor(share * 10) === lastShare) return;
    last = now;
    lastShare = Math.floor(share * 10);
    const width = 30;
    const bar = "#".repeat(Math.round(share * width)).padEnd(width, "-");
    const rate = p.rowsRead / Math.max(0.001, (now - started) / 1000);
    const line = `[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${formatNumber(p.rowsRead)} rows  ${formatNumber(Math.round(rate))} rows/s  ` +
      `+${formatNumber(p.counts.inserted)} ~${formatNumber(p.counts.updated)} =${formatNumber(p.counts.unchanged)} !${formatNumber(p.counts.rejected)}`;
    if (!tty && line === lastLine) return;
    lastLine = line;
    process.stderr.write(tty ? `\r${line}${final ? "\n" : ""}` : `${line}\n`);
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      mapping: { type: "string" },
      report: { type: "string" },
      "batch-size": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [entity, file] = positionals;
  if (!entity || !file) fail("name the entity and the file");
  if (!ENTITY_NAMES.includes(entity)) fail(`unknown entity "${entity}"`);
  if (!existsSync(file)) fail(`no such file: ${file}`);
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) fail("--batch-size must be a whole number from 1 to 10000");
  if (!process.env.DATABASE_URL && !values.json) {
    console.error("DATABASE_URL is not set: importing into the embedded PGlite database in .data (stop the portal first).");
  }
  const printProgress = progressPrinter(values.json);
  const stop = new AbortController();
  process.on("SIGINT", () => {
    if (stop.signal.aborted) process.exit(130);
    console.error("\nStopping after the batch being written (Ctrl-C again to quit at once)…");
    stop.abort();
  });
  const started = Date.now();
  let lastProgress: CsvProgress | null = null;
  const result = await importCsvFile({
    entity,
    file,
    mapping: readMapping(values.mapping) as never,
    batchSize,
    signal: stop.signal,
    onProgress: (p) => {
      lastProgress = p;
      printProgress(p);
    },
  });
  if (lastProgress) printProgress(lastProgress, true);
  const seconds = (Date.now() - started) / 1000;
  const db = await getDb();
  let report: string | null = null;
  if (result.counts.rejected > 0) {
    report = values.report ?? `${file}.rejected.csv`;
    await pipeline(rejectedReportStream(db, result.runId), createWriteStream(report));
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (values.json) {
    console.log(JSON.stringify({ ...result, seconds, report, peakRssMb }));
  } else {
    const c = result.counts;
    console.log(
      `${result.status}: ${formatNumber(result.rowsRead)} rows in ${seconds.toFixed(1)} s (${formatNumber(Math.round(result.rowsRead / Math.max(seconds, 0.001)))} rows/s); ` +
        `records inserted ${formatNumber(c.inserted)}, updated ${formatNumber(c.updated)}, unchanged ${formatNumber(c.unchanged)}, rejected ${formatNumber(c.rejected)}.`,
    );
    if (result.detected) console.log(`File: ${result.detected.encoding}${result.detected.bom ? " with BOM" : ""}, delimiter ${JSON.stringify(result.detected.delimiter)}.`);
    if (result.ignoredColumns.length > 0) console.log(`Columns not imported: ${result.ignoredColumns.join(", ")}.`);
    if (report) console.log(`Rejected rows with line numbers and reasons: ${report}`);
    if (result.error) console.error(`Error: ${result.error}`);
    console.log(`Import run ${result.runId}; peak memory ${peakRssMb.toFixed(0)} MB.`);
  }
  await db.close();
  process.exitCode = result.status === "failed" ? 1 : result.status === "partial" ? 2 : 0;
}

if (process.env[WORKER]) {
  main().catch((error: unknown) => {
    console.error(`erp:import failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
} else {
  // Re-run this script (with tsx's loader from execArgv) in a worker with the heap bound.
  const worker = spawn(process.execPath, [...process.execArgv, ...HEAP_FLAGS, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, [WORKER]: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => worker.kill(signal));
  worker.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
