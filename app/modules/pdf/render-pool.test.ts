import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { pdfDataFor } from "~/modules/documents/invoice-files.server";
import { pdfPageCount } from "~/modules/documents/test-support";
import { loadInvoiceDocumentForStaff } from "~/modules/einvoice/load.server";
import type { RenderJob } from "./render-jobs";
import { RenderPool } from "./render-pool.server";

async function invoiceJobs(count: number): Promise<RenderJob[]> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM invoices WHERE kind = 'invoice' ORDER BY issue_date DESC, number LIMIT $1`, [count]);
  const jobs: RenderJob[] = [];
  for (const { id } of rows) {
    const doc = (await loadInvoiceDocumentForStaff(db, id))!;
    jobs.push({ kind: "invoice", data: await pdfDataFor(db, doc), createdAt: doc.updatedAt });
  }
  return jobs;
}

describe("PDF render pool", () => {
  it("renders on every worker at once and makes callers wait while its queue is full", async () => {
    const pool = new RenderPool({ size: 2, maxQueue: 2, maxOldGenerationSizeMb: 64 });
    try {
      const jobs = await invoiceJobs(8);
      let mostQueued = 0;
      const watch = setInterval(() => (mostQueued = Math.max(mostQueued, pool.queued)), 1);
      const pdfs = await Promise.all(jobs.map((job) => pool.render(job)));
      clearInterval(watch);
      expect(pdfs).toHaveLength(8);
      for (const pdf of pdfs) expect(pdfPageCount(pdf)).toBe(1);
      expect(mostQueued).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
    // Two workers start from TypeScript sources (tsx) on a shared machine.
  }, 120_000);

  it("rejects a job that fails with the worker's error and keeps serving the next", async () => {
    const pool = new RenderPool({ size: 1, maxQueue: 4, maxOldGenerationSizeMb: 64 });
    try {
      const [job] = await invoiceJobs(1);
      const broken = { ...job, data: { ...job.data, seller: null } } as unknown as RenderJob;
      await expect(pool.render(broken)).rejects.toThrow(/rendering the invoice PDF failed in a worker: .*party/);
      expect(pdfPageCount(await pool.render(job))).toBe(1);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("fails loudly, naming the worker, when a worker cannot run", async () => {
    // A heap too small for the renderer to even load: the worker dies before it is ready.
    const pool = new RenderPool({ size: 1, maxQueue: 4, maxOldGenerationSizeMb: 1 });
    try {
      const [job] = await invoiceJobs(1);
      await expect(pool.render(job)).rejects.toThrow(/the PDF render worker did not start/);
    } finally {
      await pool.close();
    }
  });

  it("renders with the compiled worker (scripts/build-pdf-worker.mjs) exactly the bytes the TypeScript source worker renders, and reports each worker's heap", async () => {
    const entry = path.resolve("build/test/render-worker.js");
    execFileSync(process.execPath, ["scripts/build-pdf-worker.mjs", entry]);
    const built = new RenderPool({ size: 2, maxQueue: 4, maxOldGenerationSizeMb: 128, entry });
    const source = new RenderPool({ size: 1, maxQueue: 4, maxOldGenerationSizeMb: 128, entry: path.resolve("app/modules/pdf/render-worker-from-source.mjs") });
    try {
      const jobs = await invoiceJobs(3);
      const fromBuild = await Promise.all(jobs.map((job) => built.render(job)));
      const fromSource = await Promise.all(jobs.map((job) => source.render(job)));
      for (let i = 0; i < jobs.length; i++) expect(Buffer.from(fromBuild[i]).equals(Buffer.from(fromSource[i]))).toBe(true);
      const memory = await built.workerMemory();
      expect(memory).toHaveLength(2);
      for (const worker of memory) {
        // The renderer, its fonts and a few documents' layout: well over 5 MB of heap in use, within the heap's reservation.
        expect(worker.heapUsed).toBeGreaterThan(5 * 1024 * 1024);
        expect(worker.heapTotal).toBeGreaterThanOrEqual(worker.heapUsed);
        expect(worker.processRss).toBeGreaterThan(worker.heapTotal);
      }
    } finally {
      await Promise.all([built.close(), source.close()]);
    }
  }, 120_000);
});
