import path from "node:path";
import type { Browser } from "@playwright/test";
import type { Db } from "../app/db/db.server";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import { openLiveClients, type LiveClients, type RequestCounts } from "./support/live-clients";
import {
  type BrowserProfile, cookieHeader, createBenchDatabase, launchChromium, processFaults, log, machineCpuMs, sampleCpuByThread, processCpuMs, scaleTo, secs, sessionCookies,
  startPortal, warmEngine, type BenchDatabase, type Portal,
} from "./support/portal";
import { countRows, gatewayDownload, postgresExport, shapeSelects } from "./support/sync-baselines";
import { initialSync, type SyncRun } from "./support/initial-sync";

/**
 * (a) Initial sync: a fresh browser profile (no OPFS data) with a signed-in session opens the
 *     portal (/overview); timed from navigation start to the sync indicator showing
 *     `data-phase=ready` (every shape caught up and the FTS5 index built: fully searchable), at 10k
 *     and 100k documents of Kessler (10001) as its buyer. Baseline, same run: the same rows (every
 *     shape, the gateway's filter for this contact) exported raw from Postgres with psql `\copy …
 *     TO STDOUT CSV`. Without the replica, the way to have all of one's documents at hand is a full
 *     export; the raw export is the fastest any export could be (no HTTP, no rendering), so the ratio
 *     is what the replica costs over the floor. Also shown: the same snapshots downloaded from the
 *     gateway by Node without a browser (network + engine share of the sync).
 * (b) Live latency: 1, 100 and 1 000 concurrent `@electric-sql/client` ShapeStreams in this process
 *     on `/sync/shapes/orders?account=…` with one contact's session cookie (Nordhavn, 10004, a small
 *     account, so 1 000 snapshots stay cheap); an UPDATE of one order is committed in Postgres and
 *     each client's receive time is taken. Latency = receive − just before the UPDATE was sent.
 *     Knobs: BENCH_LIVE_CLIENTS=1000 (comma list of client counts) and BENCH_LIVE_ROUNDS=10 (commits
 *     per count) narrow the live part (a partial run); BENCH_LIVE_COMPARE=<dir> also starts the
 *     portal of another checkout with its own build (say, the previous commit in a second git
 *     worktree) on the same database and alternates old and new in blocks of half the rounds
 *     (old, new, new, old), so both see the same machine load; BENCH_LIVE_FETCH=previous gives the
 *     streams undici's fetch() instead of request() (bench/support/live-clients.ts).
 *     BENCH_LIVE_MODE=long-poll|sse|both (default both): how the streams stay live. Both measures
 *     each client count twice in the same run, long-poll first, then `liveSse: true` (one SSE
 *     response held open per stream), recorded as separate cases (the SSE ones end in "(SSE)").
 *     The streams' requests are counted by kind, so an SSE stream that fell back to long-polling
 *     (the client does after 3 SSE responses shorter than 1 s) shows up in the log and the results.
 */

const ACCOUNT = "10001";
// BENCH_QUICK=1: a smoke run of the benchmark's machinery (small sizes, few rounds); not for results.
const QUICK = process.env.BENCH_QUICK === "1";
const SYNC_SIZES = QUICK
  ? [{ documents: 2_000, runs: 1 }]
  : [
      { documents: 10_000, runs: 3 },
      { documents: 100_000, runs: 2 },
    ];
// BENCH_SYNC_PARTS=initial or =live runs one half (for working on it); only a full run records results.
const PARTS = new Set((process.env.BENCH_SYNC_PARTS ?? "initial,live").split(",").map((p) => p.trim()));
const LIVE_CLIENTS = process.env.BENCH_LIVE_CLIENTS ? process.env.BENCH_LIVE_CLIENTS.split(",").map(Number) : null;
const LIVE_ROUNDS = process.env.BENCH_LIVE_ROUNDS ? Number(process.env.BENCH_LIVE_ROUNDS) : null;
const COMPARE_DIR = process.env.BENCH_LIVE_COMPARE || null;
const LIVE_MODE = process.env.BENCH_LIVE_MODE ?? "both";
if (!["long-poll", "sse", "both"].includes(LIVE_MODE)) throw new Error(`BENCH_LIVE_MODE must be long-poll, sse or both, not ${LIVE_MODE}`);
const LIVE_MODES: ("long-poll" | "sse")[] = LIVE_MODE === "both" ? ["long-poll", "sse"] : [LIVE_MODE as "long-poll" | "sse"];
const PARTIAL =
  !(PARTS.has("initial") && PARTS.has("live")) || LIVE_CLIENTS !== null || LIVE_ROUNDS !== null || COMPARE_DIR !== null || LIVE_MODE !== "both";
