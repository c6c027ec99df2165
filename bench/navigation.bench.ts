import type { Browser, BrowserContext, Page } from "@playwright/test";
import { median, percentile, recordBench, type BenchResult } from "./lib";
import {
  createBenchDatabase, launchChromium, log, newBenchContext, replicaStatus, scaleTo, secs, sessionCookies, startPortal, waitForReady,
  warmEngine, type BenchDatabase, type Portal,
} from "./support/portal";

/**
 * list → detail → list in Chromium, once the replica has synced, for orders, invoices, shipments
 * and documents (a document opens its invoice). Two pages of the same signed-in contact, same run:
 * - replica: the pages' clientLoaders answer from the browser's SQLite replica (no `.data` request);
 * - server: the same navigation in a context whose replica never opens (its worker script is
 *   blocked), so every clientLoader falls back to serverLoader() (a `.data` request to Postgres).
 * One navigation = from the click on a row's link (or history.back()) until the new page's heading,
 * and for a list its rows, are in the DOM (a MutationObserver checks after every change). The two
 * paths alternate which goes first on each round, so machine noise hits both alike. Each page's
 * route modules are loaded once before timing (warm-up rounds, not recorded).
 * Alongside: the replica's query alone (`replica.query(name, params)`, as the clientLoader calls it)
 * for the same list and detail, to tell the query from the rendering.
 */

const ACCOUNT = "10001";
const EMAIL = "buyer@kessler.example";
const DOCUMENTS = Number(process.env.BENCH_NAV_DOCS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_NAV_ROUNDS ?? 25);
const WARMUP = 2;
/** BENCH_NAV_PROFILE=1: a CPU profile of the replica page over a few more round trips per list (diagnostic, not recorded). */
const PROFILE = process.env.BENCH_NAV_PROFILE === "1";

interface List {
  name: "orders" | "invoices" | "shipments" | "documents";
  path: string;
  /** Links in the table that open a detail page. */
  detailLinks: string;
  listQuery: { name: string; params: Record<string, unknown> };
  detailQuery: (id: string) => { name: string; params: Record<string, unknown> } | null;
}

const today = () => new Date().toISOString().slice(0, 10);

const LISTS: List[] = [
  {
    name: "orders", path: "/orders", detailLinks: `a[href^="/orders/"]`,
    listQuery: { name: "portal.orders", params: {} },
    detailQuery: (id) => ({ name: "portal.order", params: { id, seesInvoices: true } }),
  },
  {
    name: "invoices", path: "/invoices", detailLinks: `a[href^="/invoices/"]`,
    listQuery: { name: "portal.invoices", params: { today: today() } },
    detailQuery: (id) => ({ name: "portal.invoice", params: { id, today: today() } }),
  },
  {
    name: "shipments", path: "/shipments", detailLinks: `a[href^="/shipments/"]`,
    listQuery: { name: "portal.shipments", params: {} },
    detailQuery: (id) => ({ name: "portal.shipment", params: { id } }),
  },
  {
    name: "documents", path: "/documents", detailLinks: `td:first-child a[href^="/invoices/"]:not([href$="/pdf"])`,
    listQuery: { name: "portal.documents", params: { seesInvoices: true } },
    detailQuery: (id) => ({ name: "portal.invoice", params: { id, today: today() } }),
  },
];

interface Leg {
  /** Clicks the link with this href in the list's table, or goes back in history. */
  href: string | null;
  path: string;
  /** Text the main heading must contain. */
  heading: string | null;
  /** A list: its table must show rows. */
  table: string | null;
}

/** One timed navigation inside the page (ms). */
async function navigate(page: Page, leg: Leg): Promise<number> {
  return page.evaluate(
    ({ href, path, heading, table }) =>
      new Promise<number>((resolve, reject) => {
        const arrived = () =>
          location.pathname === path &&
          (heading === null || (document.querySelector("main h1")?.textContent ?? "").includes(heading)) &&
          (table === null || document.querySelector(`[data-testid="${table}"] tbody tr[id]`) !== null);
        let started = 0;
        const observer = new MutationObserver(() => {
          if (!arrived()) return;
          observer.disconnect();
          clearTimeout(timeout);
          resolve(performance.now() - started);
        });
        const timeout = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`still at ${location.pathname} after 20 s, expected ${path}`));
        }, 20_000);
        observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        started = performance.now();
        if (href === null) history.back();
        else {
          const link = document.querySelector<HTMLAnchorElement>(`main a[href="${href}"]`);
          if (!link) throw new Error(`no link to ${href}`);
          link.click();
        }
      }),
    leg,
  );
}

