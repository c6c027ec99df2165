import { randomUUID } from "node:crypto";
import type { Queryable } from "~/db/db.server";

/**
 * Import runs: one per API batch, CSV file or SQL pull, with counts, progress and liveness. A run
 * still "running" whose heartbeat is older than a minute was interrupted (its process ended).
 */

export type RunSource = "api" | "csv" | "sql" | "replay";

export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
}

export const emptyCounts = (): Counts => ({ inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 });

export function addCounts(into: Counts, more: Counts): Counts {
  for (const key of Object.keys(into) as (keyof Counts)[]) into[key] += more[key];
  return into;
}

export interface StartRun {
  source: RunSource;
  entity: string | null;
  sourceName?: string | null;
  apiKeyId?: string | null;
  startedBy?: string | null;
  sqlSourceId?: string | null;
  fileName?: string | null;
  bytesTotal?: number | null;
  details?: Record<string, unknown>;
}

export async function startRun(db: Queryable, run: StartRun): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO import_runs (id, source, entity, source_name, api_key_id, started_by, sql_source_id, file_name, bytes_total, details, heartbeat_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())`,
    [
      id,
      run.source === "replay" ? "replay" : run.source,
      run.entity,
      run.sourceName ?? null,
      run.apiKeyId ?? null,
      run.startedBy ?? null,
      run.sqlSourceId ?? null,
      run.fileName ?? null,
      run.bytesTotal ?? null,
      JSON.stringify(run.details ?? {}),
    ],
  );
  return id;
}

/** Adds a batch's counts and progress; also the heartbeat that tells a live run from an interrupted one. */
export async function recordRunProgress(db: Queryable, runId: string, counts: Counts, progress: { rowsRead?: number; bytesRead?: number } = {}): Promise<void> {
  await db.query(
    `UPDATE import_runs SET inserted_count = inserted_count + $2, updated_count = updated_count + $3,
            unchanged_count = unchanged_count + $4, rejected_count = rejected_count + $5, deleted_count = deleted_count + $6,
            rows_read = coalesce($7, rows_read), bytes_read = coalesce($8, bytes_read), heartbeat_at = now()
      WHERE id = $1`,
    [runId, counts.inserted, counts.updated, counts.unchanged, counts.rejected, counts.deleted, progress.rowsRead ?? null, progress.bytesRead ?? null],
  );
}

/** What became known after the start: the file's size, its detected format. */
export async function describeRun(db: Queryable, runId: string, info: { bytesTotal?: number; details?: Record<string, unknown> }): Promise<void> {
  await db.query(`UPDATE import_runs SET bytes_total = coalesce($2, bytes_total), details = details || $3::jsonb, heartbeat_at = now() WHERE id = $1`, [
    runId,
    info.bytesTotal ?? null,
    JSON.stringify(info.details ?? {}),
  ]);
}

export async function mergeRunDetails(db: Queryable, runId: string, details: Record<string, unknown>): Promise<void> {
  await db.query(`UPDATE import_runs SET details = details || $2::jsonb WHERE id = $1`, [runId, JSON.stringify(details)]);
}

/** Ends a run: failed with an error; partial when records were rejected; succeeded otherwise. */
export async function finishRun(db: Queryable, runId: string, error?: string | null): Promise<void> {
  await db.query(
    `UPDATE import_runs SET finished_at = now(), heartbeat_at = now(), error = $2,
            status = CASE WHEN $2::text IS NOT NULL THEN 'failed' WHEN rejected_count > 0 THEN 'partial' ELSE 'succeeded' END
      WHERE id = $1`,
    [runId, error ?? null],
  );
}

/**
 * recordRunProgress and finishRun in one statement (one round trip and one commit less per API
 * batch): the counts are added first, so the status sees this batch's rejections.
 */
export async function finishRunWithProgress(
  db: Queryable,
  runId: string,
  counts: Counts,
  progress: { rowsRead?: number; bytesRead?: number } = {},
): Promise<void> {
  await db.query(
    `UPDATE import_runs SET inserted_count = inserted_count + $2, updated_count = updated_count + $3,
            unchanged_count = unchanged_count + $4, rejected_count = rejected_count + $5, deleted_count = deleted_count + $6,
            rows_read = coalesce($7, rows_read), bytes_read = coalesce($8, bytes_read), heartbeat_at = now(), finished_at = now(), error = NULL,
            status = CASE WHEN rejected_count + $5 > 0 THEN 'partial' ELSE 'succeeded' END
      WHERE id = $1`,
    [runId, counts.inserted, counts.updated, counts.unchanged, counts.rejected, counts.deleted, progress.rowsRead ?? null, progress.bytesRead ?? null],
  );
}

export interface RunRow {
  id: string;
  source: string;
  entity: string | null;
  sourceName: string | null;
  fileName: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  status: string;
  interrupted: boolean;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
  rowsRead: number;
  bytesRead: number;
  bytesTotal: number | null;
  durationMs: number | null;
  error: string | null;
  details: Record<string, unknown>;
  openRejected: number;
}

const RUN_COLUMNS = `r.id, r.source, r.entity, coalesce(r.source_name, k.name, s.name) AS "sourceName", r.file_name AS "fileName",
  r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.status,
  (r.status = 'running' AND coalesce(r.heartbeat_at, r.started_at) < now() - interval '1 minute') AS interrupted,
  r.inserted_count AS inserted, r.updated_count AS updated, r.unchanged_count AS unchanged, r.rejected_count AS rejected,
  r.deleted_count AS deleted, r.rows_read AS "rowsRead", r.bytes_read AS "bytesRead", r.bytes_total AS "bytesTotal",
  (extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at) * 1000)::bigint AS "durationMs", r.error, r.details,
  (SELECT count(*) FROM rejected_records x WHERE x.import_run_id = r.id AND x.resolved_at IS NULL) AS "openRejected"`;

export async function listRuns(
  db: Queryable,
  filter: { source?: string | null; sourceName?: string | null; limit?: number } = {},
): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS}
       FROM import_runs r LEFT JOIN api_keys k ON k.id = r.api_key_id LEFT JOIN erp_sql_sources s ON s.id = r.sql_source_id
      WHERE ($1::text IS NULL OR r.source = $1) AND ($2::text IS NULL OR coalesce(r.source_name, k.name, s.name) = $2)
      ORDER BY r.started_at DESC LIMIT $3`,
    [filter.source ?? null, filter.sourceName ?? null, filter.limit ?? 100],
  );
  return rows;
}

export async function getRun(db: Queryable, runId: string): Promise<RunRow | null> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS}
       FROM import_runs r LEFT JOIN api_keys k ON k.id = r.api_key_id LEFT JOIN erp_sql_sources s ON s.id = r.sql_source_id
      WHERE r.id = $1`,
    [runId],
  );
  return rows[0] ?? null;
}

/** Source names seen in the history, for the filter of the admin page. */
export async function listRunSources(db: Queryable): Promise<{ source: string; sourceName: string }[]> {
  const { rows } = await db.query<{ source: string; sourceName: string }>(
    `SELECT DISTINCT r.source, coalesce(r.source_name, k.name, s.name, '') AS "sourceName"
       FROM import_runs r LEFT JOIN api_keys k ON k.id = r.api_key_id LEFT JOIN erp_sql_sources s ON s.id = r.sql_source_id
      ORDER BY 1, 2`,
  );
  return rows;
}