// BENCH_SYNC_DOCS=100000 limits the initial sync to the given sizes (also a partial run).
const ONLY_DOCS = process.env.BENCH_SYNC_DOCS ? process.env.BENCH_SYNC_DOCS.split(",").map(Number) : null;
// BENCH_SYNC_WORKERS=old=/path/to/worker.js,new=public/replica/worker.js: each initial-sync run is
// repeated once per replica worker bundle, interleaved (old, new, old, new …), the page's
// /replica/worker.js answered from that file, and any other /replica/*worker.js (the snapshot worker,
// snapshot-worker.js) from the same directory: give each variant a copy of its whole public/replica
// build. For old-vs-new comparisons in one run (a partial run).
const WORKERS = process.env.BENCH_SYNC_WORKERS
  ? process.env.BENCH_SYNC_WORKERS.split(",").map((entry) => {
      const [label, file] = entry.split("=");
      return { label: label.trim(), file: path.resolve(file.trim()) };
    })
  : null;
// BENCH_SYNC_PROFILES=persistent,incognito: the browser profiles each initial-sync run is repeated in,
// interleaved (bench/support/portal.ts, BrowserProfile). The headline figures are the persistent
// profile's (OPFS on disk, as in a contact's normal window); an incognito context keeps OPFS in the
// browser process's memory, behind one IPC per file write.
const PROFILES = (process.env.BENCH_SYNC_PROFILES ?? "persistent,incognito").split(",").map((p) => p.trim()) as BrowserProfile[];
if (PROFILES.length === 0 || PROFILES.some((p) => p !== "persistent" && p !== "incognito")) throw new Error("BENCH_SYNC_PROFILES lists persistent and/or incognito");
// BENCH_SYNC_RUNS=n overrides the number of initial-sync runs per size (and per worker).
const RUNS = process.env.BENCH_SYNC_RUNS ? Number(process.env.BENCH_SYNC_RUNS) : null;
// BENCH_SYNC_BASELINES=0 skips the Postgres export and the Node download (a partial run).
const BASELINES = process.env.BENCH_SYNC_BASELINES !== "0";
const EXPORT_RUNS = 3;
const LIVE_DEFAULT = QUICK
  ? [
      { clients: 1, rounds: 3 },
      { clients: 200, rounds: 3 },
    ]
  : [
      { clients: 1, rounds: 20 },
      { clients: 100, rounds: 15 },
      { clients: 1_000, rounds: 10 },
    ];
const LIVE = (LIVE_CLIENTS ? LIVE_CLIENTS.map((clients) => ({ clients, rounds: LIVE_DEFAULT.find((l) => l.clients === clients)?.rounds ?? 10 })) : LIVE_DEFAULT).map(
  (l) => ({ ...l, rounds: LIVE_ROUNDS ?? l.rounds }),
);