/** The detail links the list shows (href, text), from the page. */
async function detailLinks(page: Page, list: List): Promise<{ href: string; text: string }[]> {
  await page.waitForSelector(`[data-testid="${list.name}-table"] tbody tr[id]`);
  return page.evaluate(
    (selector) => [...document.querySelectorAll<HTMLAnchorElement>(selector)].map((a) => ({ href: a.getAttribute("href")!, text: a.textContent!.trim() })),
    `[data-testid="${list.name}-table"] tbody ${list.detailLinks}`,
  );
}

interface Timing {
  toDetail: number;
  toList: number;
}

/** list → detail → list for the link at `index` (the page is on the list). */
async function roundTrip(page: Page, list: List, link: { href: string; text: string }): Promise<Timing> {
  const toDetail = await navigate(page, { href: link.href, path: link.href, heading: link.text, table: null });
  const toList = await navigate(page, { href: null, path: list.path, heading: null, table: `${list.name}-table` });
  await page.waitForTimeout(40); // let the list settle (focus, preview timers) before the next click
  return { toDetail, toList };
}

/** The route-data requests (single fetch) a page makes. */
function countDataRequests(page: Page): { count: number } {
  const counter = { count: 0 };
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".data")) counter.count += 1;
  });
  return counter;
}

/** The replica's query alone, as the clientLoader calls it (ms per call). */
async function queryAlone(page: Page, query: { name: string; params: Record<string, unknown> }, repeats: number): Promise<number[]> {
  return page.evaluate(
    async ({ name, params, repeats }) => {
      const replica = (window as unknown as { __benchReplica?: { query(n: string, p: unknown): Promise<unknown> } }).__benchReplica;
      if (!replica) throw new Error("no replica handle on the page");
      const times: number[] = [];
      for (let i = 0; i < repeats; i += 1) {
        const t0 = performance.now();
        await replica.query(name, params);
        times.push(performance.now() - t0);
      }
      return times;
    },
    { ...query, repeats },
  );
}

/** The page's main thread over `rounds` replica round trips: the functions with the most self time. */
async function profile(page: Page, list: List, links: { href: string; text: string }[], rounds: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const t0 = performance.now();
  for (let i = 0; i < rounds; i += 1) await roundTrip(page, list, links[i % links.length]);
  const wall = performance.now() - t0;
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as {
    profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
  };
  await cdp.detach();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const top = [...self].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(program)")).sort((a, b) => b[1] - a[1]).slice(0, 18);
  log(`profile ${list.name}, ${rounds} round trips in ${wall.toFixed(0)} ms wall (idle ${(self.get("(idle) :-1") ?? 0).toFixed(0)} ms):`);
  for (const [name, ms] of top) log(`    ${(ms / rounds).toFixed(2).padStart(7)} ms/round  ${name}`);
}

const round = (v: number) => Math.round(v * 10) / 10;

