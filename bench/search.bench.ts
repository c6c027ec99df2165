import type { Browser, Page } from "@playwright/test";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import { buildQueryList, type BenchQuery, type QueryKind } from "./support/search-queries";
import {
  createBenchDatabase, launchChromium, log, newBenchContext, replicaStatus, scaleTo, secs, sessionCookies, startPortal, waitForReady,
  warmEngine, type BenchDatabase, type Portal,
} from "./support/portal";

/**
 * Search over 100 000 documents of one account (Kessler, 10001, signed in as its buyer):
 * - replica: the page's own replica handle (`openReplica` in electric/replica/replica.client.ts,
 *   the bundled worker public/replica/worker.js on OPFS), `replica.search(q, { limit: 20 })`: the
 *   ranked top-20 FTS5 search the command palette runs;
 * - server: `fetch('/search?q=…&limit=20')` from the same page (app/routes/search.ts →
 *   app/modules/search/search.server.ts, Postgres), what the palette asks before the replica is up.
 * Same page, same run, same query list; each query runs on both paths back to back, the order of the
 * two alternating, so machine noise hits both alike. Timed inside the page with performance.now().
 */

const ACCOUNT = "10001";
const DOCUMENTS = 100_000;
const PER_KIND = 20; // queries per kind: 5 kinds → 100 queries
const REPLICA_REPEATS = 3; // the replica answers in milliseconds: run each query 3× per ranking, the server once
const WARMUP = 5;

interface Sample {
  kind: QueryKind;
  q: string;
  /** The default ranking (decision 023: bm25 within a budget of RANKED_MATCHES matches). */
  replicaMs: number[];
  replicaHits: number;
  /** ranking "bm25": bm25 over every match, the ranking before decision 023, same page and run. */
  bm25Ms: number[];
  bm25Hits: number;
  serverMs: number;
  serverHits: number;
  serverStatus: number;
}

async function timeQuery(page: Page, query: BenchQuery, replicaFirst: boolean, repeats: number): Promise<Sample> {
  const out = await page.evaluate(
    async ({ q, replicaFirst, repeats }) => {
      const replica = (window as unknown as { __benchReplica?: { search(q: string, o: { limit: number; ranking?: string }): Promise<unknown[]> } }).__benchReplica;
      if (!replica) throw new Error("no replica handle on the page");
      const replicaMs: number[] = [];
      const bm25Ms: number[] = [];
      let replicaHits = 0;
      let bm25Hits = 0;
      // Both rankings, alternating within the repeats (which one goes first alternates per query).
      const viaReplica = async () => {
        for (let i = 0; i < repeats * 2; i += 1) {
          const bm25 = (i % 2 === 0) !== replicaFirst;
          const t0 = performance.now();
          const results = await replica.search(q, bm25 ? { limit: 20, ranking: "bm25" } : { limit: 20 });
          (bm25 ? bm25Ms : replicaMs).push(performance.now() - t0);
          if (bm25) bm25Hits = results.length;
          else replicaHits = results.length;
        }
      };
      let serverMs = 0;
      let serverHits = 0;
      let serverStatus = 0;
      const viaServer = async () => {
        const t0 = performance.now();
        const response = await fetch(`/search?${new URLSearchParams({ q, limit: "20" })}`, { headers: { Accept: "application/json" } });
        const body = (await response.json()) as { results?: unknown[] };
        serverMs = performance.now() - t0;
        serverStatus = response.status;
        serverHits = body.results?.length ?? 0;
      };
      if (replicaFirst) {
        await viaReplica();
        await viaServer();
      } else {
        await viaServer();
        await viaReplica();
      }
      return { replicaMs, replicaHits, bm25Ms, bm25Hits, serverMs, serverHits, serverStatus };
    },
    { q: query.q, replicaFirst, repeats },
  );
  return { kind: query.kind, q: query.q, ...out };
}

