import { randomUUID } from "node:crypto";
import type { Queryable } from "~/db/db.server";
import type { FieldError } from "../entities/types";
import type { IngestContext, RawRecord } from "./ingest.server";

/**
 * The dead letter: every rejected ERP record, verbatim (raw_payload) and, where it could be built,
 * as a record in the API's shape (record) that staff can fix and replay. A record accepted later
 * under the same ERP id marks older rejections of it as superseded.
 */

export interface RejectedInput {
  raw: RawRecord;
  errors: FieldError[];
  erpId: string | null;
}

const MAX_RAW = 1_000_000;

function rawPayloadOf(raw: RawRecord): string {
  if (raw.raw !== undefined) return raw.raw.slice(0, MAX_RAW);
  try {
    return (JSON.stringify(raw.value) ?? String(raw.value)).slice(0, MAX_RAW);
  } catch {
    return String(raw.value).slice(0, MAX_RAW);
  }
}

function replayable(value: unknown): unknown {
  return typeof value === "object" && value !== null ? value : null;
}

export async function storeRejected(db: Queryable, ctx: IngestContext, entity: string, rejected: RejectedInput[]): Promise<string[]> {
  const rows = rejected.map((r) => ({
    id: randomUUID(),
    import_run_id: ctx.runId,
    source: ctx.source,
    entity,
    erp_id: r.erpId,
    raw_payload: rawPayloadOf(r.raw),
    record: replayable(r.raw.value),
    errors: r.errors,
    line_number: r.raw.line ?? null,
  }));
  await db.query(
    `INSERT INTO rejected_records (id, import_run_id, source, entity, erp_id, raw_payload, record, errors, line_number)
     SELECT id, import_run_id, source, entity, erp_id, raw_payload, record, errors, line_number
       FROM json_populate_recordset(NULL::rejected_records, $1::json)`,
    [JSON.stringify(rows)],
  );
  return rows.map((r) => r.id);
}

/** Open rejections of records now accepted are obsolete. Cheap when there are none (partial index). */
export async function supersedeRejected(db: Queryable, entity: string, erpIds: string[]): Promise<void> {
  if (erpIds.length === 0) return;
  // One statement: with no open rejection of the entity the planner reads the (empty) partial index
  // of open rejections; with some it probes (entity, erp_id).
  await db.query(
    `UPDATE rejected_records SET resolved_at = now(), resolution = 'superseded', resolution_note = 'a later version of the record was accepted'
      WHERE resolved_at IS NULL AND entity = $1 AND erp_id = ANY($2::text[])`,
    [entity, erpIds],
  );
}

export interface RejectedRow {
  id: string;
  importRunId: string | null;
  source: string;
  entity: string;
  erpId: string | null;
  rawPayload: string;
  record: unknown;
  errors: FieldError[];
  lineNumber: number | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  resolutionNote: string | null;
  replayCount: number;
}

const COLUMNS = `id, import_run_id AS "importRunId", source, entity, erp_id AS "erpId", raw_payload AS "rawPayload", record, errors,
  line_number AS "lineNumber", created_at AS "createdAt", resolved_at AS "resolvedAt", resolution, resolution_note AS "resolutionNote",
  replay_count AS "replayCount"`;

export async function listRejected(
  db: Queryable,
  filter: { entity?: string | null; runId?: string | null; open?: boolean; limit?: number } = {},
): Promise<RejectedRow[]> {
  const { rows } = await db.query<RejectedRow>(
    `SELECT ${COLUMNS} FROM rejected_records
      WHERE ($1::text IS NULL OR entity = $1) AND ($2::uuid IS NULL OR import_run_id = $2)
        AND (NOT $3 OR resolved_at IS NULL)
      ORDER BY line_number NULLS LAST, created_at DESC LIMIT $4`,
    [filter.entity ?? null, filter.runId ?? null, filter.open ?? false, filter.limit ?? 200],
  );
  return rows;
}

/** Streams every rejected record of a run (or every open one) in pages, for the CSV report. */
export async function* iterateRejected(db: Queryable, runId: string | null, pageSize = 1000): AsyncGenerator<RejectedRow> {
  let after = -1;
  let afterId = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { rows } = await db.query<RejectedRow>(
      `SELECT ${COLUMNS} FROM rejected_records
        WHERE ($1::uuid IS NULL AND resolved_at IS NULL OR import_run_id = $1)
          AND (coalesce(line_number, -1), id) > ($2, $3::uuid)
        ORDER BY coalesce(line_number, -1), id LIMIT $4`,
      [runId, after, afterId, pageSize],
    );
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = last.lineNumber ?? -1;
    afterId = last.id;
  }
}

export async function getRejected(db: Queryable, id: string): Promise<RejectedRow | null> {
  const { rows } = await db.query<RejectedRow>(`SELECT ${COLUMNS} FROM rejected_records WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function discardRejected(db: Queryable, id: string, userId: string, note: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE rejected_records SET resolved_at = now(), resolved_by = $2, resolution = 'discarded', resolution_note = $3
      WHERE id = $1 AND resolved_at IS NULL`,
    [id, userId, note || "discarded"],
  );
  return rowCount === 1;
}

export async function countOpenRejected(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM rejected_records WHERE resolved_at IS NULL`);
  return rows[0].n;
}
