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
});
