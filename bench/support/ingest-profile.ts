/**
 * Where a 500-invoice REST batch spends its database time: runs the ingest pipeline in process
 * against a private copy of the seeded database and times every statement (client side, same
 * connection). With INGEST_PROFILE_EXPLAIN=1, each statement of the write transaction is first run
 * under EXPLAIN ANALYZE inside a savepoint that is rolled back, which shows trigger (FK, change
 * capture) time per statement. Usage: npx tsx bench/support/ingest-profile.ts [batches]
 */
import { createTestDatabase, ensureTemplateDatabase } from "../../test/support/databases";
import { createPostgresDb, type Db, type Queryable } from "../../app/db/db.server";
import { findEntity } from "../../app/modules/erp/entities/registry";
import { ingestRecords } from "../../app/modules/erp/ingest/ingest.server";
import { invoiceRecord } from "../../app/modules/erp/testing/fixtures";
import { finishRun, recordRunProgress, startRun } from "../../app/modules/erp/runs.server";

const BATCHES = Number(process.argv[2] ?? 6);
const EXPLAIN = process.env.INGEST_PROFILE_EXPLAIN === "1";

interface Stat { n: number; ms: number }
const stats = new Map<string, Stat>();
const explains = new Map<string, string>();
const key = (sql: string) => sql.replace(/\s+/g, " ").trim().slice(0, 90);

function timed(q: Queryable, inTx: boolean): Queryable {
  return {
    async query(text: string, params?: unknown[]) {
      const k = key(text);
      if (EXPLAIN && inTx && !/^(SAVEPOINT|RELEASE|ROLLBACK)/.test(text.trim()) && !explains.has(k)) {
        await q.query("SAVEPOINT prof");
        const plan = await q.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, TIMING on) ${text}`, params);
        await q.query("ROLLBACK TO SAVEPOINT prof");
        explains.set(k, plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
      }
      const t = performance.now();
      const r = await q.query(text, params);
      const s = stats.get(k) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - t;
      stats.set(k, s);
      return r as never;
    },
    exec: (script: string) => q.exec(script),
  } as Queryable;
}

async function main() {
  const template = await ensureTemplateDatabase();
  const database = await createTestDatabase(template, "ingest_profile");
  const raw = createPostgresDb(database.url, { max: 4 });
  const db: Db = {
    ...raw,
    query: timed(raw, false).query,
    transaction: (fn) => raw.transaction((tx) => fn(timed(tx, true))),
  } as Db;
  const def = findEntity("invoices")!;
  try {
    const totals: number[] = [];
    for (let b = 0; b < BATCHES + 1; b++) {
      if (b === 1) stats.clear();
      const records = Array.from({ length: 500 }, (_, i) => ({ value: invoiceRecord(`prof-${b}-${i}`, { lines: 5 }) }));
      const t = performance.now();
      const runId = await startRun(db, { source: "api", entity: def.name, details: {} });
      const out = await ingestRecords(db, def, records, { runId, source: "api" });
      if (out.counts.rejected) console.error(JSON.stringify(out.results.find((r) => r.status === "rejected")));
      await recordRunProgress(db, runId, out.counts, { rowsRead: records.length });
      await finishRun(db, runId);
      if (b > 0) totals.push(performance.now() - t);
      if (out.counts.inserted !== 500) throw new Error(JSON.stringify(out.counts));
    }
    const n = BATCHES;
    console.log(`batches: ${n}; wall per batch (median): ${totals.sort((a, b) => a - b)[Math.floor(n / 2)].toFixed(1)} ms`);
    const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
    let sum = 0;
    for (const [k, s] of rows) {
      sum += s.ms;
      console.log(`${(s.ms / n).toFixed(1).padStart(7)} ms  ×${(s.n / n).toFixed(1).padStart(4)}  ${k}`);
    }
    console.log(`${(sum / n).toFixed(1).padStart(7)} ms  total in statements per batch`);
    for (const [k, plan] of explains) console.log(`\n=== ${k}\n${plan}`);
  } finally {
    await raw.close();
    await database.drop();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
