import { randomUUID } from "node:crypto";
import type { Db } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import { ENTITY_NAMES, findEntity } from "../entities/registry";
import type { EntityDef } from "../entities/types";
import { RecordAssembler, type FlatCell, type FlatRow } from "../feeds/assemble";
import { IngestBatcher } from "../feeds/batcher.server";
import { convertSqlValue, type ConvertOptions } from "../feeds/convert";
import { flatFieldsOf, type FlatField } from "../feeds/fields";
import { addCounts, describeRun, emptyCounts, finishRun, recordRunProgress, startRun, type Counts } from "../runs.server";
import { createSqlClient, type SqlClient, type SqlRow } from "./clients.server";
import { connectionUrlOf, getSource, type SqlQuery, type SqlSource } from "./sources.server";

/**
 * One pull of a SQL source: each entity's query in dependency order (accounts before their
 * documents), from the entity's last good watermark. Records are applied in batches; after each
 * batch commits, its last watermark is stored, so a run that fails part-way resumes where it
 * stopped. Runs of one source never overlap: in this process they queue, across processes a lease
 * on the source row keeps a second runner out.
 */

export interface EntityPullResult {
  entity: string;
  runId: string;
  counts: Counts;
  rowsRead: number;
  since: string | null;
  watermark: string | null;
  error: string | null;
}

export interface PullResult {
  sourceId: string;
  status: "succeeded" | "failed" | "skipped";
  message: string | null;
  entities: EntityPullResult[];
}

const LEASE_SECONDS = 120;

class PullError extends Error {}

