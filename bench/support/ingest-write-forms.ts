/**
 * The write transaction of one 500-invoice batch (5 lines each), old code vs this code, in the same
 * process on the same database: the batch is validated and prepared once, then written by each
 * version's applyPrepared in turn — each time in a transaction that is rolled back, so every round
 * writes the same new rows (insert path: headers, lines, VAT breakdown, FK checks, change capture).
 * Client-side time per transaction, interleaved rounds, medians. Also the replay case (all
 * unchanged): the batch committed once, then written again by each version.
 * Usage: INGEST_BASELINE_DIR=/work/wt-ingest-old npx tsx bench/support/ingest-write-forms.ts [rounds]
 */
import path from "node:path";
import { createTestDatabase, ensureTemplateDatabase } from "../../test/support/databases";
import { createPostgresDb, type Queryable } from "../../app/db/db.server";
import { findEntity } from "../../app/modules/erp/entities/registry";
import { collectRefs, prepareRecord, type Prepared } from "../../app/modules/erp/entities/rows";
import { applyPrepared } from "../../app/modules/erp/ingest/apply.server";
import { createRefLookup } from "../../app/modules/erp/ingest/refs.server";
import { validateRecords } from "../../app/modules/erp/ingest/ingest.server";
import { invoiceRecord } from "../../app/modules/erp/testing/fixtures";
import { median } from "../lib";
import type { EntityDef } from "../../app/modules/erp/entities/types";

type Apply = (tx: Queryable, def: EntityDef, items: Prepared[]) => Promise<Map<number, unknown>>;

async function main() {
  const rounds = Number(process.argv[2] ?? 8);
  const baseline = process.env.INGEST_BASELINE_DIR;
  if (!baseline) throw new Error("Set INGEST_BASELINE_DIR to a worktree of the old commit.");
  const old = (await import(path.resolve(baseline, "app/modules/erp/ingest/apply.server.ts"))) as { applyPrepared: Apply };
  const template = await ensureTemplateDatabase();
  const database = await createTestDatabase(template, "ingest_forms");
  const db = createPostgresDb(database.url, { max: 2 });
  try {
    const def = findEntity("invoices")!;
    const raws = Array.from({ length: 500 }, (_, i) => ({ value: invoiceRecord(`forms-${i}`, { lines: 5 }) }));
    const { valid } = validateRecords(def, raws);
    const lookup = createRefLookup();
    for (const v of valid) collectRefs(def, v.record, lookup);
    await lookup.load(db);
    const ids = new Set(valid.map((v) => v.erpId));
    const items = valid.map((v) => {
      const built = prepareRecord(def, v.record, v.index, v.version, lookup, ids);
      if (!built.ok) throw new Error(JSON.stringify(built.errors));
      return built.prepared;
    });
    const forms: [string, Apply][] = [
      ["old (json_populate_recordset)", old.applyPrepared],
      ["new (unnest of column arrays)", applyPrepared as Apply],
    ];
    const once = async (apply: Apply, commit: boolean) => {
      const client = db as unknown as { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> };
      const started = performance.now();
      let ms = 0;
      await client
        .transaction(async (tx) => {
          const outcome = await apply(tx, def, items);
          ms = performance.now() - started;
          if (!commit) throw Object.assign(new Error("rollback"), { rollback: true, outcome });
        })
        .catch((e: { rollback?: boolean }) => {
          if (!e.rollback) throw e;
        });
      return ms;
    };
    for (const [, apply] of forms) await once(apply, false); // warm: plans, type cache
    const first = new Map(forms.map(([name]) => [name, [] as number[]]));
    for (let r = 0; r < rounds; r++) for (const [name, apply] of r % 2 ? [...forms].reverse() : forms) first.get(name)!.push(await once(apply, false));
    await once(forms[1][1], true);
    const replay = new Map(forms.map(([name]) => [name, [] as number[]]));
    for (let r = 0; r < rounds; r++) for (const [name, apply] of r % 2 ? [...forms].reverse() : forms) replay.get(name)!.push(await once(apply, false));
    const show = (label: string, m: Map<string, number[]>) => {
      const [o, n] = forms.map(([name]) => median(m.get(name)!));
      console.log(`${label}: old ${o.toFixed(0)} ms, new ${n.toFixed(0)} ms, new/old ${(n / o).toFixed(2)} (medians of ${rounds}; old ${m.get(forms[0][0])!.map((x) => x.toFixed(0)).join(" ")} | new ${m.get(forms[1][0])!.map((x) => x.toFixed(0)).join(" ")})`);
    };
    show("first delivery (500 new invoices, 2,500 lines)", first);
    show("replay (all unchanged)", replay);
  } finally {
    await db.close();
    await database.drop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
