import { z } from "zod";
import type { Db, Queryable } from "~/db/db.server";
import { collectRefs, prepareRecord, type Prepared } from "../entities/rows";
import type { EntityDef, FieldError, Row } from "../entities/types";
import { recordVersion } from "../schemas/fields";
import { emptyCounts, type Counts } from "../runs.server";
import { applyPrepared, type WriteOutcome } from "./apply.server";
import { isRecordError, isRetryable, recordErrors } from "./db-errors";
import { storeRejected, supersedeRejected } from "./dead-letter.server";
import { createRefLookup } from "./refs.server";

/**
 * One batch of one entity, from any source (API, CSV, SQL, replay): validate every record with the
 * entity's schema, resolve references in bulk, write all valid records in one transaction, and
 * answer per record. When the database refuses the batch, the records are written again one by one,
 * each under its own savepoint, so only the bad one is rejected. Rejected records go to the dead letter with their
 * raw payload; nothing is lost and nothing is half-applied.
 */

export interface RawRecord {
  /** The record as received (a parsed JSON value, or the object a CSV / SQL row was mapped to). */
  value: unknown;
  /** The payload exactly as received, when it is not the JSON of `value` (CSV rows). */
  raw?: string;
  /** CSV: the first line of the record; SQL: the row number. */
  line?: number;
  /** Reasons found before the schema (a CSV value that is not a German number, …). */
  preErrors?: FieldError[];
}

export type RecordStatus = "accepted" | "unchanged" | "rejected";

export interface RecordResult {
  index: number;
  erpId: string | null;
  status: RecordStatus;
  action?: WriteOutcome | "deleted";
  reason?: string;
  errors?: FieldError[];
  rejectedRecordId?: string;
  line?: number;
}

export interface BatchOutcome {
  results: RecordResult[];
  counts: Counts;
}

export interface IngestContext {
  runId: string;
  source: "api" | "csv" | "sql" | "replay";
}

interface Valid {
  index: number;
  erpId: string;
  version: number;
  record: Row;
}

/** zod issues → field reasons; an unknown field is named ("is not a field of invoice"). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], label: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) errors.push({ path: base ? `${base}.${key}` : key, message: `is not a field of ${base ? "this entry" : label}` });
    } else errors.push({ path: base || "record", message: issue.message });
  }
  return errors;
}

export function erpIdOf(value: unknown): string | null {
  if (value && typeof value === "object" && "erpId" in value) {
    const id = (value as { erpId: unknown }).erpId;
    if (typeof id === "string" && id.trim()) return id.trim().slice(0, 200);
  }
  return null;
}

function isPlainObject(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The highest version of each ERP id wins within a batch; the others are answered as superseded. */
function dedupe(valid: Valid[], results: RecordResult[]): Valid[] {
  const best = new Map<string, Valid>();
  for (const v of valid) {
    const current = best.get(v.erpId);
    if (!current || v.version >= current.version) best.set(v.erpId, v);
  }
  for (const v of valid) {
    const winner = best.get(v.erpId)!;
    if (winner !== v) {
      results[v.index] = { index: v.index, erpId: v.erpId, status: "unchanged", reason: `superseded by record ${winner.index} of this batch (version ${winner.version})` };
    }
  }
  return [...best.values()].sort((a, b) => a.index - b.index);
}

/** Records whose same-table reference points at another record of the batch go after it. */
function referencedFirst(items: Prepared[]): Prepared[] {
  const byErpId = new Map(items.map((p) => [p.erpId, p]));
  const done = new Set<Prepared>();
  const out: Prepared[] = [];
  const visit = (p: Prepared, depth: number) => {
    if (done.has(p) || depth > items.length) return;
    for (const ref of p.selfRefs.values()) {
      const target = ref ? byErpId.get(ref) : undefined;
      if (target && target !== p) visit(target, depth + 1);
    }
    if (!done.has(p)) {
      done.add(p);
      out.push(p);
    }
  };
  for (const p of items) visit(p, 0);
  return out;
}

/**
 * The fallback when a set-based write is refused: the items one by one in one transaction, each
 * under its own savepoint, so a record the database refuses is rolled back whole and the others
 * apply (one commit, not one per record). A deadlock or serialization failure aborts the whole
 * transaction; it is retried from the start. Returns each item's value or its field reasons.
 */
