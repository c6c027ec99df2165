import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from "@playwright/test";
import { createPostgresDb, type Db } from "../../app/db/db.server";
import { scaleAccount, type ScaleResult } from "../../db/seed/scale";
import { createTestDatabase, ensureTemplateDatabase } from "../../test/support/databases";

/**
 * What the browser benchmarks share: a private copy of the seeded template database (grown with
 * db/seed/scale.ts), the real portal server on a free port, headless Chromium with the project's
 * flags, sign-in, and page hooks that read the replica without changing the app.
 */

export const DEMO_PASSWORD = "ledgerlight-demo";
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
];

export const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

/** Seconds with one decimal, for progress lines. */
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface BenchDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh copy of the seeded template. Drop it in `finally`. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const started = performance.now();
  const template = await ensureTemplateDatabase();
  const database = await createTestDatabase(template, label);
  const db = createPostgresDb(database.url, { max: 4 });
  log(`database ${new URL(database.url).pathname.slice(1)} from ${template} in ${secs(performance.now() - started)}`);
  return {
    url: database.url,
    db,
    async drop() {
      await db.close().catch(() => undefined);
      await database.drop();
    },
  };
}

/** Grows an account to `documents` documents (orders, confirmations, shipments, delivery notes, invoices). */
export async function scaleTo(db: Db, accountNumber: string, documents: number): Promise<ScaleResult> {
  const result = await scaleAccount(db, { accountNumber, documents });
  log(`account ${accountNumber}: ${result.before} → ${result.after} documents in ${secs(result.millis)}`);
  return result;
}

export interface Portal {
  baseUrl: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

let portsTaken = 0;

async function freePort(): Promise<number> {
  // BENCH_PORT: fixed ports (helpers sharing a machine each get their own): the first portal takes
  // it, a second one (BENCH_LIVE_COMPARE's old portal) the next, and so on.
  if (process.env.BENCH_PORT) return Number(process.env.BENCH_PORT) + portsTaken++;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node --import tsx server.ts` (the production build) against `databaseUrl`; waits for
 * /healthz. `cwd`: another checkout with its own build (an older commit in a second git worktree,
 * to compare old and new in the same run). BENCH_PORTAL_NODE_ARGS (space-separated) adds Node
 * options to every portal started, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. `port`: a second
 * portal next to one on BENCH_PORT needs its own.
 */
export async function startPortal(
  databaseUrl: string,
  options: { nodeArgs?: string[]; cwd?: string; port?: number; env?: Record<string, string> } = {},
): Promise<Portal> {
  const cwd = path.resolve(options.cwd ?? ".");
  if (!existsSync(path.join(cwd, "build/index.js")) || !existsSync(path.join(cwd, "public/replica/worker.js"))) {
    throw new Error(`No build in ${cwd}: run \`npm run build\` there first (server build and public/replica/worker.js).`);
  }
  const envNodeArgs = (process.env.BENCH_PORTAL_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const port = options.port ?? (await freePort());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "ledgerlight-bench-"));
  const child: ChildProcess = spawn(process.execPath, [...envNodeArgs, ...(options.nodeArgs ?? []), "--import", "tsx", "server.ts"], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: "test",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SESSION_SECRET: "bench-session-secret-0123456789abcdefghijkl",
      PUBLIC_URL: `http://localhost:${port}`,
      SEED_DEMO: "never",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://localhost:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // server.close() waits for held long-polls (up to 20 s); do not wait that long.
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`The portal exited during start-up:\n${output}`);
      if (Date.now() > deadline) throw new Error(`The portal did not become healthy within 60 s:\n${output}`);
      const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(`portal listening on ${baseUrl} (pid ${child.pid}${options.cwd ? `, from ${cwd}` : ""})`);
  return { baseUrl, pid: child.pid ?? 0, output: () => output, stop };
}

/** CPU time (user + system) a process used so far, in ms, from /proc (Linux; clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14 and 15 of stat)
  } catch {
    return Number.NaN;
  }
}

/**
 * The whole machine's CPU so far, from /proc/stat: busy (every process, the kernel, interrupts) and
 * wall-clock capacity (busy + idle + iowait) in ms, summed over the cores. Busy over capacity tells
 * how much of both cores a run used: a run that used all of them cannot get faster by moving work
 * between threads, only by doing less.
 */
export function machineCpuMs(): { busyMs: number; totalMs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * 10, totalMs: (busy + idle + iowait) * 10 };
}

