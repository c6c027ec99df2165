import { readFileSync } from "node:fs";
import path from "node:path";
import type { SqlDriver, SqlParam } from "../../electric/replica/driver";
import { searchDocuments } from "../../electric/replica/search";
import {
  createBenchDatabase, launchChromium, log, newBenchContext, replicaStatus, scaleTo, sessionCookies, startPortal, waitForReady, warmEngine,
} from "./portal";
import { buildQueryList } from "./search-queries";

/**
 * Diagnostic, not a benchmark (`npx tsx bench/support/replica-sql-probe.ts`, DOCS=100000 by
 * default): lets the real app sync Kessler's documents into OPFS, closes the page, then opens the
 * SAME OPFS database with the same sqlite-wasm build in a probe worker and times the exact SQL that
 * `searchDocuments` runs (captured through a recording driver) at the app's page cache (16 MB,
 * electric/replica/opfs.ts) and at 256 MB, next to the FTS5 part alone (MATCH + bm25, no join).
 * With REBUILD=1 it also times FTS5 'rebuild' at both cache sizes.
 */

const DOCS = Number(process.env.DOCS ?? 100_000);
const SQLITE_DIST = path.resolve("node_modules/@sqlite.org/sqlite-wasm/dist");

function capturedSearchSql(q: string): { sql: string; params: SqlParam[] } {
  let captured: { sql: string; params: SqlParam[] } | null = null;
  const recorder = {
    selectObjects: (sql: string, params: readonly SqlParam[] = []) => {
      captured = { sql, params: [...params] };
      return [];
    },
  } as unknown as SqlDriver;
  searchDocuments(recorder, q, { limit: 20 });
  if (!captured) throw new Error(`searchDocuments ran no query for ${q}`);
  return captured;
}

const PROBE_WORKER = `
import init from "./index.mjs";
let db;
self.onmessage = async (event) => {
  const m = event.data;
  try {
    if (m.cmd === "open") {
      const sqlite3 = await init();
      const pool = await sqlite3.installOpfsSAHPoolVfs({ name: m.vfs, directory: m.directory });
      db = new pool.OpfsSAHPoolDb("/replica.sqlite3");
      db.exec("PRAGMA temp_store = MEMORY; PRAGMA journal_mode = TRUNCATE;");
      self.postMessage({ ok: true, runs: [], rows: 0, first: { version: sqlite3.version.libVersion } });
    } else {
      const runs = [];
      let rows = [];
      for (let i = 0; i < (m.repeat ?? 1); i += 1) {
        const t = performance.now();
        if (m.cmd === "exec") db.exec(m.sql); else rows = db.selectObjects(m.sql, m.params);
        runs.push(performance.now() - t);
      }
      self.postMessage({ ok: true, runs, rows: rows.length, first: rows[0] ?? null });
    }
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};`;

interface ProbeAnswer {
  ok: boolean;
  error?: string;
  runs: number[];
  rows: number;
  first: Record<string, unknown> | null;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase("probe_sql");
  const portal = await startPortal(database.url);
  const browser = await launchChromium();
  try {
    await scaleTo(database.db, "10001", DOCS);
    const queries = await buildQueryList(database.db, "10001", 4);
    const cookies = await sessionCookies(browser, portal.baseUrl, "buyer@kessler.example");
    await warmEngine(portal.baseUrl, cookies, database.db);
    const context = await newBenchContext(browser, portal.baseUrl, cookies);
    const page = await context.newPage();
    await page.goto("/overview");
    await waitForReady(page, 15 * 60_000);
    const status = await replicaStatus(page);
    log(`replica ready: index of ${status.index?.documents} documents built in ${Math.round(status.index?.ms ?? 0)} ms`);
    const ids = await page.evaluate(() => {
      const replica = (window as unknown as { __benchReplica: { userId: string; accountId: string } }).__benchReplica;
      return { userId: replica.userId, accountId: replica.accountId };
    });
    // Closing the page ends its worker and frees the pool's access handles for the probe.
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const safe = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "_");
    const key = `${safe(ids.userId)}-${safe(ids.accountId)}`;
    await context.route("**/probe/**", (route) => {
      const name = new URL(route.request().url()).pathname.replace("/probe/", "");
      if (name === "page.html") return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>probe</title>" });
      if (name === "worker.mjs") return route.fulfill({ contentType: "text/javascript", body: PROBE_WORKER });
      if (name === "index.mjs") return route.fulfill({ contentType: "text/javascript", body: readFileSync(path.join(SQLITE_DIST, "index.mjs")) });
      if (name === "sqlite3.wasm") return route.fulfill({ contentType: "application/wasm", body: readFileSync(path.join(SQLITE_DIST, "sqlite3.wasm")) });
      return route.fulfill({ status: 404, body: "" });
    });
    const probe = await context.newPage();
    await probe.goto("/probe/page.html");
    await probe.evaluate(() => {
      const worker = new Worker("/probe/worker.mjs", { type: "module" });
      (window as unknown as { ask: (m: unknown) => Promise<unknown> }).ask = (message) =>
        new Promise((resolve) => {
          worker.onmessage = (event) => resolve(event.data);
          worker.postMessage(message);
        });
    });
    const ask = async (message: Record<string, unknown>): Promise<ProbeAnswer> => {
      const answer = (await probe.evaluate((m) => (window as unknown as { ask: (m: unknown) => Promise<unknown> }).ask(m), message)) as ProbeAnswer;
      if (!answer.ok) throw new Error(`probe worker: ${answer.error}`);
      return answer;
    };
    const opened = await ask({ cmd: "open", vfs: `ledgerlight-${key}`, directory: `.ledgerlight-replicas/${key}` });
    const size = await ask({
      cmd: "query",
      sql: `SELECT round((SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size) / 1048576.0) AS mb, (SELECT count(*) FROM search_docs) AS docs`,
    });
    log(`sqlite ${String(opened.first?.version)}: database ${String(size.first?.mb)} MB, ${String(size.first?.docs)} search documents`);
    const ms = (runs: number[]) => runs.map((x) => x.toFixed(0)).join("/");
    for (const cache of [-16_000, -262_144]) {
      await ask({ cmd: "exec", sql: `PRAGMA cache_size = ${cache}` });
      log(`PRAGMA cache_size = ${cache} (${Math.round(-cache / 1000)} MB); three runs each`);
      for (const { kind, q } of queries) {
        const { sql, params } = capturedSearchSql(q);
        const app = await ask({ cmd: "query", sql, params, repeat: 3 });
        const count = await ask({ cmd: "query", sql: "SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ?", params: [params[0]] });
        const ftsOnly = await ask({
          cmd: "query",
          sql: "SELECT rowid, bm25(search_fts, 10.0, 6.0, 2.0, 1.0) AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY s LIMIT 20",
          params: [params[0]],
          repeat: 3,
        });
        console.log(
          `  ${kind.padEnd(16)} ${JSON.stringify(q).padEnd(26)} ${String(count.first?.n).padStart(6)} matches   app search SQL ${ms(app.runs).padStart(16)} ms   FTS5 + bm25 alone ${ms(ftsOnly.runs).padStart(10)} ms`,
        );
      }
      if (process.env.REBUILD === "1") {
        const rebuild = await ask({ cmd: "exec", sql: "INSERT INTO search_fts (search_fts) VALUES ('rebuild')" });
        log(`  FTS5 'rebuild': ${ms(rebuild.runs)} ms`);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await portal.stop().catch(() => undefined);
    await database.drop().catch((error: Error) => console.error("dropping the database failed:", error.message));
  }
}

await main();
