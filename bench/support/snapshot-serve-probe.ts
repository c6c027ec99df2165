/**
 * Server-side cost of one contact's initial sync: every shape's offset=-1 snapshot downloaded by
 * Node (4 at a time, as the replica does), with the portal's and Postgres's CPU time around it.
 * SNAPSHOT_PROBE_BASELINE=<built checkout>: a second portal from that checkout, runs interleaved.
 */
import { readFileSync, readdirSync } from "node:fs";
import { chromium } from "@playwright/test";
import {
  cookieHeader, createBenchDatabase, log, processCpuMs, scaleTo, sessionCookies, startPortal, warmEngine, type Portal,
} from "../../bench/support/portal";
import { shapeSelects, gatewayDownload } from "../../bench/support/sync-baselines";

function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
      total += processCpuMs(Number(pid));
    } catch {
      // the process ended between readdir and read
    }
  }
  return total;
}

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
  const results = new Map<string, string[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const { label, portal } of round % 2 ? [...portals].reverse() : portals) {
      const cpu0 = processCpuMs(portal.pid);
      const pg0 = postgresCpuMs();
      const { ms, bytes } = await gatewayDownload(portal.baseUrl, cookieHeader(cookies), accountId);
      const line = `${label}: ${Math.round(ms)} ms wall, portal CPU ${processCpuMs(portal.pid) - cpu0} ms, Postgres CPU ${postgresCpuMs() - pg0} ms, ${(bytes / 1e6).toFixed(0)} MB`;
      log(line);
      results.set(label, [...(results.get(label) ?? []), line]);
    }
  }
} finally {
  for (const { portal } of portals) await portal.stop();
  await database.drop();
}
