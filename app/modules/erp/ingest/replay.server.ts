import type { Db } from "~/db/db.server";
import { findEntity } from "../entities/registry";
import type { Row } from "../entities/types";
import { finishRun, recordRunProgress, startRun } from "../runs.server";
import { getRejected } from "./dead-letter.server";
import { deleteRecords } from "./delete.server";
import { ingestRecords, type RecordResult } from "./ingest.server";

/**
 * Replays a dead-letter record, as stored or as fixed by staff, through the same pipeline as the
 * API. Applied (or found already applied): the dead-letter entry is resolved as replayed. Rejected
 * again: the entry keeps the new reasons and the edited record, so the next fix starts from there.
 */

export type ReplayResult =
  | { ok: true; result: RecordResult }
  | { ok: false; message: string; result?: RecordResult };

export async function replayRejected(db: Db, id: string, options: { userId: string; editedJson?: string | null }): Promise<ReplayResult> {
  const stored = await getRejected(db, id);
  if (!stored) return { ok: false, message: "No such rejected record." };
  if (stored.resolvedAt) return { ok: false, message: `This record was already resolved (${stored.resolution}).` };
  const def = findEntity(stored.entity);
  if (!def) return { ok: false, message: `Unknown entity "${stored.entity}".` };
  let value: unknown = stored.record;
  if (options.editedJson != null && options.editedJson.trim() !== "") {
    try {
      value = JSON.parse(options.editedJson);
    } catch (error) {
      return { ok: false, message: `The record is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, message: "There is no record to replay: write the record as a JSON object in the API's shape (see /api/erp/v1/openapi.json)." };
  }
  const { operation, ...record } = value as Row;
  const runId = await startRun(db, { source: "replay", entity: def.name, sourceName: `dead letter ${id.slice(0, 8)}`, startedBy: options.userId });
  const ctx = { runId, source: "replay" as const };
  const outcome = operation === "delete" ? await deleteRecords(db, def, [{ value: record }], ctx) : await ingestRecords(db, def, [{ value: record }], ctx);
  await recordRunProgress(db, runId, outcome.counts, { rowsRead: 1 });
  await finishRun(db, runId);
  const result = outcome.results[0];
  if (result.status === "rejected") {
    // One entry per problem: the replay's own dead-letter row folds into the one being fixed.
    if (result.rejectedRecordId) await db.query(`DELETE FROM rejected_records WHERE id = $1`, [result.rejectedRecordId]);
    await db.query(`UPDATE rejected_records SET errors = $2, record = $3, replay_count = replay_count + 1 WHERE id = $1`, [
      id,
      JSON.stringify(result.errors ?? []),
      JSON.stringify(value),
    ]);
    return { ok: false, message: "Still rejected: fix the fields named below and replay again.", result: { ...result, rejectedRecordId: id } };
  }
  const note = result.status === "accepted" ? `replayed: ${result.action}` : `replayed: ${result.reason ?? "unchanged"}`;
  await db.query(
    `UPDATE rejected_records SET resolved_at = now(), resolved_by = $2, resolution = 'replayed', resolution_note = $3,
            record = $4, replay_count = replay_count + 1
      WHERE id = $1`,
    [id, options.userId, note, JSON.stringify(value)],
  );
  return { ok: true, result };
}
