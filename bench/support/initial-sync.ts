import path from "node:path";
import type { Browser, Cookie } from "@playwright/test";
import { log, newBenchContext, replicaStatus, type BrowserProfile, type ReplicaStatusSnapshot } from "./portal";

/**
 * One initial sync in a fresh browser context: open the portal, wait until the sync indicator says
 * ready (every shape caught up, the search index built), check that search finds `probeNumber`.
 * `workerFile` answers /replica/*worker.js from another build (old-vs-new runs).
 */
export interface SyncRun {
  readyMs: number;
  phases: Record<string, number>;
  status: ReplicaStatusSnapshot;
  rows: number;
  searchOk: boolean;
  /** ms from navigation start to the last shape's first commit (its rows all in the replica). */
  rowsInMs: number;
}

export async function initialSync(browser: Browser, baseUrl: string, cookies: Cookie[], probeNumber: string, workerFile: string | undefined, profile: BrowserProfile): Promise<SyncRun> {
  const context = await newBenchContext(browser, baseUrl, cookies, profile);
  try {
    if (workerFile) {
      await context.route(/\/replica\/[a-z-]*worker\.js(\?.*)?$/, (route) => {
        const url = new URL(route.request().url());
        return route.fulfill({ path: path.join(path.dirname(workerFile), path.basename(url.pathname)), contentType: "text/javascript" });
      });
    }
    const page = await context.newPage();
    await page.goto("/overview");
    const progress = setInterval(() => {
      void replicaStatus(page).then(
        (s) => log(`    ${s.phase}: ${s.shapes.reduce((n, x) => n + x.rows, 0)} rows, ${s.commits} commits`),
        () => undefined,
      );
    }, 15_000);
    try {
      await page.waitForSelector("[data-testid=sync-status][data-phase=ready]", { timeout: 15 * 60_000, state: "attached" });
    } finally {
      clearInterval(progress);
    }
    const phases = await page.evaluate(() => (window as unknown as { __benchPhases: Record<string, number> }).__benchPhases);
    const status = await replicaStatus(page);
    // Fully searchable: an exact invoice number comes back first.
    const top = await page.evaluate(async (q) => {
      const replica = (window as unknown as { __benchReplica: { search(q: string, o: { limit: number }): Promise<{ number: string | null }[]> } }).__benchReplica;
      return (await replica.search(q, { limit: 20 }))[0]?.number ?? null;
    }, probeNumber);
    // Documents are indexed while the other shapes load, so "indexing" may never show: the shapes' own commit times say when the rows were in.
    const lastCommit = Math.max(...status.shapes.map((s) => (s.syncedAt ? Date.parse(s.syncedAt) : Number.NaN)));
    const rowsInMs = lastCommit - (await page.evaluate(() => performance.timeOrigin));
    return { readyMs: phases.ready, phases, status, rows: status.shapes.reduce((n, s) => n + s.rows, 0), searchOk: top === probeNumber, rowsInMs };
  } finally {
    await context.close();
  }
}