/** Orders watermarks: numbers as numbers, dates and text as text (ISO dates sort as text). */
function compareWatermarks(a: string, b: string): number {
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function watermarkText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

async function takeLease(db: Db, sourceId: string, runId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE erp_sql_sources SET lease_run_id = $2, lease_until = now() + make_interval(secs => $3)
      WHERE id = $1 AND (lease_run_id IS NULL OR lease_until < now() OR lease_run_id = $2)`,
    [sourceId, runId, LEASE_SECONDS],
  );
  return rowCount === 1;
}

async function releaseLease(db: Db, sourceId: string, runId: string): Promise<void> {
  await db.query(`UPDATE erp_sql_sources SET lease_run_id = NULL, lease_until = NULL WHERE id = $1 AND lease_run_id = $2`, [sourceId, runId]);
}

async function pullEntity(db: Db, client: SqlClient, source: SqlSource, query: SqlQuery, def: EntityDef, leaseId: string, startedBy: string | null, trigger: string): Promise<EntityPullResult> {
  const runId = await startRun(db, { source: "sql", entity: def.name, sourceName: source.name, sqlSourceId: source.id, startedBy, details: { since: query.watermark, trigger } });
  const { fields } = flatFieldsOf(def);
  const options = { numberFormat: "en" as const, dateFormat: "YYYY-MM-DD" as const, timeZoneOffset: "Z" };
  const assembler = new RecordAssembler(def.rowCollection ?? null, "row");
  let rowsRead = 0;
  let lastWatermark: string | null = null;
  let stored = query.watermark;
  let columns: Column[] | null = null;
  const batcher = new IngestBatcher<string | null>(db, def, { runId, source: "sql" }, source.batchSize, async (outcome, watermarks) => {
    const last = watermarks.filter((w): w is string => w !== null).at(-1) ?? null;
    if (last !== null) {
      await db.query(`UPDATE erp_sql_queries SET watermark = $2, watermark_updated_at = now() WHERE id = $1`, [query.id, last]);
      stored = last;
    }
    await recordRunProgress(db, runId, outcome.counts, { rowsRead });
    if (!(await takeLease(db, source.id, leaseId))) throw new PullError("The source's lease was taken over by another runner.");
  });
  // The watermark a record is done at: that of its last row.
  let groupWatermark: string | null = null;
  try {
    for await (const row of client.rows(query.query, query.watermark)) {
      rowsRead++;
      if (!columns) {
        const names = Object.keys(row);
        if (!names.includes(query.watermarkColumn)) throw new PullError(`The query returns no watermark column "${query.watermarkColumn}".`);
        const unknown = names.filter((n) => n !== query.watermarkColumn && !fields.has(n));
        if (unknown.length > 0) throw new PullError(`The query returns ${unknown.map((n) => `"${n}"`).join(", ")}, not fields of ${def.name}. Fields: ${[...fields.keys()].join(", ")}.`);
        columns = names.map((name) => ({ name, field: fields.get(name) ?? null }));
      }
      const watermark = watermarkText(row[query.watermarkColumn]);
      if (watermark !== null && lastWatermark !== null && compareWatermarks(watermark, lastWatermark) < 0) {
        throw new PullError(`The query must ORDER BY its watermark column "${query.watermarkColumn}": row ${rowsRead} has ${watermark} after ${lastWatermark}.`);
      }
      const done = assembler.push(toFlatRow(row, columns, rowsRead, options));
      if (done) await batcher.add(done, def.rowCollection ? groupWatermark : watermark);
      groupWatermark = watermark;
      if (watermark !== null) lastWatermark = watermark;
    }
    const last = assembler.flush();
    if (last) await batcher.add(last, groupWatermark);
    await batcher.finish();
    await describeRun(db, runId, { details: { watermark: stored } });
    await finishRun(db, runId);
    return { entity: def.name, runId, counts: batcher.counts, rowsRead, since: query.watermark, watermark: stored, error: null };
  } catch (error) {
    await batcher.settle().catch(() => undefined);
    const message = `${(error as Error).message}${stored !== query.watermark ? ` (resumes after watermark ${stored})` : ""}`;
    await describeRun(db, runId, { details: { watermark: stored } }).catch(() => undefined);
    await finishRun(db, runId, message).catch(() => undefined);
    return { entity: def.name, runId, counts: batcher.counts, rowsRead, since: query.watermark, watermark: stored, error: message };
  }
}

interface Column {
  name: string;
  field: FlatField | null;
}

function toFlatRow(row: SqlRow, columns: Column[], line: number, options: ConvertOptions): FlatRow {
  const cells: FlatCell[] = [];
  const errors: FlatRow["errors"] = [];
  for (const { name, field } of columns) {
    if (!field) continue;
    const converted = convertSqlValue(row[name], field.kind, options);
    if (converted.ok) cells.push({ field, value: converted.value, source: name });
    else errors.push({ field, source: name, message: converted.message });
  }
  let raw: string;
  try {
    raw = JSON.stringify(row);
  } catch {
    raw = String(row);
  }
  return { cells, errors, line, raw };
}

const queues = new Map<string, Promise<unknown>>();

/** Pulls every entity of the source (or one); queued behind a run of the same source in this process. */
export function runSqlPull(sourceId: string, options: { startedBy?: string | null; trigger?: "manual" | "schedule"; entity?: string | null } = {}): Promise<PullResult> {
  const previous = queues.get(sourceId) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => pullSource(sourceId, options));
  queues.set(sourceId, run);
  void run.finally(() => {
    if (queues.get(sourceId) === run) queues.delete(sourceId);
  });
  return run;
}

async function pullSource(sourceId: string, options: { startedBy?: string | null; trigger?: "manual" | "schedule"; entity?: string | null }): Promise<PullResult> {
  const db = await getDb();
  const source = await getSource(db, sourceId);
  if (!source) return { sourceId, status: "failed", message: "No such SQL source.", entities: [] };
  const leaseId = randomUUID();
  if (!(await takeLease(db, sourceId, leaseId))) {
    return { sourceId, status: "skipped", message: `"${source.name}" is being pulled by another process; this run was skipped.`, entities: [] };
  }
  const entities: EntityPullResult[] = [];
  let client: SqlClient | null = null;
  try {
    client = createSqlClient(source.kind, connectionUrlOf(source));
    const queries = source.queries.filter((q) => !options.entity || q.entity === options.entity);
    queries.sort((a, b) => ENTITY_NAMES.indexOf(a.entity) - ENTITY_NAMES.indexOf(b.entity));
    for (const query of queries) {
      const def = findEntity(query.entity);
      if (!def) continue;
      const result = await pullEntity(db, client, source, query, def, leaseId, options.startedBy ?? null, options.trigger ?? "manual");
      entities.push(result);
      if (result.error) break; // later entities may depend on this one: stop, the next run resumes here
    }
    const failed = entities.find((e) => e.error);
    return { sourceId, status: failed ? "failed" : "succeeded", message: failed ? `${failed.entity}: ${failed.error}` : null, entities };
  } catch (error) {
    return { sourceId, status: "failed", message: (error as Error).message, entities };
  } finally {
    await client?.close().catch(() => undefined);
    await releaseLease(db, sourceId, leaseId);
  }
}

export function totalCounts(result: PullResult): Counts {
  return result.entities.reduce((sum, e) => addCounts(sum, e.counts), emptyCounts());
}