export async function applyEach<I, T>(
  db: Db,
  def: EntityDef,
  items: readonly I[],
  write: (tx: Queryable, item: I) => Promise<T>,
): Promise<({ ok: true; value: T } | { ok: false; errors: FieldError[] })[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const done: ({ ok: true; value: T } | { ok: false; errors: FieldError[] })[] = [];
        for (const item of items) {
          await tx.query(`SAVEPOINT erp_record`);
          try {
            const value = await write(tx, item);
            await tx.query(`RELEASE SAVEPOINT erp_record`);
            done.push({ ok: true, value });
          } catch (error) {
            if (!isRecordError(error)) throw error;
            await tx.query(`ROLLBACK TO SAVEPOINT erp_record`);
            done.push({ ok: false, errors: recordErrors(def, error) });
          }
        }
        return done;
      });
    } catch (error) {
      if (isRetryable(error) && attempt < 4) continue;
      throw error;
    }
  }
}

/** Why a record that was valid did not change anything: stored rows and tombstones in one query. */
async function explainUnchanged(db: Queryable, def: EntityDef, erpIds: string[]): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (erpIds.length === 0) return reasons;
  const { rows } = await db.query<{ erp_id: string; erp_version: number; deleted: boolean }>(
    `SELECT erp_id, erp_version, false AS deleted FROM ${def.table} WHERE erp_id = ANY($2::text[])
     UNION ALL
     SELECT erp_id, erp_version, true FROM erp_tombstones WHERE table_name = $1 AND erp_id = ANY($2::text[])`,
    [def.table, erpIds],
  );
  for (const row of rows) if (!row.deleted) reasons.set(row.erp_id, `version ${row.erp_version} is already stored (the same or newer)`);
  for (const row of rows) if (row.deleted && !reasons.has(row.erp_id)) reasons.set(row.erp_id, `deleted at version ${row.erp_version}; send a newer version to bring it back`);
  return reasons;
}

async function applyValid(db: Db, def: EntityDef, valid: Valid[], results: RecordResult[]): Promise<void> {
  if (def.custom) {
    const custom = def.custom;
    const applied = await applyEach(db, def, valid, (tx, v) => custom.apply(tx, v.record, v.version));
    valid.forEach((v, i) => {
      const done = applied[i];
      if (!done.ok) results[v.index] = { index: v.index, erpId: v.erpId, status: "rejected", errors: done.errors };
      else if (done.value === "unchanged") results[v.index] = { index: v.index, erpId: v.erpId, status: "unchanged", reason: "the same or a newer version is already stored" };
      else results[v.index] = { index: v.index, erpId: v.erpId, status: "accepted", action: done.value };
    });
    return;
  }
  const lookup = createRefLookup();
  for (const v of valid) collectRefs(def, v.record, lookup);
  await lookup.load(db);
  const batchErpIds = new Set(valid.map((v) => v.erpId));
  const prepared: Prepared[] = [];
  for (const v of valid) {
    const built = prepareRecord(def, v.record, v.index, v.version, lookup, batchErpIds);
    if (built.ok) prepared.push(built.prepared);
    else results[v.index] = { index: v.index, erpId: v.erpId, status: "rejected", errors: built.errors };
  }
  let outcomes: Map<number, WriteOutcome>;
  try {
    outcomes = await db.transaction((tx) => applyPrepared(tx, def, prepared));
  } catch (error) {
    if (!isRecordError(error) && !isRetryable(error)) throw error;
    outcomes = new Map();
    const ordered = referencedFirst(prepared);
    const applied = await applyEach(db, def, ordered, (tx, item) => applyPrepared(tx, def, [item]));
    ordered.forEach((item, i) => {
      const done = applied[i];
      if (done.ok) for (const [index, outcome] of done.value) outcomes.set(index, outcome);
      else results[item.index] = { index: item.index, erpId: item.erpId, status: "rejected", errors: done.errors };
    });
  }
  const unchanged = prepared.filter((p) => !outcomes.has(p.index) && !results[p.index]);
  const reasons = await explainUnchanged(db, def, unchanged.map((p) => p.erpId));
  for (const p of prepared) {
    if (results[p.index]) continue;
    const outcome = outcomes.get(p.index);
    results[p.index] = outcome
      ? { index: p.index, erpId: p.erpId, status: "accepted", action: outcome }
      : { index: p.index, erpId: p.erpId, status: "unchanged", reason: reasons.get(p.erpId) ?? "the same or a newer version is already stored" };
  }
}

