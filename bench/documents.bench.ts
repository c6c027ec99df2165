import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import type { InvoiceDocument } from "~/modules/einvoice/load.server";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import { ZIP_RESULT_MARKER, type MemoryBreakdown, type ZipChildResult } from "./support/documents-zip";

/**
 * Documents: PDF render per document (1-page and 10-page invoice, first render and cached),
 * ZUGFeRD hybrid per document, and a ZIP of 1,000 invoices (total time, peak RSS, event-loop delay).
 * Runs against a private copy of the seeded test database with an empty blob store.
 *
 * "First render" is a document never rendered before (no cache row, no blob), requested from a
 * warm process: the render pool's workers are started and have rendered a few other documents,
 * as in a portal that has been up for a while. Process start is not in it. Rendering goes through
 * the same path as a download: the render cache, the render pool (worker threads), the blob store.
 */
export default async function documentsBench() {
  const { createTestDatabase, ensureTemplateDatabase, testServerUrl } = await import("../test/support/databases");
  testServerUrl();
  const database = await createTestDatabase(await ensureTemplateDatabase(), "bench_documents");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ll-bench-docs-"));
  process.env.DATABASE_URL = database.url;
  process.env.DATA_DIR = dataDir;
  process.env.NODE_ENV ??= "test";
  process.env.SESSION_SECRET ??= "bench-session-secret-0123456789abcdef";
  try {
    await run();
  } finally {
    const holder = globalThis as typeof globalThis & { __ledgerlightDb?: Promise<{ close: () => Promise<void> }> };
    if (holder.__ledgerlightDb) await (await holder.__ledgerlightDb).close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

const round = (v: number) => Math.round(v * 10) / 10;

async function run() {
  const { getDb } = await import("~/db/connection.server");
  const { loadInvoiceDocumentForStaff } = await import("~/modules/einvoice/load.server");
  const { invoicePdfFile, invoiceEInvoiceFile, pdfDataFor } = await import("~/modules/documents/invoice-files.server");
  const { renderCached } = await import("~/modules/documents/render-cache.server");
  const { getRenderPool, renderInPool } = await import("~/modules/pdf/render-pool.server");
  const db = await getDb();
  const results: BenchResult[] = [];

  process.env.PDF_RENDER_WORKER_ENTRY = process.env.BENCH_DOCS_SOURCE_WORKER === "1" ? SOURCE_WORKER : BUILT_WORKER;
  console.log(`single documents: render workers from ${process.env.PDF_RENDER_WORKER_ENTRY}`);
  const invoiceIds = (await db.query<{ id: string }>(`SELECT id FROM invoices WHERE kind = 'invoice' ORDER BY issue_date DESC, number`)).rows.map((r) => r.id);
  const docs: InvoiceDocument[] = [];
  for (const id of invoiceIds.slice(0, 48)) docs.push((await loadInvoiceDocumentForStaff(db, id))!);
  // ZIP of 1,000 invoices through the real streaming path, consumed by a counting sink, each in a
  // process of its own (bench/support/documents-zip.ts): the peak RSS is that of a process that has
  // rendered a few documents, not of this benchmark, and the variants do not inherit each other's heap.
  const zips = await zipRuns(results);
  if (zips === "only") return recordBench("documents", results);

  // Warm-up (worker start, module load, font parsing, JIT): not counted.
  await getRenderPool().warmUp();
  await Promise.all(docs.slice(0, 3).map((doc) => invoicePdfFile(db, doc)));

  // 1-page invoice: first render (data, render in a worker incl. PDF/A, blob store, cache row) vs cached.
  const first1: number[] = [];
  for (const doc of docs.slice(3, 43)) {
    const [ms, file] = await timed(() => invoicePdfFile(db, doc));
    if (file.source !== "rendered") throw new Error(`bench: ${doc.model.number} was not rendered anew (${file.source}): "first render" would be a lie`);
    first1.push(ms);
  }
  const cached1: number[] = [];
  for (let i = 0; i < 200; i++) cached1.push((await timed(() => invoicePdfFile(db, docs[3 + (i % 40)])))[0]);
  const FIRST_1 = "PDF 1-page invoice, first render (never rendered before, warm process)";
  results.push(
    { case: FIRST_1, metric: "median", unit: "ms", value: round(median(first1)), baseline: "cached, same run", baseline_value: round(median(cached1)), samples: first1.length },
    { case: FIRST_1, metric: "p95", unit: "ms", value: round(percentile(first1, 95)), baseline: "cached, same run", baseline_value: round(percentile(cached1, 95)), samples: first1.length },
    { case: "PDF 1-page invoice, cached", metric: "median", unit: "ms", value: round(median(cached1)), samples: cached1.length },
    { case: "PDF 1-page invoice, cached", metric: "p95", unit: "ms", value: round(percentile(cached1, 95)), samples: cached1.length },
  );

  // 10-page invoice: a seeded invoice with its lines repeated to 280 lines.
  const base = docs[0];
  const long = structuredClone(base);
  long.model.lines = Array.from({ length: 280 }, (_, i) => ({ ...base.model.lines[i % base.model.lines.length], id: String(i + 1) }));
  const data = await pdfDataFor(db, long);
  const render10 = () => renderInPool({ kind: "invoice", data, createdAt: long.updatedAt });
  const pages = (await PDFDocument.load(await render10())).getPageCount();
  const first10: number[] = [];
  const keys: string[] = [];
  for (let i = 0; i < 6; i++) {
    const documentId = randomUUID();
    keys.push(documentId);
    first10.push((await timed(() => renderCached(db, { documentType: "invoice", documentId, documentVersion: "bench", language: long.language, format: "pdf" }, render10)))[0]);
  }
  const cached10: number[] = [];
  for (let i = 0; i < 60; i++) {
    cached10.push((await timed(() => renderCached(db, { documentType: "invoice", documentId: keys[i % keys.length], documentVersion: "bench", language: long.language, format: "pdf" }, () => Promise.reject(new Error("should be cached")))))[0]);
  }
  results.push(
    { case: `PDF ${pages}-page invoice (280 lines), first render (never rendered before, warm process)`, metric: "median", unit: "ms", value: round(median(first10)), baseline: "cached, same run", baseline_value: round(median(cached10)), samples: first10.length },
    { case: `PDF ${pages}-page invoice (280 lines), first render (never rendered before, warm process)`, metric: "p95", unit: "ms", value: round(percentile(first10, 95)), samples: first10.length },
    { case: `PDF ${pages}-page invoice (280 lines), cached`, metric: "median", unit: "ms", value: round(median(cached10)), samples: cached10.length },
    { case: `PDF ${pages}-page invoice (280 lines), cached`, metric: "p95", unit: "ms", value: round(percentile(cached10, 95)), samples: cached10.length },
  );

  // ZUGFeRD hybrid per document (validate + CII + render + PDF/A-3 with the XML), vs the XML alone.
  const hybrid: number[] = [];
  const xmlOnly: number[] = [];
  for (const doc of docs.slice(20, 44)) {
    const [ms, file] = await timed(() => invoiceEInvoiceFile(db, doc, "zugferd-en16931"));
    if (file.source !== "rendered") throw new Error(`bench: the hybrid PDF of ${doc.model.number} was not rendered anew (${file.source})`);
    hybrid.push(ms);
    xmlOnly.push((await timed(() => invoiceEInvoiceFile(db, doc, "facturx-en16931")))[0]);
  }
  results.push(
    { case: "ZUGFeRD EN 16931 hybrid PDF per document, first render (never rendered before, warm process)", metric: "median", unit: "ms", value: round(median(hybrid)), baseline: "Factur-X XML alone", baseline_value: round(median(xmlOnly)), samples: hybrid.length },
    { case: "ZUGFeRD EN 16931 hybrid PDF per document, first render (never rendered before, warm process)", metric: "p95", unit: "ms", value: round(percentile(hybrid, 95)), baseline: "Factur-X XML alone", baseline_value: round(percentile(xmlOnly, 95)), samples: hybrid.length },
  );

  recordBench("documents", results);
}

/** The render worker compiled like build/render-worker.js of the server build (`npm run build`), fresh for each run. */
const BUILT_WORKER = path.resolve("build/bench/render-worker.js");
/** The worker from its TypeScript source through tsx: what the benchmark used before (compare with it). */
const SOURCE_WORKER = path.resolve("app/modules/pdf/render-worker-from-source.mjs");

type Variant = "built" | "source";
const VARIANT_WORKER: Record<Variant, string> = { built: BUILT_WORKER, source: SOURCE_WORKER };

/** The V8 flags `npm run serve` starts the portal with (package.json), e.g. the main thread's young-generation size. */
function serveNodeFlags(): string[] {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  return scripts.serve.split(/\s+/).filter((arg) => /^--max-[\w-]+=\d+$/.test(arg));
}
/** The environment `npm run serve` sets before `node` (package.json), e.g. MALLOC_ARENA_MAX. */
function serveEnv(): Record<string, string> {
  const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const assignments: Record<string, string> = {};
  for (const arg of scripts.serve.split(/\s+/)) {
    const match = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(arg);
    if (!match) break;
    assignments[match[1]] = match[2];
  }
  return assignments;
}
/** "built" runs as the portal runs now; "source" as the benchmark ran before (tsx workers, Node's default heap flags and malloc). */
const VARIANT_NODE_FLAGS: Record<Variant, string[]> = { built: serveNodeFlags(), source: [] };
const VARIANT_ENV: Record<Variant, Record<string, string | undefined>> = { built: serveEnv(), source: { MALLOC_ARENA_MAX: undefined } };

/**
 * Knobs: BENCH_DOCS_ZIP (documents in the ZIP, default 1000), BENCH_DOCS_ZIP_ONLY=1 (only the ZIP),
 * BENCH_DOCS_ZIP_VARIANTS (default "built,source"), BENCH_DOCS_ZIP_ROUNDS (default 1; the variants
 * run interleaved, A B B A …). Returns "only" when the rest of the benchmark is to be skipped.
 */
async function zipRuns(results: BenchResult[]): Promise<"only" | "more"> {
  execFileSync(process.execPath, ["scripts/build-pdf-worker.mjs", BUILT_WORKER], { stdio: "inherit" });
  const count = Number(process.env.BENCH_DOCS_ZIP ?? "1000");
  const variants = (process.env.BENCH_DOCS_ZIP_VARIANTS ?? "built,source").split(",").map((v) => v.trim()) as Variant[];
  for (const v of variants) if (!(v in VARIANT_WORKER)) throw new Error(`BENCH_DOCS_ZIP_VARIANTS: unknown variant ${v} (built, source)`);
  const rounds = Number(process.env.BENCH_DOCS_ZIP_ROUNDS ?? "1");
  const runs: Record<Variant, ZipChildResult[]> = { built: [], source: [] };
  for (let r = 0; r < rounds; r++) {
    for (const variant of r % 2 === 0 ? variants : [...variants].reverse()) {
      const result = await zipChild(variant, count);
      result.nodeFlags = VARIANT_NODE_FLAGS[variant];
      runs[variant].push(result);
      const { cold, cached } = result;
      console.log(
        `ZIP ${variant} (${result.count}, worker ${path.relative(process.cwd(), result.workerEntry)}, ${Object.entries(VARIANT_ENV[variant]).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v} `).join("")}node ${result.nodeFlags.join(" ") || "default flags"}): cold ${round(cold.ms / 1000)} s, peak RSS ${Math.round(cold.peakMb)} MB, CPU ${round(cold.cpuS)} s (all threads); ` +
          `cached ${round(cached.ms / 1000)} s, peak RSS ${Math.round(cached.peakMb)} MB; process before the ZIP ${Math.round(result.startedMb)} MB`,
      );
      console.table({ "before the ZIP": result.before, "cold, at peak": cold.atPeak, "cached, at peak": cached.atPeak } satisfies Record<string, MemoryBreakdown>);
    }
  }
  const pick = (variant: Variant, get: (r: ZipChildResult) => number) => (runs[variant].length ? median(runs[variant].map(get)) : Number.NaN);
  const main: Variant = variants.includes("built") ? "built" : variants[0];
  const other = variants.find((v) => v !== main);
  const base = (get: (r: ZipChildResult) => number, digits: (v: number) => number) =>
    other ? { baseline: `same ZIP, render workers from ${other === "source" ? "TypeScript through tsx (before)" : "the build"}, same run`, baseline_value: digits(pick(other, get)) } : {};
  const n = runs[main][0]?.count ?? count;
  const samples = runs[main].length;
  const mb = (v: number) => Math.round(v);
  results.push(
    { case: `ZIP of ${n} invoice PDFs, cold cache (renders all)`, metric: "total", unit: "s", value: round(pick(main, (r) => r.cold.ms / 1000)), ...base((r) => r.cold.ms / 1000, round), samples },
    { case: `ZIP of ${n} invoice PDFs, cold cache (renders all)`, metric: "peak RSS", unit: "MB", value: mb(pick(main, (r) => r.cold.peakMb)), ...base((r) => r.cold.peakMb, mb), samples },
    { case: `ZIP of ${n} invoice PDFs, cached PDFs`, metric: "total", unit: "s", value: round(pick(main, (r) => r.cached.ms / 1000)), ...base((r) => r.cached.ms / 1000, round), samples },
    { case: `ZIP of ${n} invoice PDFs, cached PDFs`, metric: "peak RSS", unit: "MB", value: mb(pick(main, (r) => r.cached.peakMb)), ...base((r) => r.cached.peakMb, mb), samples },
    { case: `ZIP of ${n} invoice PDFs, cold cache`, metric: "RSS of the process before the ZIP", unit: "MB", value: mb(pick(main, (r) => r.startedMb)), ...base((r) => r.startedMb, mb), samples },
    { case: `ZIP of ${n} invoice PDFs, cold cache: CPU time of all threads (the machine is shared: wall time depends on the load)`, metric: "CPU", unit: "s", value: round(pick(main, (r) => r.cold.cpuS)), ...base((r) => r.cold.cpuS, round), samples },
    { case: `ZIP of ${n} invoice PDFs, size`, metric: "bytes", unit: "MB", value: round(pick(main, (r) => r.cold.bytes / 1024 / 1024)), samples },
    { case: `ZIP of ${n} invoice PDFs, cold cache: event-loop delay of the portal process`, metric: "p99", unit: "ms", value: round(pick(main, (r) => r.cold.loopP99Ms)), baseline: "max", baseline_value: round(pick(main, (r) => r.cold.loopMaxMs)), samples },
  );
  return process.env.BENCH_DOCS_ZIP_ONLY === "1" ? "only" : "more";
}

function zipChild(variant: Variant, count: number): Promise<ZipChildResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ll-bench-docs-zip-"));
  const child = spawn(process.execPath, [...VARIANT_NODE_FLAGS[variant], "--import", "tsx", "bench/support/documents-zip.ts"], {
    env: { ...process.env, ...VARIANT_ENV[variant], BENCH_DOCS_ZIP_CHILD: "1", BENCH_DOCS_ZIP: String(count), DATA_DIR: dataDir, PDF_RENDER_WORKER_ENTRY: VARIANT_WORKER[variant] },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  return new Promise<ZipChildResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      const line = out.split("\n").find((l) => l.startsWith(ZIP_RESULT_MARKER));
      if (code !== 0 || !line) return reject(new Error(`the ZIP run (${variant}) exited with ${code}:\n${out}`));
      resolve(JSON.parse(line.slice(ZIP_RESULT_MARKER.length)) as ZipChildResult);
    });
  });
}
