import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PDFDocument } from "pdf-lib";
import type { InvoiceDocument } from "~/modules/einvoice/load.server";
import { median, percentile, recordBench, type BenchResult } from "./lib";

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
  const { buildScope } = await import("~/modules/access/scope.server");
  const { resolveSelection, streamBulkZip } = await import("~/modules/documents/bulk-zip.server");
  const db = await getDb();
  const results: BenchResult[] = [];

  const invoiceIds = (await db.query<{ id: string }>(`SELECT id FROM invoices WHERE kind = 'invoice' ORDER BY issue_date DESC, number`)).rows.map((r) => r.id);
  const docs: InvoiceDocument[] = [];
  for (const id of invoiceIds.slice(0, 48)) docs.push((await loadInvoiceDocumentForStaff(db, id))!);
  // Warm-up (worker start, module load, font parsing, JIT): not counted.
  await getRenderPool().warmUp();
  await Promise.all(docs.slice(0, 3).map((doc) => invoicePdfFile(db, doc)));

  // ZIP of 1,000 invoices through the real streaming path, consumed by a hashing sink. Runs first,
  // so its peak RSS is that of a portal process that has rendered a few documents, not of this benchmark.
  const user = (await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
    `SELECT u.id, u.language, m.account_id AS "accountId" FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
      WHERE u.email = 'finance@kessler.example' AND a.number = '10001'`,
  )).rows[0];
  const scope = { ...(await buildScope(db, user, user.accountId))!, accountIds: (await db.query<{ id: string }>(`SELECT id FROM accounts`)).rows.map((r) => r.id) };
  const selected = (await db.query<{ ref: string }>(`SELECT kind || ':' || id AS ref FROM invoices ORDER BY issue_date, number LIMIT 1000`)).rows.map((r) => r.ref);
  const selection = (await resolveSelection(scope, selected))!;
  const origin = { userId: scope.userId, accountId: scope.accountId, ip: "127.0.0.1", userAgent: "bench" };
  async function zipRun(): Promise<{ ms: number; peakMb: number; beforeMb: number; bytes: number; loopMaxMs: number; loopP99Ms: number }> {
    const beforeMb = process.memoryUsage().rss / 1024 / 1024;
    // How long other requests would wait for this process's event loop while the ZIP is made.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let bytes = 0;
    const hash = createHash("sha256");
    const started = performance.now();
    await pipeline(
      streamBulkZip(scope, selection, { include: "pdf", format: "zugferd-en16931" }, origin),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          hash.update(chunk);
          done();
        },
      }),
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    loop.disable();
    return { ms, peakMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024, beforeMb, bytes, loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6 };
  }
  const cpuBefore = process.cpuUsage();
  const cold = await zipRun();
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`ZIP cold: ${round(cold.ms / 1000)} s, peak RSS ${Math.round(cold.peakMb)} MB, CPU ${round((cpu.user + cpu.system) / 1e6)} s (all threads)`);
  const warm = await zipRun();
  console.log(`ZIP cached: ${round(warm.ms / 1000)} s, peak RSS ${Math.round(warm.peakMb)} MB`);
  results.push(
    { case: `ZIP of ${selection.length} invoice PDFs, cold cache (renders all)`, metric: "total", unit: "s", value: round(cold.ms / 1000), baseline: "same ZIP, cached PDFs", baseline_value: round(warm.ms / 1000), samples: 1 },
    { case: `ZIP of ${selection.length} invoice PDFs, cold cache (renders all)`, metric: "peak RSS", unit: "MB", value: Math.round(cold.peakMb), baseline: "same ZIP, cached PDFs", baseline_value: Math.round(warm.peakMb), samples: 1 },
    { case: `ZIP of ${selection.length} invoice PDFs, cold cache`, metric: "RSS growth over the process before the ZIP", unit: "MB", value: Math.round(cold.peakMb - cold.beforeMb), baseline: "process RSS before the ZIP", baseline_value: Math.round(cold.beforeMb), samples: 1 },
    { case: `ZIP of ${selection.length} invoice PDFs, cold cache: CPU time of all threads (the machine is shared: wall time depends on the load)`, metric: "CPU", unit: "s", value: round((cpu.user + cpu.system) / 1e6), baseline: "wall time", baseline_value: round(cold.ms / 1000), samples: 1 },
    { case: `ZIP of ${selection.length} invoice PDFs, size`, metric: "bytes", unit: "MB", value: round(cold.bytes / 1024 / 1024), samples: 1 },
    { case: `ZIP of ${selection.length} invoice PDFs, cold cache: event-loop delay of the portal process`, metric: "p99", unit: "ms", value: round(cold.loopP99Ms), baseline: "max", baseline_value: round(cold.loopMaxMs), samples: 1 },
  );

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