export default async function syncBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  let oldPortal: Portal | null = null;
  let browser: Browser | null = null;
  let live: LiveClients | null = null;
  const results: BenchResult[] = [];
  try {
    database = await createBenchDatabase("bench_sync");
    const db = database.db;
    portal = await startPortal(database.url);
    browser = await launchChromium();
    const kessler = await sessionCookies(browser, portal.baseUrl, "buyer@kessler.example");
    const { accountId, selects } = await shapeSelects(db, "buyer@kessler.example", ACCOUNT);

    // (a) initial sync
    for (const { documents, runs } of PARTS.has("initial") ? SYNC_SIZES.filter((s) => !ONLY_DOCS || ONLY_DOCS.includes(s.documents)) : []) {
      await scaleTo(db, ACCOUNT, documents);
      const firstRequestMs = await warmEngine(portal.baseUrl, kessler, db);
      log(`  shape engine: first request after the bulk write ${Math.round(firstRequestMs)} ms; change log fully sequenced`);
      const expectedRows = await countRows(db, selects);
      const { rows: probe } = await db.query<{ number: string }>(
        `SELECT number FROM invoices WHERE account_id = $1 AND kind = 'invoice' ORDER BY md5(id::text) LIMIT 1`,
        [accountId],
      );
      const label = `${documents / 1000}k docs`;
      log(`initial sync, ${label} (${expectedRows} shape rows in Postgres for buyer@kessler.example)`);

      const exports: number[] = [];
      let exportBytes = 0;
      for (let i = 0; i < (BASELINES ? EXPORT_RUNS : 0); i += 1) {
        const e = await postgresExport(database.url, selects);
        exports.push(e.ms);
        exportBytes = e.bytes;
      }
      const download = BASELINES ? await gatewayDownload(portal.baseUrl, cookieHeader(kessler), accountId) : { ms: Number.NaN, bytes: 0 };
      log(`  raw Postgres export: median ${Math.round(median(exports))} ms (${(exportBytes / 1e6).toFixed(1)} MB CSV); gateway download ${Math.round(download.ms)} ms (${(download.bytes / 1e6).toFixed(1)} MB JSON)`);

      const syncsBy = new Map<BrowserProfile, SyncRun[]>(PROFILES.map((p) => [p, []]));
      const byWorker = new Map<string, { ready: number[]; cpu: number[]; apply: number[]; index: number[]; indexing: number[] }>();
      const runCount = RUNS ?? runs;
      for (let i = 0; i < runCount; i += 1) for (const profile of PROFILES) for (const variant of WORKERS ?? [null]) {
        const cpu0 = processCpuMs(portal.pid);
        const faults0 = processFaults(portal.pid);
        const machine0 = machineCpuMs();
        const threads = sampleCpuByThread();
        const run = await initialSync(browser, portal.baseUrl, kessler, probe[0].number, variant?.file, profile);
        const portalCpu = processCpuMs(portal.pid) - cpu0;
        const faults1 = processFaults(portal.pid);
        const machine1 = machineCpuMs();
        const byCommand = threads.stop().filter(([, ms]) => ms >= 300);
        const machineBusy = machine1.busyMs - machine0.busyMs;
        const machineShare = machineBusy / (machine1.totalMs - machine0.totalMs);
        const syncs = syncsBy.get(profile) ?? [];
        if (!variant) syncs.push(run);
        else {
          const key = PROFILES.length > 1 ? `${variant.label}, ${profile}` : variant.label;
          const acc = byWorker.get(key) ?? { ready: [], cpu: [], apply: [], index: [], indexing: [] };
          acc.ready.push(run.readyMs);
          acc.cpu.push(portalCpu);
          acc.apply.push(run.status.applyMs);
          acc.index.push(run.status.index?.ms ?? 0);
          acc.indexing.push(run.rowsInMs);
          byWorker.set(key, acc);
          if (syncs.length === 0) syncs.push(run);
        }
        const p = run.phases;
        const t = (run.status as { timing?: Record<string, number> }).timing;
        log(
          `  run ${i + 1}/${runCount} [${profile}${variant ? `, ${variant.label}` : ""}]: portal CPU ${secs(portalCpu)} (system ${secs(faults1.systemMs - faults0.systemMs)}, ${faults1.minor - faults0.minor} page faults), machine CPU ${secs(machineBusy)} (${Math.round(machineShare * 100)} % of all cores, browser start to close; threads: ${byCommand.map(([c, ms]) => `${c} ${secs(ms)}`).join(", ")}), ready ${secs(run.readyMs)}, ${run.rows} rows (Postgres: ${expectedRows}), search ${run.searchOk ? "finds" : "DOES NOT find"} ${probe[0].number}; ` +
            `syncing from ${secs(p.syncing ?? 0)}, all rows in at ${secs(run.rowsInMs)}${p.indexing ? `, indexing (only) from ${secs(p.indexing)}` : ""}; worker: open ${run.status.openMs} ms, apply ${run.status.applyMs} ms in ${run.status.commits} commits, index build ${Math.round(run.status.index?.ms ?? 0)} ms` +
            (t ? `; worker timing ${Object.entries(t).map(([k, v]) => `${k} ${Math.round(v)}${k.endsWith("MB") ? "" : " ms"}`).join(", ")}` : ""),
        );
      }
      const last = syncsBy.get(PROFILES[0])?.at(-1) ?? null;
      if (last) {
        // When each shape's rows were in, the last run of the headline profile: what the index waited for.
        const t0 = Date.parse(last.status.shapes.reduce((a, b) => ((a.syncedAt ?? "") < (b.syncedAt ?? "") ? a : b)).syncedAt ?? "");
        log(`  shapes by commit time (last run, ms after the first shape's commit): ${[...last.status.shapes]
          .sort((a, b) => (a.syncedAt ?? "").localeCompare(b.syncedAt ?? ""))
          .map((s) => `${s.name} ${s.rows} rows +${Date.parse(s.syncedAt ?? "") - t0}`).join(", ")}`);
      }
      for (const [label, acc] of byWorker) {
        log(
          `  [${label}] median (nearest rank) of ${acc.ready.length}: ready ${secs(median(acc.ready))} (mean ${secs(acc.ready.reduce((a, b) => a + b, 0) / acc.ready.length)}), all rows in ${secs(median(acc.indexing))}, apply ${secs(median(acc.apply))}, ` +
            `index ${secs(median(acc.index))}, portal CPU ${secs(median(acc.cpu))} (ready: ${acc.ready.map(secs).join(", ")})`,
        );
      }
      const syncs = syncsBy.get(PROFILES[0]) ?? [];
      const where = PROFILES[0] === "persistent" ? "browser profile on disk" : "incognito context, OPFS in memory";
      const ready = syncs.map((s) => s.readyMs);
      const baseline = `raw Postgres export of the same rows (psql \\copy CSV), same run, n=${exports.length}`;
      results.push(
        { case: `initial sync to a searchable replica, ${label} (${syncs[0].rows} rows), ${where}, open portal → ready`, metric: "median", unit: "ms", value: Math.round(median(ready)), baseline, baseline_value: Math.round(median(exports)), samples: ready.length },
        { case: `initial sync, ${label}: max of ${ready.length} runs`, metric: "max", unit: "ms", value: Math.round(Math.max(...ready)), samples: ready.length },
        { case: `initial sync, ${label}: rows synced`, metric: "count", unit: "rows", value: syncs[0].rows, baseline: "rows in Postgres for this contact's shapes", baseline_value: expectedRows },
        { case: `initial sync, ${label}: gateway snapshots downloaded by Node (no browser, 4 at a time)`, metric: "time", unit: "ms", value: Math.round(download.ms), samples: 1 },
        { case: `shape engine after the bulk write up to ${label}: first shape request (sequences the change log)`, metric: "time", unit: "ms", value: Math.round(firstRequestMs), samples: 1 },
        { case: `initial sync, ${label}: worker apply (SQLite inserts, sum over commits)`, metric: "median", unit: "ms", value: Math.round(median(syncs.map((s) => s.status.applyMs))), samples: syncs.length },
        { case: `initial sync, ${label}: search index build (FTS5; summed over the document sources, mostly while other shapes load)`, metric: "median", unit: "ms", value: Math.round(median(syncs.map((s) => s.status.index?.ms ?? 0))), samples: syncs.length },
        { case: `initial sync, ${label}: portal open → all rows in (last shape's first commit)`, metric: "median", unit: "ms", value: Math.round(median(syncs.map((s) => s.rowsInMs))), samples: syncs.length },
      );
      const incognito = PROFILES[0] === "persistent" ? (syncsBy.get("incognito") ?? []) : [];
      if (incognito.length > 0) {
        results.push(
          { case: `initial sync, ${label}, incognito context (OPFS in memory), open portal → ready`, metric: "median", unit: "ms", value: Math.round(median(incognito.map((s) => s.readyMs))), baseline: "browser profile on disk, same run", baseline_value: Math.round(median(ready)), samples: incognito.length },
          { case: `initial sync, ${label}, incognito context: worker apply (SQLite inserts, sum over commits)`, metric: "median", unit: "ms", value: Math.round(median(incognito.map((s) => s.status.applyMs))), samples: incognito.length },
          { case: `initial sync, ${label}, incognito context: search index build (FTS5)`, metric: "median", unit: "ms", value: Math.round(median(incognito.map((s) => s.status.index?.ms ?? 0))), samples: incognito.length },
        );
      }
    }

    // (b) live latency
    const nordhavn = await sessionCookies(browser, portal.baseUrl, "buyer@nordhavn.example");
    const { rows: target } = await db.query<{ id: string; account_id: string }>(
      `SELECT o.id, o.account_id FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10004' ORDER BY o.number LIMIT 1`,
    );
    if (!target[0]) throw new Error("no order of account 10004 (Nordhavn) in the seed");
    const { rows: orderCount } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales_orders WHERE account_id = $1`, [target[0].account_id]);
    log(`live latency on /sync/shapes/orders of account 10004 (${orderCount[0].n} orders per snapshot)`);
    // The portals under test: this checkout's, and with BENCH_LIVE_COMPARE the other checkout's.
    const portals: { label: string; portal: Portal }[] = [{ label: "new", portal }];
    if (COMPARE_DIR && PARTS.has("live")) {
      oldPortal = await startPortal(database.url, { cwd: COMPARE_DIR });
      portals.unshift({ label: "old", portal: oldPortal });
    }
    const orderId = target[0].id;
    for (const { clients, rounds } of PARTS.has("live") ? LIVE : []) {
      const p95ByMode = new Map<string, { p95: number; clientCpu: number; portalCpu: number }>();
      for (const mode of LIVE_MODES) {
        const modeSuffix = mode === "sse" ? " (SSE)" : "";
        const stats = new Map(portals.map(({ label }) => [label, emptyLiveStats()]));
        // Compare: blocks of half the rounds, old, new, new, old (each block opens its own clients).
        const blocks = portals.length === 1 ? portals : [portals[0], portals[1], portals[1], portals[0]];
        const perBlock = portals.length === 1 ? rounds : Math.ceil(rounds / 2);
        for (const block of blocks) {
          live = await openLiveClients({
            url: `${block.portal.baseUrl}/sync/shapes/orders`,
            params: { account: target[0].account_id },
            cookie: cookieHeader(nordhavn),
            count: clients,
            sse: mode === "sse",
          });
          await measureLive(db, live, block.portal, orderId, clients, perBlock, `${block.label}${mode === "sse" ? " sse" : ""}`, stats.get(block.label)!);
          await live.close();
          live = null;
        }
        const base = stats.get("old");
        for (const { label } of portals) {
          const st = stats.get(label)!;
          const n = st.commits;
          const suffix = portals.length > 1 ? ` [${label} portal]` : "";
          const r = st.requests;
          log(
            `  ${clients} client(s)${modeSuffix}${suffix}, ${n} commits: p50 ${percentile(st.latencies, 50).toFixed(1)} ms, p95 ${percentile(st.latencies, 95).toFixed(1)} ms, max ${Math.max(...st.latencies).toFixed(1)} ms` +
              `${st.missed ? `, ${st.missed} deliveries missed (30 s)` : ""}${st.errors.length ? `, ${st.errors.length} client errors: ${st.errors[0]}` : ""}`,
          );
          log(
            `    per commit: first client ${median(st.first).toFixed(1)} ms, last ${median(st.last).toFixed(1)} ms (medians); ` +
              `CPU from commit to last delivery: portal ${(st.portalCpu / n).toFixed(0)} ms (median ${median(st.portalCpuPerCommit).toFixed(0)}), ` +
              `client processes ${(st.clientCpu / n).toFixed(0)} ms (median ${median(st.clientCpuPerCommit).toFixed(0)}), this process ${(st.benchCpu / n).toFixed(0)} ms`,
          );
          const t = st.requestsTotal;
          log(
            `    requests sent by the streams while measured: ${r.sse} SSE, ${r.longPoll} live long-polls, ${r.catchUp} catch-up/snapshot; ` +
              `since they started: ${t.sse} SSE, ${t.longPoll} live long-polls, ${t.catchUp} catch-up/snapshot`,
          );
          const label0 = `live commit → client, ${clients} concurrent client${clients === 1 ? "" : "s"}${modeSuffix}${suffix}`;
          const vs = label === "new" && base ? { baseline: `old portal (${COMPARE_DIR}), same run, interleaved blocks` } : {};
          for (const [metric, p] of [["p50", 50], ["p95", 95]] as const) {
            results.push({ case: label0, metric, unit: "ms", value: round(percentile(st.latencies, p)), samples: st.latencies.length, ...(base && label === "new" ? { ...vs, baseline_value: round(percentile(base.latencies, p)) } : {}) });
          }
          results.push({ case: label0, metric: "max", unit: "ms", value: round(Math.max(...st.latencies)), samples: st.latencies.length });
          if (clients > 1) results.push({ case: `${label0}: until the last client has it (per commit)`, metric: "median", unit: "ms", value: round(median(st.last)), samples: st.last.length });
          results.push({
            case: `${label0}: portal CPU per commit (commit → last delivery)`, metric: "mean", unit: "ms", value: round(st.portalCpu / n), samples: n,
            ...(base && label === "new" ? { ...vs, baseline_value: round(base.portalCpu / base.commits) } : {}),
          });
          results.push({
            case: `${label0}: portal CPU per commit (commit → last delivery)`, metric: "median", unit: "ms", value: round(median(st.portalCpuPerCommit)), samples: n,
            ...(base && label === "new" ? { ...vs, baseline_value: round(median(base.portalCpuPerCommit)) } : {}),
          });
          results.push({ case: `${label0}: client processes' CPU per commit (commit → last delivery)`, metric: "mean", unit: "ms", value: round(st.clientCpu / n), samples: n });
          results.push({ case: `${label0}: client processes' CPU per commit (commit → last delivery)`, metric: "median", unit: "ms", value: round(median(st.clientCpuPerCommit)), samples: n });
          if (mode === "sse") {
            results.push({ case: `${label0}: live long-polls sent while measured (a stream fell back from SSE)`, metric: "count", unit: "requests", value: r.longPoll, samples: n });
          }
          if (label === "new") p95ByMode.set(mode, { p95: percentile(st.latencies, 95), clientCpu: st.clientCpu / n, portalCpu: st.portalCpu / n });
          if (st.missed > 0) results.push({ case: `${label0}: deliveries not seen within 30 s`, metric: "count", unit: "deliveries", value: st.missed, samples: clients * n });
        }
        if (base) {
          const now = stats.get("new")!;
          log(
            `    new/old at ${clients}${modeSuffix}: p95 ${(percentile(now.latencies, 95) / percentile(base.latencies, 95)).toFixed(2)}×, ` +
              `portal CPU per commit ${(now.portalCpu / now.commits / (base.portalCpu / base.commits)).toFixed(2)}× (medians ${(median(now.portalCpuPerCommit) / median(base.portalCpuPerCommit)).toFixed(2)}×)`,
          );
        }
      }
      const [poll, sse] = [p95ByMode.get("long-poll"), p95ByMode.get("sse")];
      if (poll && sse) {
        log(
          `    SSE/long-poll at ${clients}, same run: p95 ${(sse.p95 / poll.p95).toFixed(2)}× (${sse.p95.toFixed(0)} vs ${poll.p95.toFixed(0)} ms), ` +
            `portal CPU per commit ${(sse.portalCpu / poll.portalCpu).toFixed(2)}×, client processes' CPU per commit ${(sse.clientCpu / poll.clientCpu).toFixed(2)}×`,
        );
      }
    }
    if (QUICK || PARTIAL || ONLY_DOCS || WORKERS || RUNS || !BASELINES) console.table(results); // a smoke or partial run leaves bench/results/sync.json alone
    else recordBench("sync", results);
  } finally {
    await live?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await portal?.stop().catch((error: Error) => console.error("stopping the portal failed:", error.message));
    await oldPortal?.stop().catch((error: Error) => console.error("stopping the old portal failed:", error.message));
    await database?.drop().catch((error: Error) => console.error("dropping the database failed:", error.message));
  }
}

