import { recordBench } from "./lib";
import { initialSync } from "./support/initial-sync";
import { createBenchDatabase, launchChromium, log, scaleTo, sessionCookies, startPortal, warmEngine, type BenchDatabase, type Portal } from "./support/portal";
import { networkComparison } from "./support/sync-network";
import type { Browser } from "@playwright/test";

/**
 * `npm run bench -- sync-network` (docs/decisions/029): a contact's first sync of 100k documents
 * with compressed snapshots (SYNC_COMPRESSION=on) against uncompressed ones (SYNC_COMPRESSION=off),
 * over loopback and over a simulated line (support/throttle-proxy.ts), interleaved, in a browser
 * profile on disk. BENCH_SYNC_MBIT (100) and BENCH_SYNC_LATENCY_MS (10, each way) set the line,
 * BENCH_SYNC_RUNS (2) the runs per variant and link; BENCH_QUICK=1 is a 2k-document smoke run that
 * leaves bench/results/sync-network.json alone.
 */
const QUICK = process.env.BENCH_QUICK === "1";
const DOCUMENTS = QUICK ? 2_000 : 100_000;
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? (QUICK ? 1 : 2));
const MBIT = Number(process.env.BENCH_SYNC_MBIT ?? 100);
const LATENCY_MS = Number(process.env.BENCH_SYNC_LATENCY_MS ?? 10);

export default async function syncNetworkBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  let browser: Browser | null = null;
  try {
    database = await createBenchDatabase("bench_sync_network");
    portal = await startPortal(database.url);
    browser = await launchChromium();
    const cookies = await sessionCookies(browser, portal.baseUrl, "buyer@kessler.example");
    await scaleTo(database.db, "10001", DOCUMENTS);
    await warmEngine(portal.baseUrl, cookies, database.db);
    const { rows: probe } = await database.db.query<{ number: string }>(
      `SELECT i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice' ORDER BY md5(i.id::text) LIMIT 1`,
    );
    log(`initial sync, ${DOCUMENTS / 1000}k docs: compressed vs uncompressed snapshots, loopback and ${MBIT} Mbit/s (${LATENCY_MS} ms each way), ${RUNS} runs each`);
    const results = await networkComparison({
      browser, db: database.db, databaseUrl: database.url, cookies, label: `${DOCUMENTS / 1000}k docs`, runs: RUNS, mbit: MBIT, latencyMs: LATENCY_MS,
      initialSync: (b, url, c, profile) => initialSync(b, url, c, probe[0].number, undefined, profile),
    });
    if (QUICK) console.table(results);
    else recordBench("sync-network", results);
  } finally {
    await browser?.close();
    await portal?.stop();
    await database?.drop();
  }
}
