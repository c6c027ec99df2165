import { getDb } from "~/db/connection.server";
import type { EntityDef } from "../entities/types";
import { deleteRecords } from "../ingest/delete.server";
import { ingestRecords, type BatchOutcome, type RawRecord } from "../ingest/ingest.server";
import { finishRun, finishRunWithProgress, startRun } from "../runs.server";
import { json } from "./http.server";
import type { AuthenticatedKey } from "./keys.server";

export type Operation = "upsert" | "delete";

/** Runs one batch as an import run of the key. */
export async function runApiBatch(key: AuthenticatedKey, def: EntityDef, operation: Operation, raws: RawRecord[]): Promise<{ runId: string; outcome: BatchOutcome }> {
  const db = await getDb();
  const runId = await startRun(db, { source: "api", entity: def.name, sourceName: key.name, apiKeyId: key.id, details: { operation } });
  try {
    const ctx = { runId, source: "api" as const };
    const outcome = operation === "delete" ? await deleteRecords(db, def, raws, ctx) : await ingestRecords(db, def, raws, ctx);
    await finishRunWithProgress(db, runId, outcome.counts, { rowsRead: raws.length });
    return { runId, outcome };
  } catch (error) {
    await finishRun(db, runId, (error as Error).message).catch(() => undefined);
    throw error;
  }
}

export function batchResponse(runId: string, outcome: BatchOutcome): Response {
  return json({ runId, counts: outcome.counts, results: outcome.results });
}