/** Counts, the dead letter and the supersede bookkeeping every batch ends with. */
export async function settleBatch(db: Db, def: EntityDef, raws: RawRecord[], results: RecordResult[], ctx: IngestContext): Promise<BatchOutcome> {
  const counts = emptyCounts();
  const rejected: { index: number; result: RecordResult }[] = [];
  for (const result of results) {
    if (result.status === "rejected") rejected.push({ index: result.index, result });
    else if (result.status === "unchanged") counts.unchanged++;
    else if (result.action === "inserted") counts.inserted++;
    else if (result.action === "updated") counts.updated++;
    else if (result.action === "deleted") counts.deleted++;
    if (raws[result.index]?.line !== undefined) result.line = raws[result.index].line;
  }
  counts.rejected = rejected.length;
  if (rejected.length > 0) {
    const ids = await storeRejected(db, ctx, def.name, rejected.map(({ index, result }) => ({ raw: raws[index], errors: result.errors ?? [], erpId: result.erpId })));
    rejected.forEach(({ result }, i) => (result.rejectedRecordId = ids[i]));
  }
  const accepted = results.filter((r) => r.status === "accepted" && r.erpId).map((r) => r.erpId!);
  await supersedeRejected(db, def.name, accepted);
  return { results, counts };
}

/** The schema's verdict on a batch, before any database work: CPU only, so a feed can validate the next batch while the last one is written. */
export interface Validated {
  results: RecordResult[];
  valid: Valid[];
}

const compiled = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The entity's schema compiled ahead of time (zod's `z.compile`): a generated parser takes a valid
 * record in one pass, about a third less CPU for a batch of invoices than the runtime's walk over
 * the schema tree (decision 022, addendum 2). On any record it cannot pass it hands over to the
 * runtime parser, so every refusal and every reason is the runtime's own; a schema it cannot compile
 * comes back unchanged. `schemas/compiled.test.ts` compares the two on valid and broken records.
 */
export function parserOf(def: EntityDef): z.ZodType {
  let schema = compiled.get(def.schema);
  if (!schema) compiled.set(def.schema, (schema = z.compile(def.schema)));
  return schema;
}

export function validateRecords(def: EntityDef, raws: RawRecord[]): Validated {
  const schema = parserOf(def);
  const results: RecordResult[] = new Array(raws.length);
  const valid: Valid[] = [];
  raws.forEach((raw, index) => {
    const erpId = erpIdOf(raw.value);
    if (raw.preErrors && raw.preErrors.length > 0) {
      // Report the schema's reasons too, except for fields already named.
      const named = new Set(raw.preErrors.map((e) => e.path));
      const parsed = isPlainObject(raw.value) ? schema.safeParse(raw.value) : null;
      const more = parsed && !parsed.success ? formatIssues(parsed.error.issues, def.label).filter((e) => !named.has(e.path)) : [];
      results[index] = { index, erpId, status: "rejected", errors: [...raw.preErrors, ...more] };
      return;
    }
    if (!isPlainObject(raw.value)) {
      results[index] = { index, erpId, status: "rejected", errors: [{ path: "record", message: `must be a JSON object (one ${def.label})` }] };
      return;
    }
    const parsed = schema.safeParse(raw.value);
    if (!parsed.success) {
      results[index] = { index, erpId, status: "rejected", errors: formatIssues(parsed.error.issues, def.label) };
      return;
    }
    const record = parsed.data as Row & { erpId: string; erpVersion?: number; erpUpdatedAt?: string };
    valid.push({ index, erpId: record.erpId, version: recordVersion(record), record });
  });
  return { results, valid: dedupe(valid, results) };
}

/** Writes what validateRecords let through, then answers for the whole batch. */
export async function applyValidated(db: Db, def: EntityDef, raws: RawRecord[], validated: Validated, ctx: IngestContext): Promise<BatchOutcome> {
  await applyValid(db, def, validated.valid, validated.results);
  return settleBatch(db, def, raws, validated.results, ctx);
}

/** Validates and applies a batch of upserts of one entity. */
export async function ingestRecords(db: Db, def: EntityDef, raws: RawRecord[], ctx: IngestContext): Promise<BatchOutcome> {
  return applyValidated(db, def, raws, validateRecords(def, raws), ctx);
}
