import { readFileSync } from "node:fs";
import path from "node:path";
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
 *
 * The replica's default ranking is timed against a baseline, interleaved per query (which one goes
 * first alternates): by default the ranking "bm25" on the same page (bm25 over every match, before
 * decision 023); with SEARCH_BENCH_BASELINE=<worktree of an older commit, built> the default ranking
 * of that commit instead, served by a second portal from that worktree (same database, port
 * BENCH_PORT+1 when BENCH_PORT is set) to a second page with its own replica and worker in the
 * same browser. Each search is its own page.evaluate, so searches are a Playwright round trip apart
 * (as keystrokes are), not back to back in one loop as before decision 023's addendum. A last pass
 * times the same queries back to back in one loop inside the page (no idle time for the browser's
 * garbage collector between searches), so both ways of timing are recorded.
 */

const ACCOUNT = "10001";
const DOCUMENTS = 100_000;
const PER_KIND = 20; // queries per kind: 5 kinds → 100 queries
const REPLICA_REPEATS = 3; // the replica answers in milliseconds: run each query 3× per ranking, the server once
const WARMUP = 5;
const BASELINE_DIR = process.env.SEARCH_BENCH_BASELINE || null;

interface Sample {
  kind: QueryKind;
  q: string;
  /** The default ranking (decision 023: bm25 within a budget of RANKED_MATCHES matches). */
  replicaMs: number[];
  replicaHits: number;
  /** The baseline: ranking "bm25" on the same page, or the old commit's page (SEARCH_BENCH_BASELINE). */
  baselineMs: number[];
  baselineHits: number;
  serverMs: number;
  serverHits: number;
  serverStatus: number;
}

/** Where the replica searches: the page, and the options that select the ranking. */
interface ReplicaPath {
  page: Page;
  options: { limit: number; ranking?: "bm25" };
}

/** One replica search on `path`, timed inside the page: ms and the number of results. */
async function searchOnce(path: ReplicaPath, q: string): Promise<{ ms: number; hits: number }> {
  return path.page.evaluate(
    async ({ q, options }) => {
      const replica = (window as unknown as { __benchReplica?: { search(q: string, o: { limit: number; ranking?: string }): Promise<unknown[]> } }).__benchReplica;
      if (!replica) throw new Error("no replica handle on the page");
      const t0 = performance.now();
      const results = await replica.search(q, options);
      return { ms: performance.now() - t0, hits: results.length };
    },
    { q, options: path.options },
  );
}

/**
 * `repeats` searches of `q` in one loop inside the page, each awaited, none apart: what a fast typist
 * or a script sees, with no idle time between searches for the browser to collect garbage in.
 */
async function searchBackToBack(path: ReplicaPath, q: string, repeats: number): Promise<number[]> {
  return path.page.evaluate(
    async ({ q, options, repeats }) => {
      const replica = (window as unknown as { __benchReplica?: { search(q: string, o: { limit: number }): Promise<unknown[]> } }).__benchReplica;
      if (!replica) throw new Error("no replica handle on the page");
      const times: number[] = [];
      for (let i = 0; i < repeats; i += 1) {
        const t0 = performance.now();
        await replica.search(q, options);
        times.push(performance.now() - t0);
      }
      return times;
    },
    { q, options: path.options, repeats },
  );
}

async function serverOnce(page: Page, q: string): Promise<{ ms: number; hits: number; status: number }> {
  return page.evaluate(async (q) => {
    const t0 = performance.now();
    const response = await fetch(`/search?${new URLSearchParams({ q, limit: "20" })}`, { headers: { Accept: "application/json" } });
    const body = (await response.json()) as { results?: unknown[] };
    return { ms: performance.now() - t0, hits: body.results?.length ?? 0, status: response.status };
  }, q);
}

/**
 * One query: `repeats` replica searches on each path, alternating (this commit's first when
 * `replicaFirst`), and the server once on this commit's page (after the replica, or before).
 */
