import type { Db } from "~/db/db.server";
import { mintHandle, recordHandle } from "./handles.server";
import { SEQUENCER_LOCK_SQL, stampLocked, type StampResult } from "./sequencer.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import { BinaryCopyReader, type ValueSink } from "./copy-binary.server";
import {
  applyElectricSessionSettings,
  conditionsLiteralSql,
  conditionsSql,
  qualifiedTable,
  quoteLiteral,
  rowJsonSql,
  rowKeySql,
  type TableSchema,
} from "./table-schema.server";

export interface Snapshot {
  handle: string;
  /** The log position the rows are consistent with: changes after it follow through the log. */
  position: number;
  /** The rows' insert messages as UTF-8, each followed by a comma (a JSON array's inside, in pieces). */
  body: SnapshotBody;
  stamped: StampResult;
}

/**
 * Rows per FETCH (the cursor path, PGlite's): the portal holds one batch of rows as strings and objects until the FETCH is
 * answered. With 2,000 (~1.3 MB of messages) a batch was often still alive at a second scavenge
 * and promoted: `perf record -e page-faults` put ~75 % of a sync's page faults in the scavenger
 * copying into fresh pages. 250 (~170 KB) mostly dies young, though some portal processes still
 * fall into promoting most rows (~55,000–72,000 faults per 100k-document sync instead of
 * ~5,000–25,000; not understood yet).
 */
const FETCH_ROWS = 250;

/** Rows are written into slabs of this size (a larger message gets a slab of its own). */
const SLAB_BYTES = 1 << 20;

/**
 * The rows' messages written one after the other into slabs: UTF-8 straight from each row's string,
 * no joined string per batch, no Buffer copy of it, no body-sized Buffer at the end. Why: on this
 * VM every first touch of a fresh memory page costs ~10–20 µs of system time (freed memory goes
 * back to the host, so memory freed and allocated again is fresh again), and building every body
 * three times cost a 100k-document sync (318 MB) ~1 GB of fresh memory, ~265,000 page faults and
 * ~2.8 s of system time (docs/decisions/005, last addendum). A pool of written slabs for the next
 * snapshots was tried and not kept: freed slabs are mostly reused through malloc anyway, and what
 * is left of the faults comes from V8's scavenger, not from the slabs (see FETCH_ROWS).
 */
export class SnapshotBody implements ValueSink {
  readonly parts: Buffer[] = [];
  byteLength = 0;
  #slab: Buffer | null = null;
  #used = 0;

  /** Appends `message` and a comma. */
  add(message: string): void {
    // At most 3 bytes per UTF-16 unit; only a message that may not fit is measured exactly.
    const most = message.length * 3 + 1;
    if (this.#slab === null || this.#used + most > this.#slab.length) {
      const bytes = Buffer.byteLength(message) + 1;
      if (this.#slab === null || this.#used + bytes > this.#slab.length) this.#next(bytes);
    }
    const slab = this.#slab!;
    this.#used += slab.write(message, this.#used);
    slab[this.#used++] = 0x2c; // ","
  }

  /** A message of `bytes` UTF-8 bytes follows in pieces (COPY's rows, copy-binary.server.ts). */
  begin(bytes: number): void {
    if (this.#slab === null || this.#used + bytes + 1 > this.#slab.length) this.#next(bytes + 1);
  }

  piece(source: Buffer, start: number, end: number): void {
    this.#used += source.copy(this.#slab!, this.#used, start, end);
  }

  /** Ends the message begun last, with its comma. */
  end(): void {
    this.#slab![this.#used++] = 0x2c;
  }

  /** Seals the last slab; `parts` is complete after this. */
  finish(): this {
    if (this.#slab !== null && this.#used > 0) this.#seal();
    this.#slab = null;
    return this;
  }

  #next(atLeast: number): void {
    if (this.#slab !== null && this.#used > 0) this.#seal();
    this.#slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, atLeast));
    this.#used = 0;
  }

  #seal(): void {
    this.parts.push(this.#slab!.subarray(0, this.#used));
    this.byteLength += this.#used;
  }
}

/**
 * Reads a shape's rows exactly as of a log position. In one REPEATABLE READ transaction that holds
 * the sequencer lock, it first stamps every committed change (so the head position covers exactly
 * the transactions this snapshot sees), then reads the rows. Nothing can be both in the snapshot and
 * served again after it, or missing from both.
 */
export async function takeSnapshot(
  db: Db,
  definition: ShapeRequestDefinition,
  schema: TableSchema,
  definitionHash: string,
): Promise<Snapshot> {
  // Postgres writes each whole message, and the portal copies them into the body (docs/decisions/005,
  // addenda). On Postgres the rows come by COPY in binary format: their bytes go from the socket's
  // chunks into the body, with no row objects, no strings and no FETCH round trips. PGlite has no
  // COPY to a client and reads the same SELECT through a cursor.
  const headers = `{"operation":"insert","relation":["public",${JSON.stringify(definition.table)}]}`;
  const messageSql = (headersSql: string, whereSql: string) =>
    `SELECT '{"key":' || to_json(${rowKeySql("t", schema, definition.primaryKey)})::text
            || ',"value":' || ${rowJsonSql("t", schema, definition.columns)}
            || ',"headers":' || ${headersSql} || '}' AS message
       FROM ${qualifiedTable(definition.table)} t
      WHERE ${whereSql}`;
  return db.transaction(async (tx) => {
    await tx.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    await tx.query(SEQUENCER_LOCK_SQL);
    await applyElectricSessionSettings(tx);
    const stamped = await stampLocked(tx);
    const handle = mintHandle(definitionHash);
    await recordHandle(tx, { handle, shapeName: definition.name, definitionHash, snapshotPosition: stamped.head });
    const body = new SnapshotBody();
    if (tx.copyOut) {
      const sql = messageSql(`${quoteLiteral(headers)}::text`, conditionsLiteralSql("t", schema, definition.conditions));
      const reader = new BinaryCopyReader(body);
      for await (const chunk of tx.copyOut(`COPY (${sql}) TO STDOUT (FORMAT binary)`)) reader.push(chunk);
      reader.finish();
    } else {
      const where = conditionsSql("t", schema, definition.conditions, 2);
      await tx.query(`DECLARE shape_snapshot NO SCROLL CURSOR FOR ${messageSql("$1::text", where.sql)}`, [headers, ...where.params]);
      for (;;) {
        const batch = await tx.query<{ message: string }>(`FETCH ${FETCH_ROWS} FROM shape_snapshot`);
        for (const row of batch.rows) body.add(row.message);
        if (batch.rows.length < FETCH_ROWS) break;
      }
      await tx.query(`CLOSE shape_snapshot`);
    }
    return { handle, position: stamped.head, body: body.finish(), stamped };
  });
}
