import { z } from "zod";
import type { Db, Queryable } from "~/db/db.server";
import type { EntityDef, Row } from "../entities/types";
import { erpId, erpUpdatedAt, erpVersion, recordVersion } from "../schemas/fields";
import { isRecordError, isRetryable } from "./db-errors";
import { applyEach, erpIdOf, formatIssues, settleBatch, type BatchOutcome, type IngestContext, type RawRecord, type RecordResult } from "./ingest.server";

/**
 * Deletes by ERP id. A delete carries a version too (or deletes the stored one): a stored version
 * newer than the delete wins. Every delete leaves a tombstone with its version, so a late replay of
 * an older upsert cannot bring the record back; a newer version can. Children go with their header
 * (ON DELETE CASCADE); a record other records still point at is rejected with the reason.
 */

export const DeleteRecordSchema = z.strictObject({
  erpId: erpId(),
  erpVersion: erpVersion().optional(),
  erpUpdatedAt: erpUpdatedAt().optional(),
});

interface Target {
  index: number;
  erpId: string;
  version: number | null;
}

async function deleteSet(tx: Queryable, def: EntityDef, targets: { erp_id: string; erp_version: number }[]): Promise<Row[]> {
  if (def.custom) {
    const gone: Row[] = [];
    for (const t of targets) {
      if (await def.custom.remove(tx, t.erp_id, t.erp_version)) gone.push({ erp_id: t.erp_id });
    }
    await tombstone(tx, def, targets);
    return gone;
  }
  const { rows } = await tx.query<Row>(
    `WITH r AS (SELECT * FROM json_to_recordset($1::json) AS r(erp_id text, erp_version bigint))
     DELETE FROM ${def.table} t USING r WHERE t.erp_id = r.erp_id AND t.erp_version <= r.erp_version RETURNING t.*`,
    [JSON.stringify(targets)],
  );
  await tombstone(tx, def, targets);
  if (def.afterWrite && rows.length > 0) await def.afterWrite(tx, rows);
  return rows;
}

async function tombstone(tx: Queryable, def: EntityDef, targets: { erp_id: string; erp_version: number }[]) {
  await tx.query(
    `INSERT INTO erp_tombstones (table_name, erp_id, erp_version)
     SELECT $2, r.erp_id, r.erp_version FROM json_to_recordset($1::json) AS r(erp_id text, erp_version bigint)
      WHERE NOT EXISTS (SELECT 1 FROM ${def.table} x WHERE x.erp_id = r.erp_id AND x.erp_version > r.erp_version)
     ON CONFLICT (table_name, erp_id) DO UPDATE SET erp_version = greatest(erp_tombstones.erp_version, EXCLUDED.erp_version), deleted_at = now()`,
    [JSON.stringify(targets), def.table],
  );
}

export async function deleteRecords(db: Db, def: EntityDef, raws: RawRecord[], ctx: IngestContext): Promise<BatchOutcome> {
  const results: RecordResult[] = new Array(raws.length);
  const targets: Target[] = [];
  raws.forEach((raw, index) => {
    const parsed = DeleteRecordSchema.safeParse(raw.value);
    if (!parsed.success) {
      results[index] = { index, erpId: erpIdOf(raw.value), status: "rejected", errors: formatIssues(parsed.error.issues, "delete") };
      return;
    }
    const given = parsed.data.erpVersion !== undefined || parsed.data.erpUpdatedAt !== undefined;
    targets.push({ index, erpId: parsed.data.erpId, version: given ? recordVersion(parsed.data) : null });
  });
  const stored = await db.query<{ erp_id: string; erp_version: number }>(`SELECT erp_id, erp_version FROM ${def.table} WHERE erp_id = ANY($1::text[])`, [
    targets.map((t) => t.erpId),
  ]);
  const storedVersion = new Map(stored.rows.map((r) => [r.erp_id, r.erp_version]));
  const effective: (Target & { version: number })[] = [];
  for (const t of targets) {
    const version = t.version ?? storedVersion.get(t.erpId);
    if (version === undefined) results[t.index] = { index: t.index, erpId: t.erpId, status: "unchanged", reason: `no ${def.label} with this ERP id` };
    else effective.push({ ...t, version });
  }
  // The latest delete of an ERP id in the batch counts.
  const latest = new Map<string, Target & { version: number }>();
  for (const t of effective) if ((latest.get(t.erpId)?.version ?? -1) <= t.version) latest.set(t.erpId, t);
  const toRows = (list: (Target & { version: number })[]) => list.map((t) => ({ erp_id: t.erpId, erp_version: t.version }));
  let goneIds: Set<string>;
  try {
    goneIds = new Set((await db.transaction((tx) => deleteSet(tx, def, toRows([...latest.values()])))).map((r) => String(r.erp_id)));
  } catch (error) {
    if (!isRecordError(error) && !isRetryable(error)) throw error;
    goneIds = new Set();
    const each = [...latest.values()];
    const applied = await applyEach(db, def, each, (tx, t) => deleteSet(tx, def, toRows([t])));
    each.forEach((t, i) => {
      const done = applied[i];
      if (!done.ok) results[t.index] = { index: t.index, erpId: t.erpId, status: "rejected", errors: done.errors };
      else if (done.value.length > 0) goneIds.add(t.erpId);
    });
  }
  for (const t of effective) {
    if (results[t.index]) continue;
    const stored = storedVersion.get(t.erpId);
    if (latest.get(t.erpId) === t && goneIds.has(t.erpId)) results[t.index] = { index: t.index, erpId: t.erpId, status: "accepted", action: "deleted" };
    else if (stored !== undefined && stored > t.version) {
      results[t.index] = { index: t.index, erpId: t.erpId, status: "unchanged", reason: `a newer version (${stored}) is stored` };
    } else results[t.index] = { index: t.index, erpId: t.erpId, status: "unchanged", reason: "already deleted (remembered with its version)" };
  }
  // A rejected delete is replayable as a delete.
  const marked = raws.map((raw, i) =>
    results[i]?.status === "rejected" && raw.value && typeof raw.value === "object" ? { ...raw, value: { operation: "delete", ...(raw.value as Row) } } : raw,
  );
  return settleBatch(db, def, marked, results, ctx);
}
