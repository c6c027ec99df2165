import { isChangeMessage, isControlMessage, type ChangeMessage, type Message, type Row, type Value } from "@electric-sql/client";
import type { ShapeDefinition } from "../shapes/registry";
import type { SqlDriver, SqlParam } from "./driver";
import { decodeSnapshot, type DecodedSnapshot } from "./snapshot-decode";
import { clearSyncState, ident, loadSyncState, saveSyncState, type StreamPosition } from "./schema";
import { collectTouches, rebuildSearchIndex, reindexDocuments, touchesSearch, type DocumentKey } from "./search-index";
import type { DocumentSource } from "./search-sources";

/**
 * Materialises one shape's stream into its SQLite table, the way ELECTRIC-PROTOCOL.md §5.3 says:
 * buffer change messages; on `must-refetch` drop the buffer and remember to truncate; on
 * `up-to-date` (the last message of a batch, the client's own definition) run ONE transaction that
 * truncates if needed, applies the buffer, re-indexes the touched documents and saves the stream
 * position. Readers therefore see the shape before or after a batch, never half of one, never an
 * empty table during a refetch, and a reload resumes exactly where the rows are.
 */

/**
 * "deferred": no document is indexed yet, rows land without index work. "incremental": every
 * source is indexed and commits keep their documents current. A set: the initial load is under way
 * and only these sources are indexed so far (search-index.ts, indexSources); commits keep just their
 * documents current, the others are indexed whole once their tables are loaded.
 */
export type SearchMode = "deferred" | "incremental" | ReadonlySet<DocumentSource>;

export interface ApplierOptions {
  searchMode: () => SearchMode;
  /** Above this many touched documents one full rebuild is cheaper than per-document upkeep. */
  fullRebuildThreshold?: number;
  /** From this many snapshot rows on, a truncating commit rebuilds the table's indexes after the rows (default 2 000). */
  bulkMinRows?: number;
}

export interface CommitResult {
  shape: string;
  inserts: number;
  updates: number;
  deletes: number;
  /** Change messages without a usable primary key (never expected from a correct server). */
  skipped: number;
  /** Rows removed because a must-refetch (or a restart from offset -1) replaced the shape. */
  truncatedRows: number;
  search: "none" | "deferred" | "incremental" | "rebuilt";
  reindexed: number;
  position: StreamPosition;
  ms: number;
}

export interface BatchOutcome {
  /** The batch ended with up-to-date: the shape is caught up to `position`. */
  upToDate: boolean;
  /** What the commit did; null when there was nothing to write. */
  commit: CommitResult | null;
}

/**
 * A snapshot response body taken before the client parsed it (`takeRawSnapshot`): its insert
 * messages as SQLite's binary JSON, written by SQL straight from it, never as JavaScript objects.
 */
interface RawSnapshot {
  raw: true;
  jsonb: Uint8Array;
  rows: number;
  /** Registry columns the response carries; bool columns are normalised to t/f as PG_TEXT_PARSER does. */
  columns: string[];
  bools: ReadonlySet<string>;
}

type Buffered = ChangeMessage<Row> | RawSnapshot;

const isRaw = (entry: Buffered): entry is RawSnapshot => "raw" in entry;

export class ShapeApplier {
  private buffer: Buffered[] = [];
  private truncatePending = false;
  private saved: StreamPosition | null;
  private readonly sqlCache = new Map<string, string>();
  private readonly columnCache = new Map<string, string[]>();
  private readonly knownColumns: ReadonlySet<string>;
  private readonly table: string;

  constructor(
    private readonly driver: SqlDriver,
    readonly shape: ShapeDefinition,
    private readonly options: ApplierOptions,
  ) {
    this.knownColumns = new Set(shape.columns);
    this.table = ident(shape.table);
    this.saved = loadSyncState(driver, shape.name);
  }

  /**
   * Call before subscribing a new ShapeStream: returns where it should start (null: offset -1).
   * Anything buffered by an earlier stream is dropped, because the new one replays it from the
   * saved position. Starting from -1 replaces the table, so truncate at the first commit.
   */
  startStream(): StreamPosition | null {
    this.buffer = [];
    this.saved = loadSyncState(this.driver, this.shape.name);
    if (!this.saved) this.truncatePending = true;
    return this.saved;
  }

  /** Forget the saved position (e.g. the server rejected the offset): the next stream starts over. */
  resetPosition(): void {
    clearSyncState(this.driver, this.shape.name);
    this.saved = null;
    this.buffer = [];
    this.truncatePending = true;
  }

  get bufferedMessages(): number {
    return this.buffer.reduce((n, entry) => n + (isRaw(entry) ? entry.rows : 1), 0);
  }

