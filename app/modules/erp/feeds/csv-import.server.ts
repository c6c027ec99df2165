import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";
import { getDb } from "~/db/connection.server";
import { findEntity, ENTITY_NAMES } from "../entities/registry";
import type { EntityDef } from "../entities/types";
import type { RawRecord } from "../ingest/ingest.server";
import { describeRun, finishRun, recordRunProgress, startRun, type Counts } from "../runs.server";
import { RecordAssembler, type FlatCell, type FlatRow } from "./assemble";
import { IngestBatcher } from "./batcher.server";
import { convertText } from "./convert";
import { detectFormat, type Detected } from "./detect";
import { MappingError, planColumns, resolveMapping, type ColumnPlan, type Mapping, type MappingInput } from "./mapping";

/**
 * A CSV feed: streamed (constant memory on any size), decoded (UTF-8, UTF-8 with BOM, Windows-1252),
 * parsed with csv-parse, mapped to our fields, grouped into records and applied in batches of whole
 * records. Rejected rows keep their line numbers and raw text in the dead letter; the run's report
 * lists them (csv-report.server.ts). Stopping mid-file (abort, a crash) leaves every record either
 * applied or not: a batch is one transaction and never holds half a record. Re-running the file is
 * safe (records already applied come back unchanged).
 */

export interface CsvProgress {
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
  counts: Counts;
}

export interface CsvImportOptions {
  entity: string;
  file: string;
  mapping?: string | MappingInput | null;
  /** Shown in the history (the uploaded file's own name). */
  fileName?: string;
  startedBy?: string | null;
  /** A run created beforehand (the upload page shows it before the import starts). */
  runId?: string;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: CsvProgress) => void;
}

export interface CsvImportResult {
  runId: string;
  status: "succeeded" | "partial" | "failed";
  counts: Counts;
  rowsRead: number;
  error: string | null;
  detected: Detected | null;
  ignoredColumns: string[];
}

const HEAD_BYTES = 64 * 1024;

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function startLine(endLine: number, raw: string): number {
  return endLine - (raw.replace(/\r?\n$/, "").match(/\n/g)?.length ?? 0);
}

function flatRow(plan: ColumnPlan, mapping: Mapping, values: string[], line: number, raw: string, constantCells: FlatCell[]): FlatRow {
  const cells: FlatCell[] = [...constantCells];
  const errors: FlatRow["errors"] = [];
  if (values.length !== plan.header.length) {
    errors.push({ field: null, source: "", message: `has ${values.length} values but the header has ${plan.header.length} columns` });
  }
  plan.targets.forEach((field, i) => {
    if (!field) return;
    const converted = convertText(values[i] ?? "", field.kind, mapping);
    if (converted.ok) cells.push({ field, value: converted.value, source: plan.header[i] });
    else errors.push({ field, source: plan.header[i], message: converted.message });
  });
  return { cells, errors, line, raw };
}

function constantCellsOf(plan: ColumnPlan, mapping: Mapping): FlatCell[] {
  return plan.constants.map(({ field, value }) => {
    const converted = typeof value === "boolean" ? { ok: true as const, value } : convertText(String(value), field.kind, { ...mapping, numberFormat: "en", dateFormat: "YYYY-MM-DD" });
    if (!converted.ok) throw new MappingError(`The mapping's constant for ${field.path}: ${converted.message}`);
    return { field, value: converted.value, source: "constant" };
  });
}