interface LiveStats {
  commits: number;
  latencies: number[];
  first: number[];
  last: number[];
  missed: number;
  portalCpu: number;
  clientCpu: number;
  benchCpu: number;
  portalCpuPerCommit: number[];
  clientCpuPerCommit: number[];
  errors: string[];
  /** Requests the streams sent from the first measured commit to the last (all blocks). */
  requests: RequestCounts;
  /** Requests the streams sent from their start to the last measured commit (all blocks). */
  requestsTotal: RequestCounts;
}

const emptyLiveStats = (): LiveStats => ({ commits: 0, latencies: [], first: [], last: [], missed: 0, portalCpu: 0, clientCpu: 0, benchCpu: 0, portalCpuPerCommit: [], clientCpuPerCommit: [], errors: [], requests: { sse: 0, longPoll: 0, catchUp: 0 }, requestsTotal: { sse: 0, longPoll: 0, catchUp: 0 } });

/** `rounds` commits of one order with `live` parked on `portal`; adds to `stats` and logs each commit. */
async function measureLive(db: Db, live: LiveClients, portal: Portal, orderId: string, clients: number, rounds: number, label: string, stats: LiveStats): Promise<void> {
  // Let every client park its first live long-poll.
  await sleep(clients >= 1000 ? 5_000 : 1_500);
  // One unmeasured commit first: on a loaded machine the first one after the clients came up also
  // met streams still settling (measured: 3–4× the CPU of the following commits, old and new alike).
  const warmUp = `bench-live-warm-up-${label}-${clients}-${Date.now()}`;
  const warmed = live.watch(orderId, "buyer_name", warmUp, 30_000);
  await db.query(`UPDATE sales_orders SET buyer_name = $2, updated_at = now() WHERE id = $1`, [orderId, warmUp]);
  await warmed;
  await sleep(clients >= 1000 ? 4_000 : 1_500);
  const before = live.requests();
  for (let r = 0; r < rounds; r += 1) {
    const marker = `bench-live-${label}-${clients}-${stats.commits}-${Date.now()}`;
    const seen = live.watch(orderId, "buyer_name", marker, 30_000);
    const cpu0 = { portal: processCpuMs(portal.pid), clients: live.cpuMs(), bench: process.cpuUsage() };
    const t0 = performance.now();
    await db.query(`UPDATE sales_orders SET buyer_name = $2, updated_at = now() WHERE id = $1`, [orderId, marker]);
    const times = await seen;
    const portalCpu = processCpuMs(portal.pid) - cpu0.portal;
    const clientCpu = live.cpuMs() - cpu0.clients;
    const benchUsage = process.cpuUsage(cpu0.bench);
    stats.portalCpu += portalCpu;
    stats.clientCpu += clientCpu;
    stats.portalCpuPerCommit.push(portalCpu);
    stats.clientCpuPerCommit.push(clientCpu);
    stats.benchCpu += (benchUsage.user + benchUsage.system) / 1000;
    stats.commits += 1;
    const got = times.filter((t): t is number => t !== null).map((t) => t - t0);
    stats.missed += times.length - got.length;
    stats.latencies.push(...got);
    if (got.length > 0) {
      stats.first.push(Math.min(...got));
      stats.last.push(Math.max(...got));
    }
    if (clients > 1) {
      log(
        `    ${label} portal, ${clients} clients, commit ${stats.commits}: p95 ${percentile(got, 95).toFixed(0)} ms, last ${Math.max(...got).toFixed(0)} ms; ` +
          `CPU portal ${portalCpu} ms, client processes ${clientCpu.toFixed(0)} ms`,
      );
    }
    // Between rounds the clients re-park their long-polls.
    await sleep(clients >= 1000 ? 4_000 : 1_500);
  }
  stats.errors.push(...live.errors());
  const after = live.requests();
  stats.requests.sse += after.sse - before.sse;
  stats.requests.longPoll += after.longPoll - before.longPoll;
  stats.requests.catchUp += after.catchUp - before.catchUp;
  stats.requestsTotal.sse += after.sse;
  stats.requestsTotal.longPoll += after.longPoll;
  stats.requestsTotal.catchUp += after.catchUp;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (v: number) => Math.round(v * 100) / 100;