  /**
   * The initial snapshot's response body as text, before \`@electric-sql/client\` parses it (the
   * stream's fetchClient hands it here, see sync.ts). Parsing it into message objects (a JSON.parse
   * with a reviver calling a parser per value), turning them back into JSON for the insert and
   * having SQLite parse that again costs more than the insert. Instead SQLite converts the text to
   * its binary JSON once, checks it, and the commit inserts from it by SQL.
   *
   * Taken only if every message is an insert with a text id and the control messages, if any, come
   * after them; then the insert messages are buffered (in stream order: nothing of this stream was
   * buffered before its first response) and the control messages are returned, as the body the
   * client gets to parse. Otherwise (null) the client gets the whole body as usual.
   * \`schemaHeader\` is the response's \`electric-schema\`: which columns are bool (and arrays, which
   * the client turns into JavaScript arrays: such a shape is not taken).
   */
  takeRawSnapshot(body: string, schemaHeader: string | null): string | null {
    const decoded = decodeSnapshot(this.driver, body, schemaHeader, this.shape.columns);
    if (!decoded) return null;
    this.takeDecodedSnapshot(decoded);
    return decoded.controls;
  }

  /**
   * Buffers a snapshot already converted and checked by \`decodeSnapshot\`, here or in the snapshot
   * worker (snapshot-decoder.ts): same contract as takeRawSnapshot, minus the conversion. Columns
   * outside the registry are dropped, in case the converting side had another registry.
   */
  takeDecodedSnapshot(decoded: DecodedSnapshot): void {
    const columns = decoded.columns.filter((c) => this.knownColumns.has(c));
    if (!columns.includes("id")) throw new Error(`Decoded snapshot of ${this.shape.name} lacks the id column`);
    this.buffer.push({ raw: true, jsonb: decoded.jsonb, rows: decoded.rows, columns, bools: new Set(decoded.bools.filter((c) => columns.includes(c))) });
  }

  /** A snapshot body taken (converted, waiting for its up-to-date) and not yet committed. */
  hasPendingSnapshot(): boolean {
    return this.buffer.some(isRaw);
  }

  /** Feed one batch as ShapeStream delivers it; `position` is read only when the batch commits. */
  handleBatch(messages: readonly Message<Row>[], position: () => StreamPosition): BatchOutcome {
    for (const message of messages) {
      if (isChangeMessage(message)) {
        this.buffer.push(message);
      } else if (isControlMessage(message) && message.headers.control === "must-refetch") {
        // The rows stay visible until the refetched snapshot commits with a DELETE in front.
        this.buffer = [];
        this.truncatePending = true;
      }
    }
    const last = messages[messages.length - 1];
    const upToDate = !!last && isControlMessage(last) && last.headers.control === "up-to-date";
    if (!upToDate) return { upToDate: false, commit: null };
    const at = position();
    if (this.buffer.length === 0 && !this.truncatePending && samePosition(at, this.saved)) return { upToDate: true, commit: null };
    return { upToDate: true, commit: this.commit(at) };
  }

  /**
   * Writes the buffer and the position atomically. On failure nothing is written and the buffer is
   * kept, so the next up-to-date retries it together with whatever arrived since.
   */
  private commit(position: StreamPosition): CommitResult {
    const started = performance.now();
    const mode = this.options.searchMode();
    const partial = typeof mode === "string" ? null : mode;
    const indexing = mode !== "deferred" && touchesSearch(this.shape.table, partial ?? undefined);
    const threshold = this.options.fullRebuildThreshold ?? 2000;
    const result = this.driver.transaction(() => {
      const touched = new Map<string, DocumentKey>();
      const ids = indexing ? [...new Set(this.buffer.map((m) => (isRaw(m) ? null : m.value.id)).filter((id): id is string => typeof id === "string"))] : [];
      // A raw snapshot's ids are not at hand in JavaScript; it replaces the table anyway.
      let rebuild = ids.length > threshold || (indexing && this.buffer.some(isRaw));
      // A truncating commit replaces the table; its old rows' documents are found by the rebuild.
      if (indexing && !rebuild && !this.truncatePending) collectTouches(this.driver, this.shape.table, ids, touched);

      const replaced = this.truncatePending ? this.replaceRows() : { truncatedRows: 0, inserts: 0, consumed: 0 };
      const truncatedRows = replaced.truncatedRows;
      if (truncatedRows > 0) rebuild = true;
      const counts = this.applyBuffer(replaced.consumed);
      counts.inserts += replaced.inserts;

      let search: CommitResult["search"] = indexing ? "incremental" : touchesSearch(this.shape.table) ? "deferred" : "none";
      let reindexed = 0;
      if (indexing) {
        if (!rebuild) {
          collectTouches(this.driver, this.shape.table, ids, touched);
          if (partial) for (const [key, doc] of touched) if (!partial.has(doc.source)) touched.delete(key);
          rebuild = touched.size > threshold;
        }
        if (rebuild) {
          search = "rebuilt";
          reindexed = rebuildSearchIndex(this.driver, undefined, partial ?? undefined).documents;
        } else {
          reindexed = reindexDocuments(this.driver, touched.values());
        }
      }
      saveSyncState(this.driver, this.shape.name, position);
      return { ...counts, truncatedRows, search, reindexed };
    });
    this.buffer = [];
    this.truncatePending = false;
    this.saved = position;
    return { shape: this.shape.name, ...result, position, ms: performance.now() - started };
  }