/**
 * CPU (ms) of every thread so far, keyed by pid/tid, named "process: thread" (Chromium's renderer
 * runs the replica's workers as threads named "DedicatedWorker…"): diff two readings to see who used a run's CPU.
 */
export function processesCpuMs(): Map<string, { comm: string; ms: number }> {
  const out = new Map<string, { comm: string; ms: number }>();
  const read = (file: string) => {
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ms: (Number(fields[11]) + Number(fields[12])) * 10 };
  };
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const process = read(`/proc/${pid}/stat`);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const thread = read(`/proc/${pid}/task/${tid}/stat`);
        const name = thread.comm === process.comm ? process.comm : `${process.comm}: ${thread.comm.replace(/[\d-]+$/, "")}`;
        out.set(`${pid}/${tid}`, { comm: name, ms: thread.ms });
      }
    } catch {
      // ended between readdir and read
    }
  }
  return out;
}

/**
 * Samples every thread's CPU every `everyMs` until stopped, so threads of processes that end before
 * the stop (a browser context closing) still count, up to their last sample. `stop()` returns the CPU
 * used while sampling, summed by "process: thread" name, largest first.
 */
export function sampleCpuByThread(everyMs = 250): { stop: () => [string, number][] } {
  const first = processesCpuMs();
  const last = new Map(first);
  const sample = () => {
    for (const [key, now] of processesCpuMs()) last.set(key, now);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const byName = new Map<string, number>();
      for (const [key, now] of last) {
        const used = now.ms - (first.get(key)?.ms ?? 0);
        if (used > 0) byName.set(now.comm, (byName.get(now.comm) ?? 0) + used);
      }
      return [...byName].sort((a, b) => b[1] - a[1]);
    },
  };
}

/** Minor page faults and system CPU (ms) of a process so far: on this VM a first touch of a page costs ~10 µs. */
export function processFaults(pid: number): { minor: number; systemMs: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { minor: Number(fields[7]), systemMs: Number(fields[12]) * 10 }; // minflt, stime (fields 10 and 15 of stat)
  } catch {
    return { minor: Number.NaN, systemMs: Number.NaN };
  }
}

/**
 * CPU time (ms) of the Postgres backends serving one database: a probe that reads each backend's
 * /proc stat (Postgres runs on this machine). `sample()` before and after a measurement; a backend
 * that appeared in between counts from 0. A backend that exits in between is lost (the pool keeps
 * its connections for 10 s idle, longer than any gap inside a measurement), so this is a floor.
 * The probe's own connection is a backend of that database too; its share is one tiny query.
 */
export function postgresBackendCpu(db: Db, databaseUrl: string) {
  const name = new URL(databaseUrl).pathname.slice(1);
  return async (): Promise<Map<number, number>> => {
    const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
  };
}

/** CPU ms the backends used between two samples of postgresBackendCpu. */
export function backendCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) if (Number.isFinite(cpu)) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