export default async function navigationBench(): Promise<void> {
  let database: BenchDatabase | null = null;
  let portal: Portal | null = null;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  try {
    database = await createBenchDatabase("bench_navigation");
    await scaleTo(database.db, ACCOUNT, DOCUMENTS);
    portal = await startPortal(database.url);
    browser = await launchChromium();
    const cookies = await sessionCookies(browser, portal.baseUrl, EMAIL);
    const firstRequestMs = await warmEngine(portal.baseUrl, cookies, database.db);
    log(`shape engine started; its first request (sequencing the bulk write) took ${secs(firstRequestMs)}`);

    const replicaContext = await newBenchContext(browser, portal.baseUrl, cookies);
    const serverContext = await newBenchContext(browser, portal.baseUrl, cookies);
    contexts.push(replicaContext, serverContext);
    // Without its worker script the replica never opens: every clientLoader asks the server.
    await serverContext.route("**/replica/worker.js", (route) => route.abort());
    const replicaPage = await replicaContext.newPage();
    const serverPage = await serverContext.newPage();
    const started = performance.now();
    await replicaPage.goto("/overview");
    await waitForReady(replicaPage, 10 * 60_000);
    const status = await replicaStatus(replicaPage);
    const rows = status.shapes.reduce((n, s) => n + s.rows, 0);
    log(`replica ready in ${secs(performance.now() - started)}: ${rows} rows`);
    const replicaRequests = countDataRequests(replicaPage);
    const serverRequests = countDataRequests(serverPage);

    const results: BenchResult[] = [];
    const all = { replica: [] as number[], server: [] as number[] };
    for (const list of LISTS) {
      await replicaPage.goto(list.path);
      await waitForReady(replicaPage, 60_000);
      await serverPage.goto(list.path);
      await serverPage.waitForSelector("[data-testid=sync-status][data-phase=error]", { state: "attached" }); // hydrated, no replica
      const links = (await detailLinks(replicaPage, list)).slice(0, 20);
      const serverLinks = new Set((await detailLinks(serverPage, list)).map((l) => l.href));
      const shared = links.filter((l) => serverLinks.has(l.href));
      if (shared.length === 0) throw new Error(`${list.name}: the replica's and the server's lists show no common row`);
      const replicaBefore = replicaRequests.count;
      const serverBefore = serverRequests.count;
      const timings = { replica: [] as Timing[], server: [] as Timing[] };
      for (let round = 0; round < WARMUP + ROUNDS; round += 1) {
        const link = shared[round % shared.length];
        const order = round % 2 === 0 ? (["replica", "server"] as const) : (["server", "replica"] as const);
        for (const path of order) {
          const timing = await roundTrip(path === "replica" ? replicaPage : serverPage, list, link);
          if (round >= WARMUP) timings[path].push(timing);
        }
      }
      if (PROFILE) await profile(replicaPage, list, shared, 10);
      const dataRequests = { replica: replicaRequests.count - replicaBefore, server: serverRequests.count - serverBefore };
      log(`${list.name}: route-data requests during the rounds: replica ${dataRequests.replica}, server ${dataRequests.server}`);

      const listMs = await queryAlone(replicaPage, list.listQuery, 10);
      const id = shared[0].href.split("/").pop()!;
      const detail = list.detailQuery(id);
      // A query the replica does not know (an older build) answers with an error: no figure then.
      const detailMs = detail ? await queryAlone(replicaPage, detail, 10).catch(() => [] as number[]) : [];

      for (const leg of ["toDetail", "toList"] as const) {
        const replica = timings.replica.map((t) => t[leg]);
        const server = timings.server.map((t) => t[leg]);
        all.replica.push(...replica);
        all.server.push(...server);
        const label = leg === "toDetail" ? `${list.name}: list → detail` : `${list.name}: detail → list (back)`;
        for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
          results.push({
            case: `${label}, replica (clientLoader)`, metric, unit: "ms", value: round(percentile(replica, p)),
            baseline: `server fallback (serverLoader, .data request), same run, n=${server.length}`, baseline_value: round(percentile(server, p)),
            samples: replica.length,
          });
        }
      }
      results.push({ case: `${list.name}: replica list query alone (${list.listQuery.name})`, metric: "median", unit: "ms", value: round(median(listMs)), samples: listMs.length });
      if (detail && detailMs.length > 0) results.push({ case: `${list.name}: replica detail query alone (${detail.name})`, metric: "median", unit: "ms", value: round(median(detailMs)), samples: detailMs.length });
      results.push({ case: `${list.name}: route-data (.data) requests, replica page`, metric: "count", unit: "requests", value: dataRequests.replica, baseline: "server page", baseline_value: dataRequests.server });
      log(
        `  ${list.name}: replica ${median(timings.replica.map((t) => t.toDetail)).toFixed(0)} / ${median(timings.replica.map((t) => t.toList)).toFixed(0)} ms, ` +
          `server ${median(timings.server.map((t) => t.toDetail)).toFixed(0)} / ${median(timings.server.map((t) => t.toList)).toFixed(0)} ms (median to detail / back), ` +
          `list query ${median(listMs).toFixed(1)} ms, detail query ${detailMs.length ? median(detailMs).toFixed(1) : "–"} ms`,
      );
    }
    for (const [metric, p] of [["median", 50], ["p95", 95]] as const) {
      results.push({
        case: "every navigation above, replica (clientLoader)", metric, unit: "ms", value: round(percentile(all.replica, p)),
        baseline: `server fallback, same run, n=${all.server.length}`, baseline_value: round(percentile(all.server, p)), samples: all.replica.length,
      });
    }
    results.push({ case: "replica rows synced (all shapes)", metric: "count", unit: "rows", value: rows });
    recordBench("navigation", results);
  } finally {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await portal?.stop().catch((error: Error) => console.error("stopping the portal failed:", error.message));
    await database?.drop().catch((error: Error) => console.error("dropping the database failed:", error.message));
  }
}