export async function importCsvFile(options: CsvImportOptions): Promise<CsvImportResult> {
  const db = await getDb();
  const def: EntityDef | undefined = findEntity(options.entity);
  if (!def) throw new MappingError(`Unknown entity "${options.entity}". Entities: ${ENTITY_NAMES.join(", ")}.`);
  const { size } = await stat(options.file);
  const fileName = options.fileName ?? path.basename(options.file);
  const runId = options.runId ?? (await startRun(db, { source: "csv", entity: def.name, fileName, sourceName: fileName, startedBy: options.startedBy, bytesTotal: size }));
  let detected: Detected | null = null;
  let plan: ColumnPlan | null = null;
  let rowsRead = 0;
  let batcher: IngestBatcher | null = null;
  let input: ReturnType<typeof createReadStream> | null = null;
  let parser: ReturnType<typeof parse> | null = null;
  const progress = (bytesRead: number) => options.onProgress?.({ bytesRead, bytesTotal: size, rowsRead, counts: batcher?.counts ?? { inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 } });
  try {
    const mapping = resolveMapping(options.mapping ?? null, def.name);
    detected = detectFormat(await readHead(options.file), { encoding: mapping.encoding, delimiter: mapping.delimiter });
    await describeRun(db, runId, { bytesTotal: size, details: { encoding: detected.encoding, bom: detected.bom, delimiter: detected.delimiter, mapping: mapping.preset } });
    const skipped: { line: number; raw: string; message: string }[] = [];
    const file = createReadStream(options.file, { highWaterMark: 256 * 1024 });
    input = file;
    parser = parse({
      delimiter: detected.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      skip_records_with_error: true,
      on_skip: (error, raw) => {
        skipped.push({ line: (error as { lines?: number }).lines ?? 0, raw: raw ?? "", message: error?.message ?? "unreadable row" });
      },
    });
    pipeline(file, iconv.decodeStream(detected.encoding === "utf-8" ? "utf8" : "win1252", { stripBOM: true }), parser, () => undefined);
    const ctx = { runId, source: "csv" as const };
    batcher = new IngestBatcher(db, def, ctx, options.batchSize ?? 500, async (outcome) => {
      await recordRunProgress(db, runId, outcome.counts, { rowsRead, bytesRead: file.bytesRead });
      progress(file.bytesRead);
    });
    const assembler = new RecordAssembler(def.rowCollection ?? null);
    let constantCells: FlatCell[] = [];
    const add = async (record: RawRecord | null) => {
      if (record) await batcher!.add(record, undefined);
    };
    const takeSkipped = async (beforeLine: number) => {
      while (skipped.length > 0 && skipped[0].line < beforeLine) {
        const skip = skipped.shift()!;
        // A broken row rejects the record it is part of (nothing half-applied), or stands alone.
        const message = `is not valid CSV: ${skip.message}`;
        if (!assembler.poison(message, skip.raw)) await add({ value: null, raw: skip.raw, line: skip.line, preErrors: [{ path: "record", message }] });
      }
    };
    for await (const entry of parser! as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
      if (options.signal?.aborted) throw new Error("The import was stopped; records applied so far stay, the rest is not applied.");
      const line = startLine(entry.info.lines, entry.raw);
      if (!plan) {
        plan = planColumns(def, entry.record, mapping);
        constantCells = constantCellsOf(plan, mapping);
        await describeRun(db, runId, { details: { ignoredColumns: plan.ignored } });
        continue;
      }
      await takeSkipped(line);
      rowsRead++;
      await add(assembler.push(flatRow(plan, mapping, entry.record, line, entry.raw, constantCells)));
    }
    if (!plan) throw new MappingError("The file is empty: it has no header line.");
    await takeSkipped(Number.MAX_SAFE_INTEGER);
    await add(assembler.flush());
    await batcher.finish();
    await recordRunProgress(db, runId, { inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 }, { rowsRead, bytesRead: size });
    progress(size);
    await finishRun(db, runId);
    const counts = batcher.counts;
    return { runId, status: counts.rejected > 0 ? "partial" : "succeeded", counts, rowsRead, error: null, detected, ignoredColumns: plan.ignored };
  } catch (error) {
    await batcher?.settle().catch(() => undefined); // a batch being written commits or fails whole
    const message = (error as Error).message;
    await finishRun(db, runId, message).catch(() => undefined);
    return {
      runId,
      status: "failed",
      counts: batcher?.counts ?? { inserted: 0, updated: 0, unchanged: 0, rejected: 0, deleted: 0 },
      rowsRead,
      error: message,
      detected,
      ignoredColumns: plan?.ignored ?? [],
    };
  } finally {
    parser?.destroy();
    input?.destroy();
  }
}