async function timeQuery(current: ReplicaPath, baseline: ReplicaPath, query: BenchQuery, replicaFirst: boolean, repeats: number): Promise<Sample> {
  const sample: Sample = {
    kind: query.kind, q: query.q, replicaMs: [], replicaHits: 0, baselineMs: [], baselineHits: 0, serverMs: 0, serverHits: 0, serverStatus: 0,
  };
  const viaReplica = async () => {
    for (let i = 0; i < repeats * 2; i += 1) {
      const isBaseline = (i % 2 === 0) !== replicaFirst;
      const { ms, hits } = await searchOnce(isBaseline ? baseline : current, query.q);
      if (isBaseline) {
        sample.baselineMs.push(ms);
        sample.baselineHits = hits;
      } else {
        sample.replicaMs.push(ms);
        sample.replicaHits = hits;
      }
    }
  };
  const viaServer = async () => {
    const server = await serverOnce(current.page, query.q);
    Object.assign(sample, { serverMs: server.ms, serverHits: server.hits, serverStatus: server.status });
  };
  if (replicaFirst) {
    await viaReplica();
    await viaServer();
  } else {
    await viaServer();
    await viaReplica();
  }
  return sample;
}

/** Opens the portal in a new signed-in context and waits until its replica holds the documents. */
async function openReplicaPage(browser: Browser, portal: Portal, label: string): Promise<{ page: Page; rows: number; documents: number }> {
  const cookies = await sessionCookies(browser, portal.baseUrl, "buyer@kessler.example");
  const context = await newBenchContext(browser, portal.baseUrl, cookies);
  const page = await context.newPage();
  const started = performance.now();
  await page.goto("/overview");
  log(`${label}: signed in as buyer@kessler.example; waiting for the replica (100k documents)…`);
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
  const documents = status.index?.documents ?? 0;
  log(`${label}: replica ready in ${secs(performance.now() - started)}: ${rows} rows, search index ${documents} documents (mode ${status.mode})`);
  return { page, rows, documents };
}

