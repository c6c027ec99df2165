import type { Browser, Cookie } from "playwright-core";
import type { BenchResult } from "../lib";
import { median } from "../lib";
import { log, secs, startPortal, warmEngine, type BrowserProfile } from "./portal";
import { startThrottleProxy, type ThrottleProxy } from "./throttle-proxy";
import type { Db } from "~/db/db.server";

/**
 * `npm run bench -- sync-network` (docs/decisions/029): the same initial sync with compressed
 * snapshots (a portal with SYNC_COMPRESSION=on) and uncompressed ones (a second portal on the same
 * database with SYNC_COMPRESSION=off), over loopback and over a simulated line (throttle-proxy.ts;
 * default 100 Mbit/s, 10 ms each way), interleaved run by run in one browser profile on disk. The
 * shipped default, auto, sends a browser on the portal's own machine the uncompressed answer and
 * every other client the compressed one; the throttle proxy is a TCP proxy on loopback, which auto
 * would take for a local browser, hence the two forced modes.
 */
export interface NetworkRun {
  readyMs: number;
}

export interface NetworkComparisonOptions {
  browser: Browser;
  db: Db;
  databaseUrl: string;
  cookies: Cookie[];
  label: string;
  runs: number;
  mbit: number;
  latencyMs: number;
  initialSync: (browser: Browser, baseUrl: string, cookies: Cookie[], profile: BrowserProfile) => Promise<NetworkRun>;
}

export async function networkComparison(options: NetworkComparisonOptions): Promise<BenchResult[]> {
  const { browser, label, mbit, latencyMs } = options;
  const compressed = await startPortal(options.databaseUrl, { env: { SYNC_COMPRESSION: "on" } });
  const plain = await startPortal(options.databaseUrl, { env: { SYNC_COMPRESSION: "off" } });
  const proxies: ThrottleProxy[] = [];
  try {
    await warmEngine(compressed.baseUrl, options.cookies, options.db);
    // Both portals share the database and the session secret: the same cookie signs in on either.
    await warmEngine(plain.baseUrl, options.cookies, options.db);
    const line = { bytesPerSecond: (mbit * 1e6) / 8, latencyMs };
    const variants = [
      { name: "compressed", portal: compressed },
      { name: "uncompressed", portal: plain },
    ];
    const links = ["loopback", `${mbit} Mbit/s`] as const;
    const urls = new Map<string, { url: string; proxy: ThrottleProxy | null }>();
    for (const v of variants) {
      const proxy = await startThrottleProxy(new URL(v.portal.baseUrl), line);
      proxies.push(proxy);
      urls.set(`${v.name}|loopback`, { url: v.portal.baseUrl, proxy: null });
      urls.set(`${v.name}|${links[1]}`, { url: proxy.baseUrl, proxy });
    }
    const ready = new Map<string, number[]>();
    const wire = new Map<string, number>();
    for (let i = 0; i < options.runs; i += 1) {
      for (const link of links) {
        // Alternate which variant goes first, so neither always runs on a warmer machine.
        for (const v of i % 2 === 0 ? variants : [...variants].reverse()) {
          const key = `${v.name}|${link}`;
          const target = urls.get(key)!;
          const before = target.proxy?.bytesDown() ?? 0;
          const run = await options.initialSync(browser, target.url, options.cookies, "persistent");
          if (target.proxy) wire.set(v.name, target.proxy.bytesDown() - before);
          ready.set(key, [...(ready.get(key) ?? []), run.readyMs]);
          log(`  network run ${i + 1}/${options.runs} [${link}, ${v.name}]: ready ${secs(run.readyMs)}${target.proxy ? `, ${((wire.get(v.name) ?? 0) / 1e6).toFixed(1)} MB on the line` : ""}`);
        }
      }
    }
    const results: BenchResult[] = [];
    for (const link of links) {
      const compressed = ready.get(`compressed|${link}`) ?? [];
      const uncompressed = ready.get(`uncompressed|${link}`) ?? [];
      const where = link === "loopback" ? "loopback" : `${link} line, ${latencyMs} ms each way`;
      results.push({
        case: `initial sync, ${label}, ${where}: compressed snapshots (SYNC_COMPRESSION=on), open portal → ready`,
        metric: "median", unit: "ms", value: Math.round(median(compressed)),
        baseline: "uncompressed snapshots (SYNC_COMPRESSION=off), same run", baseline_value: Math.round(median(uncompressed)), samples: compressed.length,
      });
    }
    results.push({
      case: `initial sync, ${label}: bytes on the line (compressed snapshots)`, metric: "size", unit: "MB",
      value: Number(((wire.get("compressed") ?? 0) / 1e6).toFixed(1)),
      baseline: "uncompressed snapshots, same run", baseline_value: Number(((wire.get("uncompressed") ?? 0) / 1e6).toFixed(1)),
    });
    return results;
  } finally {
    for (const proxy of proxies) await proxy.stop();
    await plain.stop();
    await compressed.stop();
  }
}
