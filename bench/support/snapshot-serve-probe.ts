/**
 * Server-side cost of one contact's initial sync: every shape's offset=-1 snapshot downloaded by
 * Node (4 at a time, as the replica does), with the portal's CPU (and of it the system time), its
 * minor page faults (on this VM every first touch of a fresh 4 KiB page costs ~10–20 µs of system
 * time) and Postgres's CPU around it.
 * SNAPSHOT_PROBE_BASELINE=<built checkout>: a second portal from that checkout, runs interleaved;
 * the first round also checks that both portals served the same bytes (bodies and headers, but the
 * handle) for every shape.
 * SNAPSHOT_PROBE_ROUNDS (3), SNAPSHOT_PROBE_DOCS (100,000). SNAPSHOT_PROBE_OUTPUT=<file prefix>: each
 * portal's output (e.g. with BENCH_PORTAL_NODE_ARGS=--trace-gc) to <prefix>-<label>.log.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import {
  cookieHeader, createBenchDatabase, log, processCpuMs, processFaults, scaleTo, sessionCookies, startPortal, warmEngine, type Portal,
} from "../../bench/support/portal";
import { shapeSelects, gatewayDownload } from "../../bench/support/sync-baselines";

/** CPU ms of every Postgres process by pid (a sum would drop when a backend exits in between). */
function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
      cpu.set(Number(pid), processCpuMs(Number(pid)));
    } catch {
      // the process ended between readdir and read
    }
  }
  return cpu;
}

/** CPU of the Postgres processes alive at the end, since `before` (0 for one started in between). */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpu()) if (Number.isFinite(ms)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * What must be the same between two portals: status, headers but the handle, the body's messages.
 * A snapshot is a set of rows (its SELECT has no ORDER BY, and a cursor and a COPY of the same SELECT
 * may get different plans), so the messages are compared sorted.
 */
function fingerprint(response: Response, body: ArrayBuffer): string {
  const headers = [...response.headers.entries()].filter(([name]) => !["electric-handle", "date"].includes(name));
  const text = new TextDecoder().decode(body);
  const messages = response.status === 200 ? (JSON.parse(text) as unknown[]).map((m) => JSON.stringify(m)).sort() : [text];
  const digest = createHash("sha256").update(messages.join("\n")).digest("hex");
  return `${response.status} ${JSON.stringify(headers)} ${body.byteLength} ${digest}`;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const DOCS = Number(process.env.SNAPSHOT_PROBE_DOCS ?? 100_000);
const ROUNDS = Number(process.env.SNAPSHOT_PROBE_ROUNDS ?? 3);
const database = await createBenchDatabase("bench_snapprobe");
const portals: { label: string; portal: Portal }[] = [];
try {
  portals.push({ label: "new", portal: await startPortal(database.url) });
  if (process.env.SNAPSHOT_PROBE_BASELINE) portals.unshift({ label: "old", portal: await startPortal(database.url, { cwd: process.env.SNAPSHOT_PROBE_BASELINE }) });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  const cookies = await sessionCookies(browser, portals[0].portal.baseUrl, "buyer@kessler.example");
  await browser.close();
  const { accountId } = await shapeSelects(database.db, "buyer@kessler.example", "10001");
  await scaleTo(database.db, "10001", DOCS);
  for (const { portal } of portals) await warmEngine(portal.baseUrl, cookies, database.db);
  const results = new Map<string, { wall: number; cpu: number; sys: number; faults: number; pg: number }[]>();
  const fingerprints = new Map<string, Map<string, string>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const { label, portal } of round % 2 ? [...portals].reverse() : portals) {
      const seen = new Map<string, string>();
      const inspect = round === 0 ? (name: string, response: Response, body: ArrayBuffer) => seen.set(name, fingerprint(response, body)) : undefined;
      const cpu0 = processCpuMs(portal.pid);
      const faults0 = processFaults(portal.pid);
      const pg0 = postgresCpu();
      const { ms, bytes } = await gatewayDownload(portal.baseUrl, cookieHeader(cookies), accountId, 4, inspect);
      const faults1 = processFaults(portal.pid);
      const r = { wall: ms, cpu: processCpuMs(portal.pid) - cpu0, sys: faults1.systemMs - faults0.systemMs, faults: faults1.minor - faults0.minor, pg: postgresCpuSince(pg0) };
      log(`round ${round + 1} ${label}: ${Math.round(r.wall)} ms wall, portal CPU ${r.cpu} ms (system ${r.sys} ms), ${r.faults} minor faults, Postgres CPU ${r.pg} ms, ${(bytes / 1e6).toFixed(0)} MB`);
      results.set(label, [...(results.get(label) ?? []), r]);
      if (inspect) fingerprints.set(label, seen);
    }
  }
  const [first, ...others] = [...fingerprints.entries()];
  const sizes = [...first[1]].map(([name, print]) => [name, Number(print.split(" ").at(-2))] as const).sort((a, b) => b[1] - a[1]);
  log(`answers: ${sizes.map(([name, bytes]) => `${name} ${(bytes / 1e6).toFixed(1)} MB`).join(", ")}`);
  for (const [label, seen] of others) {
    const differing = [...seen].filter(([name, print]) => first[1].get(name) !== print).map(([name]) => name);
    log(differing.length ? `DIFFERENT answers ${first[0]} vs ${label}: ${differing.join(", ")}` : `same bytes from ${first[0]} and ${label} (${seen.size} shapes)`);
  }
  for (const [label, runs] of results) {
    const m = (key: keyof (typeof runs)[number]) => Math.round(median(runs.map((r) => r[key])));
    log(`median ${label} (${runs.length} rounds): ${m("wall")} ms wall, portal CPU ${m("cpu")} ms (system ${m("sys")} ms), ${m("faults")} minor faults, Postgres CPU ${m("pg")} ms`);
  }
} finally {
  for (const { label, portal } of portals) {
    await portal.stop();
    if (process.env.SNAPSHOT_PROBE_OUTPUT) writeFileSync(`${process.env.SNAPSHOT_PROBE_OUTPUT}-${label}.log`, portal.output());
  }
  await database.drop();
}