  /**
   * A truncating commit (first load, refetch) replaces the table. Its leading run of inserts, the
   * snapshot, goes into the emptied table with the table's indexes dropped, and the indexes are
   * built again afterwards: one sorted pass per index, where inserting random UUIDs into live
   * indexes touched a random page per row and index (the bulk of an initial load's apply time in
   * OPFS). Whatever follows the snapshot in the buffer is applied the ordinary way. All of it inside
   * the commit's transaction, so readers never see the table without its rows or its indexes. A
   * snapshot with a duplicate id (never sent by a correct server) fails the unique index: the
   * savepoint rolls back and the rows take the upsert path.
   */
  private replaceRows(): { truncatedRows: number; inserts: number; consumed: number } {
    const first = this.buffer[0];
    const raw = first && isRaw(first) ? first : null;
    const signature = first && !isRaw(first) && first.headers.operation === "insert" ? Object.keys(first.value).join(",") : "";
    let end = 0;
    while (signature && end < this.buffer.length && isPlainInsert(this.buffer[end], signature)) end += 1;
    if (raw || end >= (this.options.bulkMinRows ?? BULK_MIN_ROWS)) {
      try {
        return this.driver.transaction(() => {
          const indexes = this.driver.selectObjects<{ name: string; sql: string }>(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            [this.shape.table],
          );
          for (const index of indexes) this.driver.exec(`DROP INDEX ${ident(index.name)}`);
          const truncatedRows = this.driver.run(`DELETE FROM ${this.table}`);
          if (raw) {
            this.driver.run(this.rawInsertSql(raw, false), [raw.jsonb]);
            for (const index of indexes) this.driver.exec(index.sql);
            return { truncatedRows, inserts: raw.rows, consumed: 1 };
          }
          const columns = this.columnsOf(signature);
          const sql = this.insertSql(columns, "json", false);
          for (let i = 0; i < end; i += INSERT_CHUNK) {
            const rows: SqlParam[][] = [];
            for (let j = i; j < Math.min(end, i + INSERT_CHUNK); j += 1) {
              const message = this.buffer[j];
              if (!isRaw(message)) rows.push(columns.map((c) => toText(message.value[c])));
            }
            this.driver.run(sql, [JSON.stringify(rows)]);
          }
          for (const index of indexes) this.driver.exec(index.sql);
          return { truncatedRows, inserts: end, consumed: end };
        });
      } catch (error) {
        if (!/UNIQUE constraint failed/i.test((error as Error).message)) throw error;
      }
    }
    return { truncatedRows: this.driver.run(`DELETE FROM ${this.table}`), inserts: 0, consumed: 0 };
  }

  private applyBuffer(from = 0): { inserts: number; updates: number; deletes: number; skipped: number } {
    const counts = { inserts: 0, updates: 0, deletes: 0, skipped: 0 };
    const buffer = this.buffer;
    for (let i = from; i < buffer.length; ) {
      const message = buffer[i];
      if (isRaw(message)) {
        this.driver.run(this.rawInsertSql(message, true), [message.jsonb]);
        counts.inserts += message.rows;
        i += 1;
        continue;
      }
      const value = message.value;
      const id = value.id;
      if (typeof id !== "string" || id === "") {
        counts.skipped += 1;
        i += 1;
        continue;
      }
      switch (message.headers.operation) {
        case "insert": {
          // Snapshots are long runs of inserts with one column list: write them in chunks.
          const signature = Object.keys(value).join(",");
          const run: Row[] = [value];
          for (let next = buffer[i + 1]; next && run.length < INSERT_CHUNK && isPlainInsert(next, signature); next = buffer[i + 1]) {
            run.push(next.value);
            i += 1;
          }
          i += 1;
          this.insertRun(this.columnsOf(signature), run);
          counts.inserts += run.length;
          continue;
        }
        case "update": {
          // replica=default: the PK plus the changed columns; the others keep their values.
          const changed = this.columnsOf(Object.keys(value).join(",")).filter((c) => c !== "id");
          if (changed.length > 0) this.driver.run(this.updateSql(changed), [...changed.map((c) => toText(value[c])), id]);
          counts.updates += 1;
          break;
        }
        case "delete":
          this.driver.run(`DELETE FROM ${this.table} WHERE "id" = ?`, [id]);
          counts.deletes += 1;
          break;
        default:
          counts.skipped += 1;
      }
      i += 1;
    }
    return counts;
  }