/** Waits until the engine has sequenced every change-log entry (after a bulk write such as scaleTo). */
export async function waitForSequenced(db: Db, timeoutMs = 10 * 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query<{ pending: boolean }>(`SELECT EXISTS (SELECT 1 FROM sync_change_log WHERE position IS NULL) AS pending`);
    if (!rows[0].pending) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error("the shape engine did not sequence the change log in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export const cookieHeader = (cookies: readonly Cookie[]) => cookies.map((c) => `${c.name}=${c.value}`).join("; ");

/**
 * The portal starts its shape engine on the first shape request, and the engine sequences every
 * change-log entry written so far (a bulk load: hundreds of thousands) before it answers. Makes that
 * request (the tiny `accounts` shape), then waits until nothing is left unsequenced, so the timed
 * syncs that follow do not pay for it. Returns how long the first request took.
 */
export async function warmEngine(baseUrl: string, cookies: readonly Cookie[], db: Db): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/sync/shapes/accounts?offset=-1`, { headers: { cookie: cookieHeader(cookies) } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`GET /sync/shapes/accounts answered ${response.status}`);
  const ms = performance.now() - started;
  await waitForSequenced(db);
  return ms;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

async function newPersistentContext(baseUrl: string): Promise<BrowserContext> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ll-bench-profile-"));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL: baseUrl, locale: "en-US" });
  // Chromium may still be writing the profile as it exits: retry, and leave a stray directory rather than fail the run.
  context.on("close", () => void rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => undefined));
  return context;
}

/**
 * Page hooks, installed before any page script runs:
 * - `window.__benchReplica`: the handle the page's own `openReplica()` created (electric/replica/
 *   replica.client.ts keeps its open handles in a Map keyed by the replica's lock name
 *   `ledgerlight-replica-…`; the hook notes the value stored under such a key). The app does not
 *   export the handle, and the hook needs no change to it: `replica.search()` is the very call the
 *   command palette makes.
 * - `window.__benchPhases`: ms since navigation start at which the sync indicator first showed each
 *   phase (`[data-testid=sync-status][data-phase=…]`).
 */
export const PAGE_HOOKS = () => {
  const w = window as unknown as { __benchReplica?: unknown; __benchPhases: Record<string, number> };
  w.__benchPhases = {};
  const set = Map.prototype.set;
  Map.prototype.set = function (this: Map<unknown, unknown>, key: unknown, value: unknown) {
    if (typeof key === "string" && key.startsWith("ledgerlight-replica-") && value && typeof (value as { search?: unknown }).search === "function") {
      w.__benchReplica = value;
    }
    return set.call(this, key, value);
  } as typeof Map.prototype.set;
  const note = () => {
    const phase = document.querySelector("[data-testid=sync-status]")?.getAttribute("data-phase");
    if (phase && w.__benchPhases[phase] === undefined) w.__benchPhases[phase] = performance.now();
  };
  new MutationObserver(note).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-phase"] });
};

/**
 * Where a bench page's browser keeps its data. "incognito": a Playwright context of the shared
 * browser, which Chromium treats as off the record, so OPFS lives in the browser process's memory and
 * every write of the replica's SQLite file is an IPC to it. "persistent": a browser of its own on a
 * fresh profile directory, OPFS in files on disk, as in a contact's normal browser window.
 */
export type BrowserProfile = "persistent" | "incognito";

export async function newBenchContext(browser: Browser, baseUrl: string, cookies: Cookie[] = [], profile: BrowserProfile = "incognito"): Promise<BrowserContext> {
  const context = profile === "incognito" ? await browser.newContext({ baseURL: baseUrl, locale: "en-US" }) : await newPersistentContext(baseUrl);
  // tsx (esbuild keepNames) wraps named functions in __name(); functions passed to the page need it.
  await context.addInitScript({ content: "globalThis.__name ??= (fn) => fn;" });
  await context.addInitScript(PAGE_HOOKS);
  if (cookies.length > 0) await context.addCookies(cookies);
  return context;
}

/** Signs in through the login form; returns the session cookies. */
export async function signIn(page: Page, email: string): Promise<Cookie[]> {
  await page.goto("/login");
  await page.getByLabel(/^(Email|E-Mail)$/).fill(email);
  await page.getByLabel(/^(Password|Passwort)$/).fill(DEMO_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 60_000 }),
    page.getByRole("button", { name: /^(Sign in|Anmelden)$/ }).click(),
  ]);
  return page.context().cookies();
}

/** The cookies of a signed-in session, from a throwaway context (its replica never gets far). */
export async function sessionCookies(browser: Browser, baseUrl: string, email: string): Promise<Cookie[]> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: "en-US" });
  try {
    const page = await context.newPage();
    // The sign-in lands on the portal, which would start syncing; only the cookie is wanted.
    await page.route("**/replica/worker.js", (route) => route.abort());
    return await signIn(page, email);
  } finally {
    await context.close();
  }
}

export async function waitForReady(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForSelector("[data-testid=sync-status][data-phase=ready]", { timeout: timeoutMs, state: "attached" });
}

/** What the worker reported last (via the captured handle). */
export interface ReplicaStatusSnapshot {
  phase: string;
  mode: string | null;
  openMs: number | null;
  commits: number;
  applyMs: number;
  index: { documents: number; ms: number } | null;
  shapes: { name: string; rows: number; error: string | null; syncedAt: string | null }[];
}

export async function replicaStatus(page: Page): Promise<ReplicaStatusSnapshot> {
  return page.evaluate(() => {
    const replica = (window as unknown as { __benchReplica?: { status(): unknown } }).__benchReplica;
    if (!replica) throw new Error("The page's replica handle was not captured (see PAGE_HOOKS in bench/support/portal.ts).");
    return replica.status() as ReplicaStatusSnapshot;
  });
}
