import type { Queryable } from "~/db/db.server";
import type { Prepared } from "../entities/rows";
import { FieldErrorsError, type ChildSpec, type EntityDef, type Row } from "../entities/types";

/**
 * Writes prepared records set-based: one upsert for all headers, then per child table one delete of
 * stale rows and one insert/upsert, all inside the caller's transaction. A header is written only
 * when its version is newer than the stored one and no tombstone of that version or newer exists;
 * only the children of headers actually written are touched, so a record is applied whole or not
 * at all. Rows go in as one JSON parameter per statement (json_populate_recordset converts types in
 * the database, the same on Postgres and PGlite).
 */

export type WriteOutcome = "inserted" | "updated";

const IDENT = /^[a-z_][a-z0-9_]*$/;

function columnList(rows: Row[]): string[] {
  const columns = Object.keys(rows[0]);
  for (const c of columns) if (!IDENT.test(c)) throw new Error(`bad column name ${c}`);
  return columns;
}

const quoted = (columns: string[]) => columns.map((c) => `"${c}"`).join(", ");

async function upsertHeaders(tx: Queryable, def: EntityDef, items: Prepared[], wantRows: boolean) {
  const rows = items.map((p) => p.header);
  const columns = columnList(rows);
  const updates = columns.filter((c) => c !== "erp_id").map((c) => `"${c}" = EXCLUDED."${c}"`);
  const { rows: written } = await tx.query<Row & { id: string; erp_id: string; inserted: boolean }>(
    `INSERT INTO ${def.table} AS t (${quoted(columns)})
     SELECT ${quoted(columns)} FROM json_populate_recordset(NULL::${def.table}, $1::json) r
      WHERE NOT EXISTS (SELECT 1 FROM erp_tombstones d
                         WHERE d.table_name = '${def.table}' AND d.erp_id = r.erp_id AND d.erp_version >= r.erp_version)
     ON CONFLICT (erp_id) DO UPDATE SET ${updates.join(", ")}
      WHERE t.erp_version < EXCLUDED.erp_version
     RETURNING ${wantRows ? "t.*, " : "t.id, t.erp_id, "}(t.xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  return written;
}

/** Same-table references (parent account, preceding invoice): the target may have come in this batch. */
async function resolveSelfRefs(tx: Queryable, def: EntityDef, winners: { id: string; inserted: boolean; item: Prepared }[]) {
  for (const self of def.selfRefs) {
    // A header just inserted without a reference already has none (the column is not in the upsert).
    const pairs = winners
      .map((w) => ({ id: w.id, ref: w.item.selfRefs.get(self.column) ?? null, inserted: w.inserted }))
      .filter((p) => p.ref !== null || !p.inserted)
      .map(({ id, ref }) => ({ id, ref }));
    if (pairs.length === 0) continue;
    const { rows } = await tx.query<{ id: string; ref: string | null; target: string | null }>(
      `WITH r AS (SELECT * FROM json_to_recordset($1::json) AS r(id uuid, ref text)),
            m AS (SELECT r.id, r.ref, p.id AS target FROM r LEFT JOIN ${def.table} p ON p.erp_id = r.ref),
            u AS (UPDATE ${def.table} t SET ${self.column} = m.target FROM m
                   WHERE t.id = m.id AND (m.ref IS NULL OR m.target IS NOT NULL) AND t.${self.column} IS DISTINCT FROM m.target)
       SELECT id, ref, target FROM m WHERE m.ref IS NOT NULL AND m.target IS NULL`,
      [JSON.stringify(pairs)],
    );
    if (rows.length > 0) {
      throw new FieldErrorsError([{ path: self.field, message: `no ${self.label} with ERP id "${rows[0].ref}" (send it first, or in the same batch)` }]);
    }
  }
  if (def.table === "accounts" && def.selfRefs.length > 0) await assertNoAccountCycle(tx, winners.map((w) => w.id));
}

async function assertNoAccountCycle(tx: Queryable, ids: string[]) {
  const { rows } = await tx.query<{ erp_id: string }>(
    `WITH RECURSIVE up (start, id, depth) AS (
       SELECT a.id, a.parent_id, 1 FROM accounts a WHERE a.id = ANY($1::uuid[]) AND a.parent_id IS NOT NULL
       UNION ALL
       SELECT up.start, a.parent_id, up.depth + 1 FROM up JOIN accounts a ON a.id = up.id
        WHERE a.parent_id IS NOT NULL AND up.id <> up.start AND up.depth < 100)
     SELECT a.erp_id FROM up JOIN accounts a ON a.id = up.start WHERE up.id = up.start LIMIT 1`,
    [ids],
  );
  if (rows.length > 0) {
    throw new FieldErrorsError([{ path: "parentErpId", message: `would make account "${rows[0].erp_id}" its own ancestor` }]);
  }
}

async function writeChildren(tx: Queryable, spec: ChildSpec, winners: { id: string; inserted: boolean; item: Prepared }[]) {
  const relevant = winners.filter((w) => w.item.children.get(spec.table) !== undefined);
  if (relevant.length === 0) return;
  const updatedParents = relevant.filter((w) => !w.inserted).map((w) => w.id);
  const updatedSet = new Set(updatedParents);
  const rows: Row[] = [];
  for (const w of relevant) for (const child of w.item.children.get(spec.table) ?? []) rows.push({ ...child, [spec.parentColumn]: w.id });
  if (spec.keyColumns) {
    // Children of new headers are plain inserts (an ERP id another document's line already has is an
    // error, not a takeover); children of updated headers are upserted by ERP id and keep their ids.
    const fresh = rows.filter((r) => !updatedSet.has(String(r[spec.parentColumn])));
    const kept = rows.filter((r) => updatedSet.has(String(r[spec.parentColumn])));
    if (updatedParents.length > 0) {
      const keyMatch = spec.keyColumns.map((k) => `k.${k} IS NOT DISTINCT FROM c.${k}`).join(" AND ");
      await tx.query(
        `DELETE FROM ${spec.table} c WHERE c.${spec.parentColumn} = ANY($1::uuid[])
           AND NOT EXISTS (SELECT 1 FROM json_populate_recordset(NULL::${spec.table}, $2::json) k
                            WHERE k.${spec.parentColumn} = c.${spec.parentColumn} AND ${keyMatch})`,
        [updatedParents, JSON.stringify(kept.map((r) => Object.fromEntries([spec.parentColumn, ...spec.keyColumns!].map((k) => [k, r[k]]))))],
      );
    }
    if (fresh.length > 0) await insertRows(tx, spec.table, fresh);
    if (kept.length === 0) return;
    kept.sort((a, b) => String(a.erp_id).localeCompare(String(b.erp_id)));
    const columns = columnList(kept);
    const compared = columns.filter((c) => c !== "erp_id" && c !== "erp_version");
    await tx.query(
      `INSERT INTO ${spec.table} AS t (${quoted(columns)})
       SELECT ${quoted(columns)} FROM json_populate_recordset(NULL::${spec.table}, $1::json)
       ON CONFLICT (erp_id) DO UPDATE SET ${columns.filter((c) => c !== "erp_id").map((c) => `"${c}" = EXCLUDED."${c}"`).join(", ")}
        WHERE (${compared.map((c) => `t."${c}"`).join(", ")}) IS DISTINCT FROM (${compared.map((c) => `EXCLUDED."${c}"`).join(", ")})`,
      [JSON.stringify(kept)],
    );
    return;
  }
  if (updatedParents.length > 0) await tx.query(`DELETE FROM ${spec.table} WHERE ${spec.parentColumn} = ANY($1::uuid[])`, [updatedParents]);
  if (rows.length > 0) await insertRows(tx, spec.table, rows);
}

async function insertRows(tx: Queryable, table: string, rows: Row[]) {
  const columns = columnList(rows);
  await tx.query(`INSERT INTO ${table} (${quoted(columns)}) SELECT ${quoted(columns)} FROM json_populate_recordset(NULL::${table}, $1::json)`, [
    JSON.stringify(rows),
  ]);
}

/**
 * Applies valid, de-duplicated records of one entity in the caller's transaction. Returns what
 * happened to each record written, by batch index; records not in the map were older than (or the
 * same version as) what is stored, or deleted at that version or later.
 */
export async function applyPrepared(tx: Queryable, def: EntityDef, items: Prepared[]): Promise<Map<number, WriteOutcome>> {
  const outcomes = new Map<number, WriteOutcome>();
  if (items.length === 0) return outcomes;
  // One lock order for every writer: concurrent batches with overlapping records cannot deadlock.
  const sorted = [...items].sort((a, b) => a.erpId.localeCompare(b.erpId));
  const written = await upsertHeaders(tx, def, sorted, Boolean(def.afterWrite));
  const byErpId = new Map(sorted.map((p) => [p.erpId, p]));
  const winners = written.map((w) => ({ id: w.id, inserted: w.inserted, item: byErpId.get(w.erp_id)! }));
  for (const w of winners) outcomes.set(w.item.index, w.inserted ? "inserted" : "updated");
  if (winners.length === 0) return outcomes;
  if (def.selfRefs.length > 0) await resolveSelfRefs(tx, def, winners);
  for (const spec of def.children) await writeChildren(tx, spec, winners);
  if (def.afterWrite) await def.afterWrite(tx, written);
  return outcomes;
}