  /** The registry columns among a message's keys: a server sending more must not break inserts. */
  private columnsOf(signature: string): string[] {
    let columns = this.columnCache.get(signature);
    if (!columns) {
      columns = signature.split(",").filter((c) => this.knownColumns.has(c));
      this.columnCache.set(signature, columns);
    }
    return columns;
  }

  /**
   * Upserts rows in message order with ONE bound parameter: a JSON array of row arrays read back
   * by json_each. sqlite-wasm pays ~1.5 µs per bound string, so binding 20 columns per row costs
   * more than the insert; one JSON text per chunk roughly halves a snapshot's apply time.
   */
  private insertRun(columns: readonly string[], rows: readonly Row[]): void {
    if (rows.length === 1) {
      this.driver.run(this.insertSql(columns, "values", true), columns.map((c) => toText(rows[0][c])));
      return;
    }
    const json = JSON.stringify(rows.map((row) => columns.map((c) => toText(row[c]))));
    this.driver.run(this.insertSql(columns, "json", true), [json]);
  }

  /**
   * `jsonb(?)` first: `->>` on a JSON text re-parses the row's text for every column, on the binary
   * form it is a lookup (half the apply time in Node, bench numbers in docs/decisions/008).
   */
  private insertSql(columns: readonly string[], source: "values" | "json", upsert: boolean): string {
    const key = `${source}:${upsert}:${columns.join(",")}`;
    let sql = this.sqlCache.get(key);
    if (!sql) {
      const rest = columns.filter((c) => c !== "id");
      const onConflict = rest.length > 0 ? `DO UPDATE SET ${rest.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(", ")}` : "DO NOTHING";
      const values = source === "values"
        ? `VALUES (${columns.map(() => "?").join(", ")})`
        // "WHERE true" resolves the parser ambiguity between a join's ON and ON CONFLICT.
        : `SELECT ${columns.map((_, i) => `j.value ->> ${i}`).join(", ")} FROM jsonb_each(jsonb(?)) j WHERE true`;
      sql = `INSERT INTO ${this.table} (${columns.map(ident).join(", ")}) ${values}${upsert ? ` ON CONFLICT ("id") ${onConflict}` : ""}`;
      this.sqlCache.set(key, sql);
    }
    return sql;
  }

  /** Inserts (or upserts) a raw snapshot's insert messages in their order, from its binary JSON. */
  private rawInsertSql(raw: RawSnapshot, upsert: boolean): string {
    const values = raw.columns.map((c) => {
      const value = `j.value ->> ${sqlText(`$.value.${JSON.stringify(c)}`)}`;
      return raw.bools.has(c) ? `CASE WHEN ${value} IS NULL THEN NULL WHEN ${value} IN ('t', 'true') THEN 't' ELSE 'f' END` : value;
    });
    const rest = raw.columns.filter((c) => c !== "id");
    const onConflict = rest.length > 0 ? `DO UPDATE SET ${rest.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(", ")}` : "DO NOTHING";
    return `INSERT INTO ${this.table} (${raw.columns.map(ident).join(", ")})
            SELECT ${values.join(", ")} FROM jsonb_each(?) j WHERE j.value ->> '$.headers.operation' = 'insert'
            ${upsert ? `ON CONFLICT ("id") ${onConflict}` : ""}`;
  }

  private updateSql(columns: readonly string[]): string {
    const key = `u:${columns.join(",")}`;
    let sql = this.sqlCache.get(key);
    if (!sql) {
      sql = `UPDATE ${this.table} SET ${columns.map((c) => `${ident(c)} = ?`).join(", ")} WHERE "id" = ?`;
      this.sqlCache.set(key, sql);
    }
    return sql;
  }
}

const INSERT_CHUNK = 1000;
/** Below this a snapshot goes through the upsert path: dropping and rebuilding indexes costs more. */
const BULK_MIN_ROWS = 2000;

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

function isPlainInsert(message: Buffered, signature: string): message is ChangeMessage<Row> {
  if (isRaw(message)) return false;
  const id = message.value.id;
  return message.headers.operation === "insert" && typeof id === "string" && id !== "" && Object.keys(message.value).join(",") === signature;
}

function samePosition(a: StreamPosition, b: StreamPosition | null): boolean {
  return !!b && a.offset === b.offset && a.handle === b.handle;
}

/**
 * Values arrive as Postgres text (the worker's stream parser keeps them so); anything else a custom
 * parser might produce is turned back into text rather than rejected.
 */
function toText(value: Value | undefined): SqlParam {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}
