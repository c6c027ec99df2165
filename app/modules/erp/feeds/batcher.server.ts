import type { Db } from "~/db/db.server";
import type { EntityDef } from "../entities/types";
import { applyValidated, validateRecords, type BatchOutcome, type IngestContext, type RawRecord } from "../ingest/ingest.server";
import { addCounts, emptyCounts, type Counts } from "../runs.server";

/**
 * Collects complete records of a feed (CSV file, SQL pull) into batches and applies each batch in
 * one transaction. Memory stays at two batches whatever the size of the feed: while one batch is
 * written, the next is read and validated (the database and the schema work at the same time);
 * batches still commit one after the other, in feed order.
 */
export class IngestBatcher<Meta = undefined> {
  readonly counts: Counts = emptyCounts();
  private records: RawRecord[] = [];
  private metas: Meta[] = [];
  private writing: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly db: Db,
    private readonly def: EntityDef,
    private readonly ctx: IngestContext,
    private readonly batchSize: number,
    private readonly afterBatch: (outcome: BatchOutcome, metas: Meta[]) => Promise<void>,
  ) {}

  async add(record: RawRecord, meta: Meta): Promise<void> {
    this.records.push(record);
    this.metas.push(meta);
    if (this.records.length >= this.batchSize) await this.flush();
  }

  /** Validates the collected records and starts writing them once the previous batch has committed. */
  async flush(): Promise<void> {
    if (this.records.length === 0) return this.settle();
    const records = this.records;
    const metas = this.metas;
    this.records = [];
    this.metas = [];
    const validated = validateRecords(this.def, records);
    await this.settle();
    this.writing = applyValidated(this.db, this.def, records, validated, this.ctx)
      .then(async (outcome) => {
        addCounts(this.counts, outcome.counts);
        await this.afterBatch(outcome, metas);
      })
      .catch((error: unknown) => {
        this.failure = error;
      });
  }

  /** Writes what is left and waits for it; throws what any batch failed with. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  /** Waits for the batch being written (used before stopping: it commits or fails whole). */
  async settle(): Promise<void> {
    if (this.writing) await this.writing;
    this.writing = null;
    if (this.failure) throw this.failure;
  }
}