export default async function searchBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  let browser: Browser | null = null;
  try {
    database = await createBenchDatabase("bench_search");
    await scaleTo(database.db, ACCOUNT, DOCUMENTS);
    const queries = await buildQueryList(database.db, ACCOUNT, PER_KIND);
    log(`${queries.length} queries, e.g. ${queries.filter((_, i) => i % PER_KIND === 0).map((q) => JSON.stringify(q.q)).join(", ")}`);

    portal = await startPortal(database.url);
    browser = await launchChromium();
    const cookies = await sessionCookies(browser, portal.baseUrl, "buyer@kessler.example");
    const firstRequestMs = await warmEngine(portal.baseUrl, cookies, database.db);
    log(`shape engine started; its first request (sequencing the bulk write) took ${secs(firstRequestMs)}`);
    const context = await newBenchContext(browser, portal.baseUrl, cookies);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto("/overview");
    log("signed in as buyer@kessler.example; waiting for the replica (100k documents)…");
    const progress = setInterval(() => {
      void replicaStatus(page).then(
        (s) => log(`  replica: ${s.phase}, ${s.shapes.reduce((n, x) => n + x.rows, 0)} rows, ${s.commits} commits`),
        () => undefined,
      );
    }, 10_000);
    try {
      await waitForReady(page, 15 * 60_000);
    } finally {
      clearInterval(progress);
    }
    const status = await replicaStatus(page);
    const rows = status.shapes.reduce((n, s) => n + s.rows, 0);
    log(`replica ready in ${secs(performance.now() - started)}: ${rows} rows, search index ${status.index?.documents ?? "?"} documents (mode ${status.mode})`);

    log(`warm-up (${WARMUP} queries on both paths)`);
    for (const query of queries.slice(0, WARMUP)) await timeQuery(page, query, true, 1);

    const samples: Sample[] = [];
    for (const [i, query] of queries.entries()) {
      const sample = await timeQuery(page, query, i % 2 === 0, REPLICA_REPEATS);
      samples.push(sample);
      if ((i + 1) % 20 === 0) {
        log(`  ${i + 1}/${queries.length}: replica median ${median(samples.flatMap((s) => s.replicaMs)).toFixed(1)} ms, server median ${median(samples.map((s) => s.serverMs)).toFixed(0)} ms`);
      }
    }

    const failed = samples.filter((s) => s.serverStatus !== 200);
    if (failed.length > 0) log(`WARNING: ${failed.length} server answers were not 200 (e.g. ${failed[0].serverStatus} for ${JSON.stringify(failed[0].q)})`);
    const noHits = (pick: (s: Sample) => number) => samples.filter((s) => pick(s) === 0).map((s) => s.q);
    log(`queries without hits: replica ${noHits((s) => s.replicaHits).length} ${JSON.stringify(noHits((s) => s.replicaHits).slice(0, 5))}, server ${noHits((s) => s.serverHits).length} ${JSON.stringify(noHits((s) => s.serverHits).slice(0, 5))}`);

    const ms = (list: number[]) => list.map((x) => x.toFixed(1)).join("/");
    log("per query (replica default ranking | ranking bm25 | server), ms, slowest first by the default ranking:");
    for (const s of [...samples].sort((a, b) => Math.max(...b.replicaMs) - Math.max(...a.replicaMs))) {
      console.log(
        `  ${s.kind.padEnd(16)} ${JSON.stringify(s.q).padEnd(26)} ${ms(s.replicaMs).padStart(16)} (${String(s.replicaHits).padStart(2)} hits) | ${ms(s.bm25Ms).padStart(18)} (${String(s.bm25Hits).padStart(2)}) | ${s.serverMs.toFixed(0)}`,
      );
    }

    const results: BenchResult[] = [];
    const add = (label: string, subset: Sample[]) => {
      const replica = subset.flatMap((s) => s.replicaMs);
      const server = subset.map((s) => s.serverMs);
      const baseline = `server GET /search over HTTP (Postgres), same page and run, n=${server.length}`;
      for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
        results.push({
          case: `replica ranked top-20, ${label}, ${DOCUMENTS / 1000}k docs`, metric, unit: "ms",
          value: round(percentile(replica, p)), baseline, baseline_value: round(percentile(server, p)), samples: replica.length,
        });
      }
    };
    add("all queries", samples);
    const all = { replica: samples.flatMap((s) => s.replicaMs), bm25: samples.flatMap((s) => s.bm25Ms), server: samples.map((s) => s.serverMs) };
    for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
      results.push({
        case: `speed-up of the replica over the server (${metric} / ${metric})`, metric: "ratio", unit: "x",
        value: round(percentile(all.server, p) / percentile(all.replica, p)), samples: all.replica.length,
      });
    }
    for (const [metric, p] of [["median", 50], ["p95", 95], ["max", 100]] as const) {
      results.push({
        case: `replica ranked top-20, all queries, ${DOCUMENTS / 1000}k docs, default ranking vs bm25 over every match (decision 023)`,
        metric, unit: "ms", value: round(percentile(all.replica, p)),
        baseline: `ranking "bm25" (before decision 023), same page and run, interleaved, n=${all.bm25.length}`,
        baseline_value: round(percentile(all.bm25, p)), samples: all.replica.length,
      });
    }
    for (const kind of [...new Set(samples.map((s) => s.kind))]) add(kind, samples.filter((s) => s.kind === kind));
    results.push({ case: "replica rows synced (all shapes) before searching", metric: "count", unit: "rows", value: rows });
    results.push({ case: "replica search index size", metric: "count", unit: "documents", value: status.index?.documents ?? 0 });
    recordBench("search", results);
  } finally {
    await browser?.close().catch(() => undefined);
    await portal?.stop().catch((error: Error) => console.error("stopping the portal failed:", error.message));
    await database?.drop().catch((error: Error) => console.error("dropping the database failed:", error.message));
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