export default async function searchBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  let oldPortal: Portal | null = null;
  let browser: Browser | null = null;
  try {
    database = await createBenchDatabase("bench_search");
    await scaleTo(database.db, ACCOUNT, DOCUMENTS);
    const queries = await buildQueryList(database.db, ACCOUNT, PER_KIND);
    log(`${queries.length} queries, e.g. ${queries.filter((_, i) => i % PER_KIND === 0).map((q) => JSON.stringify(q.q)).join(", ")}`);

    portal = await startPortal(database.url);
    const basePort = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) + 1 : undefined;
    if (BASELINE_DIR) oldPortal = await startPortal(database.url, { cwd: BASELINE_DIR, port: basePort });
    browser = await launchChromium();
    for (const p of [portal, oldPortal]) {
      if (!p) continue;
      const firstRequestMs = await warmEngine(p.baseUrl, await sessionCookies(browser, p.baseUrl, "buyer@kessler.example"), database.db);
      log(`shape engine of ${p.baseUrl} started; its first request (sequencing the bulk write) took ${secs(firstRequestMs)}`);
    }
    const opened = await openReplicaPage(browser, portal, "this commit");
    const current: ReplicaPath = { page: opened.page, options: { limit: 20 } };
    const baseline: ReplicaPath = oldPortal
      ? { page: (await openReplicaPage(browser, oldPortal, `baseline ${BASELINE_DIR}`)).page, options: { limit: 20 } }
      : { page: opened.page, options: { limit: 20, ranking: "bm25" } };
    const baselineName = BASELINE_DIR
      ? `default ranking of the old commit (${path.basename(BASELINE_DIR)}), second page in the same browser and run, interleaved`
      : `ranking "bm25" (before decision 023), same page and run, interleaved`;
    const { rows } = opened;
    log(`load average before timing: ${loadAverage()}`);

    log(`warm-up (${WARMUP} queries on both paths)`);
    for (const query of queries.slice(0, WARMUP)) await timeQuery(current, baseline, query, true, 1);

    const samples: Sample[] = [];
    for (const [i, query] of queries.entries()) {
      const sample = await timeQuery(current, baseline, query, i % 2 === 0, REPLICA_REPEATS);
      samples.push(sample);
      if ((i + 1) % 20 === 0) {
        log(`  ${i + 1}/${queries.length}: replica median ${median(samples.flatMap((s) => s.replicaMs)).toFixed(1)} ms, baseline ${median(samples.flatMap((s) => s.baselineMs)).toFixed(1)} ms, server median ${median(samples.map((s) => s.serverMs)).toFixed(0)} ms, load ${loadAverage()}`);
      }
    }

    // The same queries once more on this commit's page, back to back inside the page (the way this
    // benchmark timed them before decision 023's addendum), so both ways of timing are on record.
    log(`back-to-back pass (${REPLICA_REPEATS} searches per query in one loop inside the page)`);
    const backToBack: number[] = [];
    for (const query of queries) backToBack.push(...(await searchBackToBack(current, query.q, REPLICA_REPEATS)));

    const failed = samples.filter((s) => s.serverStatus !== 200);
    if (failed.length > 0) log(`WARNING: ${failed.length} server answers were not 200 (e.g. ${failed[0].serverStatus} for ${JSON.stringify(failed[0].q)})`);
    const noHits = (pick: (s: Sample) => number) => samples.filter((s) => pick(s) === 0).map((s) => s.q);
    log(`queries without hits: replica ${noHits((s) => s.replicaHits).length} ${JSON.stringify(noHits((s) => s.replicaHits).slice(0, 5))}, server ${noHits((s) => s.serverHits).length} ${JSON.stringify(noHits((s) => s.serverHits).slice(0, 5))}`);

    const ms = (list: number[]) => list.map((x) => x.toFixed(1)).join("/");
    log(`per query (replica default ranking | baseline: ${baselineName} | server), ms, slowest first by the default ranking:`);
    for (const s of [...samples].sort((a, b) => Math.max(...b.replicaMs) - Math.max(...a.replicaMs))) {
      console.log(
        `  ${s.kind.padEnd(16)} ${JSON.stringify(s.q).padEnd(26)} ${ms(s.replicaMs).padStart(16)} (${String(s.replicaHits).padStart(2)} hits) | ${ms(s.baselineMs).padStart(18)} (${String(s.baselineHits).padStart(2)}) | ${s.serverMs.toFixed(0)}`,
      );
    }
    log(`load average after timing: ${loadAverage()}`);

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
    const all = { replica: samples.flatMap((s) => s.replicaMs), baseline: samples.flatMap((s) => s.baselineMs), server: samples.map((s) => s.serverMs) };
    for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
      results.push({
        case: `speed-up of the replica over the server (${metric} / ${metric})`, metric: "ratio", unit: "x",
        value: round(percentile(all.server, p) / percentile(all.replica, p)), samples: all.replica.length,
      });
    }
    for (const [metric, p] of [["median", 50], ["p95", 95], ["max", 100]] as const) {
      results.push({
        case: `replica ranked top-20, all queries, ${DOCUMENTS / 1000}k docs, default ranking vs ${BASELINE_DIR ? "the old commit" : "bm25 over every match (decision 023)"}`,
        metric, unit: "ms", value: round(percentile(all.replica, p)),
        baseline: `${baselineName}, n=${all.baseline.length}`,
        baseline_value: round(percentile(all.baseline, p)), samples: all.replica.length,
      });
    }
    for (const kind of [...new Set(samples.map((s) => s.kind))]) {
      add(kind, samples.filter((s) => s.kind === kind));
      const subset = samples.filter((s) => s.kind === kind);
      const [mine, theirs] = [subset.flatMap((s) => s.replicaMs), subset.flatMap((s) => s.baselineMs)];
      for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
        results.push({
          case: `replica ranked top-20, ${kind}, ${DOCUMENTS / 1000}k docs, default ranking vs baseline`, metric, unit: "ms",
          value: round(percentile(mine, p)), baseline: `${baselineName}, n=${theirs.length}`, baseline_value: round(percentile(theirs, p)), samples: mine.length,
        });
      }
    }
    for (const [metric, p] of [["median", 50], ["p95", 95], ["max", 100]] as const) {
      results.push({
        case: `replica ranked top-20, all queries, ${DOCUMENTS / 1000}k docs, back to back (one loop in the page, no pause between searches)`,
        metric, unit: "ms", value: round(percentile(backToBack, p)), samples: backToBack.length,
      });
    }
    results.push({ case: "load average (1 min) after timing", metric: "load", unit: "procs", value: Number(loadAverage().split(" ")[0]) });
    results.push({ case: "replica rows synced (all shapes) before searching", metric: "count", unit: "rows", value: rows });
    results.push({ case: "replica search index size", metric: "count", unit: "documents", value: opened.documents });
    recordBench("search", results);
  } finally {
    await browser?.close().catch(() => undefined);
    for (const p of [portal, oldPortal]) await p?.stop().catch((error: Error) => console.error("stopping the portal failed:", error.message));
    await database?.drop().catch((error: Error) => console.error("dropping the database failed:", error.message));
  }
}

const round = (v: number) => Math.round(v * 100) / 100;

/** The 1, 5 and 15 minute load averages: the machine is shared, so every number needs its load. */
const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
