import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * One ZIP measurement of bench/documents.bench.ts in a process of its own, so that each variant
 * (render workers from the compiled build/bench/render-worker.js or from TypeScript through tsx)
 * starts from a fresh process and its peak RSS is its own, not what an earlier variant left behind.
 * The parent passes DATABASE_URL, DATA_DIR (an empty blob store: the first ZIP renders every
 * document), PDF_RENDER_WORKER_ENTRY and BENCH_DOCS_ZIP; the result is one JSON line on stdout
 * after the marker below.
 */
export const ZIP_RESULT_MARKER = "BENCH_DOCS_ZIP_RESULT ";

const MB = 1024 * 1024;

export interface MemoryBreakdown {
  rss: number;
  mainHeapTotal: number;
  mainHeapUsed: number;
  /** Buffers and ArrayBuffers of the main thread (process.memoryUsage().external includes arrayBuffers). */
  mainExternal: number;
  mainArrayBuffers: number;
  workersHeapTotal: number;
  workersHeapUsed: number;
  workersExternal: number;
  /** RSS minus the heaps and external memory above: code, thread stacks, native allocations, allocator slack. */
  rest: number;
}

export interface ZipRun {
  ms: number;
  peakMb: number;
  beforeMb: number;
  bytes: number;
  loopMaxMs: number;
  loopP99Ms: number;
  cpuS: number;
  /** The memory breakdown (MB) at the sample with the highest RSS. */
  atPeak: MemoryBreakdown;
}

export interface ZipChildResult {
  count: number;
  workerEntry: string;
  nodeFlags: string[];
  startedMb: number;
  /** The memory breakdown (MB) after the warm-up, before the first ZIP. */
  before: MemoryBreakdown;
  cold: ZipRun;
  cached: ZipRun;
}

async function main() {
  const count = Number(process.env.BENCH_DOCS_ZIP ?? "1000");
  const { getDb } = await import("~/db/connection.server");
  const { loadInvoiceDocumentForStaff } = await import("~/modules/einvoice/load.server");
  const { invoicePdfFile } = await import("~/modules/documents/invoice-files.server");
  const { getRenderPool, closeRenderPool } = await import("~/modules/pdf/render-pool.server");
  const { buildScope } = await import("~/modules/access/scope.server");
  const { resolveSelection, streamBulkZip } = await import("~/modules/documents/bulk-zip.server");
  const db = await getDb();
  const pool = getRenderPool();

  // Warm-up as in a portal that has been up for a while: workers started, a few documents rendered.
  await pool.warmUp();
  const recent = (await db.query<{ id: string }>(`SELECT id FROM invoices WHERE kind = 'invoice' ORDER BY issue_date DESC, number LIMIT 3`)).rows;
  await Promise.all(recent.map(async ({ id }) => invoicePdfFile(db, (await loadInvoiceDocumentForStaff(db, id))!)));
  const startedMb = process.memoryUsage().rss / MB;

  const user = (
    await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
      `SELECT u.id, u.language, m.account_id AS "accountId" FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
        WHERE u.email = 'finance@kessler.example' AND a.number = '10001'`,
    )
  ).rows[0];
  const scope = { ...(await buildScope(db, user, user.accountId))!, accountIds: (await db.query<{ id: string }>(`SELECT id FROM accounts`)).rows.map((r) => r.id) };
  const selected = (await db.query<{ ref: string }>(`SELECT kind || ':' || id AS ref FROM invoices ORDER BY issue_date, number LIMIT $1`, [count])).rows.map((r) => r.ref);
  const selection = (await resolveSelection(scope, selected))!;
  const origin = { userId: scope.userId, accountId: scope.accountId, ip: "127.0.0.1", userAgent: "bench" };

  async function breakdown(): Promise<MemoryBreakdown> {
    const workers = await pool.workerMemory();
    const main = process.memoryUsage();
    const sum = (pick: (w: (typeof workers)[number]) => number) => workers.reduce((total, w) => total + pick(w), 0);
    const b = {
      rss: main.rss,
      mainHeapTotal: main.heapTotal,
      mainHeapUsed: main.heapUsed,
      mainExternal: main.external,
      mainArrayBuffers: main.arrayBuffers,
      workersHeapTotal: sum((w) => w.heapTotal),
      workersHeapUsed: sum((w) => w.heapUsed),
      workersExternal: sum((w) => w.external),
    };
    const rest = b.rss - b.mainHeapTotal - b.mainExternal - b.workersHeapTotal - b.workersExternal;
    return Object.fromEntries(Object.entries({ ...b, rest }).map(([k, v]) => [k, Math.round((v / MB) * 10) / 10])) as unknown as MemoryBreakdown;
  }

  async function zipRun(): Promise<ZipRun> {
    const beforeMb = process.memoryUsage().rss / MB;
    const cpuBefore = process.cpuUsage();
    // How long other requests would wait for this process's event loop while the ZIP is made.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let peak = process.memoryUsage().rss;
    let atPeak = await breakdown();
    let probing = false;
    // RSS every 20 ms; the breakdown (which asks each worker between its jobs) when RSS is at a new high, at most every 250 ms.
    let lastProbe = 0;
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      if (rss <= peak) return;
      peak = rss;
      if (probing || performance.now() - lastProbe < 250) return;
      probing = true;
      lastProbe = performance.now();
      void breakdown()
        .then((b) => {
          if (b.rss >= atPeak.rss) atPeak = b;
        })
        .finally(() => (probing = false));
    }, 20);
    let bytes = 0;
    const started = performance.now();
    await pipeline(
      streamBulkZip(scope, selection, { include: "pdf", format: "zugferd-en16931" }, origin),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    return {
      ms,
      peakMb: Math.max(peak, process.memoryUsage().rss) / MB,
      beforeMb,
      bytes,
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      cpuS: (cpu.user + cpu.system) / 1e6,
      atPeak,
    };
  }

  const before = await breakdown();
  const cold = await zipRun();
  const cached = await zipRun();
  const result: ZipChildResult = { count: selection.length, workerEntry: process.env.PDF_RENDER_WORKER_ENTRY ?? "(default)", nodeFlags: [], startedMb, before, cold, cached };
  process.stdout.write(`${ZIP_RESULT_MARKER}${JSON.stringify(result)}\n`);
  await closeRenderPool();
  const holder = globalThis as typeof globalThis & { __ledgerlightDb?: Promise<{ close: () => Promise<void> }> };
  if (holder.__ledgerlightDb) await (await holder.__ledgerlightDb).close();
}

if (process.env.BENCH_DOCS_ZIP_CHILD === "1") await main();
