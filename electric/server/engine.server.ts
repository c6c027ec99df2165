import type { Db } from "~/db/db.server";
import { readChanges, type ChangeRead } from "./change-reader.server";
import { HandleStore, mintHandle, recordHandle } from "./handles.server";
import { LiveHub, type LiveResult } from "./live-hub.server";
import { LiveNotifier } from "./live-notifier.server";
import {
  badRequest,
  BASE_HEADERS,
  mustRefetch,
  nextCursor,
  parseShapeParams,
  shapeReply,
  shapeResponse,
  snapshotResponse,
  toResponse,
  type ShapeParams,
  type ShapeReply,
} from "./protocol.server";
import { compactChangeLog, readSequencer, Sequencer, type CompactionResult, type StampResult } from "./sequencer.server";
import { checkDefinitionAgainstSchema, definitionHash, type ShapeRequestDefinition } from "./shape-definition.server";
import { takeSnapshot } from "./snapshot.server";
import { serveSse } from "./sse.server";
import { electricSchema, loadTableSchema, type TableSchema } from "./table-schema.server";

export interface ShapeEngineOptions {
  /** How long a live request is held when nothing changes (Electric: 20 s; the client aborts at 45 s). */
  longPollMs?: number;
  /** How long an SSE response stays open at most before the client reconnects (Electric: 60 s; each stream ends after 3/4 of it to all of it). */
  sseMs?: number;
  /** Most change entries per response; a response never ends inside a transaction. */
  chunkEntries?: number;
  /** Safety net for lost NOTIFYs while requests are held (a dropped LISTEN connection). */
  pollMs?: number;
  /** Log entries and handles older than this are compacted away. */
  retentionMs?: number;
  /** How often compaction runs; 0 disables the timer (call compact() yourself). */
  compactEveryMs?: number;
}

const DEFAULTS: Required<ShapeEngineOptions> = {
  longPollMs: 20_000,
  sseMs: 60_000,
  chunkEntries: 5_000,
  pollMs: 5_000,
  retentionMs: 7 * 24 * 3600_000,
  compactEveryMs: 3600_000,
};

/**
 * The built-in, Electric-compatible shape engine: serves the HTTP Shape API from Postgres/PGlite
 * tables and the trigger-fed sync_change_log. `handle()` takes a request and a server-built shape
 * definition and returns the Electric response; it never reads table, where or columns from the
 * request.
 */
export class ShapeEngine {
  readonly options: Required<ShapeEngineOptions>;
  readonly notifier = new LiveNotifier();
  readonly #hub: LiveHub;
  readonly #sequencer: Sequencer;
  readonly #handles: HandleStore;
  readonly #schemas = new Map<string, Promise<TableSchema>>();
  readonly #reads = new Map<string, Promise<ChangeRead>>();
  readonly #cleanups: (() => Promise<void> | void)[] = [];
  #closed = false;

  private constructor(
    readonly db: Db,
    options: ShapeEngineOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.#sequencer = new Sequencer(db, (result) => this.#onStamped(result));
    this.#handles = new HandleStore(db);
    this.#hub = new LiveHub(db, { maxEntries: this.options.chunkEntries, catchUp: () => this.#sequencer.catchUp() });
  }

  static async start(db: Db, options: ShapeEngineOptions = {}): Promise<ShapeEngine> {
    const engine = new ShapeEngine(db, options);
    await readSequencer(db); // fails loudly without migration 002
    const unlistenChanges = await db.listen("sync_changes", () => void engine.#catchUpQuietly());
    const unlistenSequenced = await db.listen("sync_sequenced", (payload) => engine.#changed(payload.split(",")));
    engine.#cleanups.push(unlistenChanges, unlistenSequenced);
    const poll = setInterval(() => {
      if (engine.notifier.waiting > 0 || engine.#hub.waiting > 0) void engine.#catchUpQuietly().then(() => engine.#hub.refresh());
    }, engine.options.pollMs);
    poll.unref();
    engine.#cleanups.push(() => clearInterval(poll));
    if (engine.options.compactEveryMs > 0) {
      const compaction = setInterval(() => {
        engine.compact().catch((error: Error) => console.error("shape engine: compaction failed:", error.message));
      }, engine.options.compactEveryMs);
      compaction.unref();
      engine.#cleanups.push(() => clearInterval(compaction));
    }
    await engine.#catchUpQuietly();
    return engine;
  }

  async handle(request: Request, definition: ShapeRequestDefinition): Promise<Response> {
    if (request.method !== "GET") {
      return new Response(JSON.stringify({ message: "Method not allowed" }), { status: 405, headers: { ...BASE_HEADERS, allow: "GET" } });
    }
    return toResponse(await this.serve(new URL(request.url).searchParams, definition, request.signal));
  }

  /** The answer to a GET with these query parameters, without fetch Request/Response objects. */
  async serve(search: URLSearchParams, definition: ShapeRequestDefinition, signal: AbortSignal): Promise<ShapeReply> {
    const parsed = parseShapeParams(search);
    if (!parsed.ok) return badRequest(parsed.errors);
    const params = parsed.params;
    const schema = await this.#tableSchema(definition.table);
    checkDefinitionAgainstSchema(definition, schema);
    const hash = definitionHash(definition, schema);

    if (params.offset.kind === "snapshot") {
      const snapshot = await takeSnapshot(this.db, definition, schema, hash);
      this.#onStamped(snapshot.stamped);
      this.#handles.remember({ handle: snapshot.handle, definitionHash: hash, snapshotPosition: snapshot.position });
      return snapshotResponse({
        handle: snapshot.handle,
        offsetPosition: snapshot.position,
        messages: snapshot.body,
        upToDateAt: snapshot.position,
        schema: electricSchema(schema, definition.columns),
      });
    }
    if (params.offset.kind === "now") return this.#serveNow(definition, schema, hash);

    const known = params.handle ? await this.#handles.lookup(params.handle) : null;
    if (!known || known.definitionHash !== hash || params.offset.position < known.snapshotPosition) {
      return mustRefetch(mintHandle(hash));
    }
    if (params.sse) {
      return serveSse(this, { definition, schema, handle: known.handle, hash, from: params.offset.position, cursor: params.cursor }, signal);
    }
    return this.#serveChanges(definition, schema, known.handle, hash, params, params.offset.position, signal);
  }

  async #serveChanges(
    definition: ShapeRequestDefinition,
    schema: TableSchema,
    handle: string,
    hash: string,
    params: ShapeParams,
    from: number,
    signal: AbortSignal,
  ): Promise<ShapeReply> {
    const deadline = Date.now() + (params.live ? this.options.longPollMs : 0);
    let position = from;
    const waiting = params.live ? this.waitLive({ definition, schema, hash, position }, this.options.longPollMs, signal) : null;
    if (waiting) {
      const cursor = () => nextCursor(params.cursor, this.options.longPollMs / 1000);
      const live = await waiting;
      if (live.kind === "changes") {
        return shapeReply({ handle, offsetPosition: live.offsetPosition, body: live.batch.json, upToDateAt: live.offsetPosition, schema: null, cursor: cursor() });
      }
      if (live.kind === "idle") {
        return shapeResponse({ handle, offsetPosition: live.offsetPosition, messages: [], upToDateAt: live.offsetPosition, schema: null, cursor: cursor() });
      }
      position = live.position; // fallback: this request reads its own chunks below
    }
    for (;;) {
      const since = this.notifier.version;
      const read = await this.readSince(definition, schema, hash, position);
      if (read.kind === "must-refetch") return mustRefetch(mintHandle(hash));
      position = read.offsetPosition; // skips entries of other shapes for the next round, too
      const remaining = deadline - Date.now();
      // A live request never returns empty before its hold is over: the client would spin.
      if (read.messages.length > 0 || !params.live || remaining <= 0 || signal.aborted || this.#closed) {
        return shapeResponse({
          handle,
          offsetPosition: read.offsetPosition,
          messages: read.messages,
          upToDateAt: read.complete ? read.head : null,
          schema: params.live ? null : electricSchema(schema, definition.columns),
          cursor: params.live ? nextCursor(params.cursor, this.options.longPollMs / 1000) : null,
        });
      }
      await this.notifier.waitFor(definition.table, since, remaining, signal);
    }
  }

  /**
   * Parks a live request (a long-poll or an SSE stream between batches) in the shared live hub;
   * null when the hub does not take this definition (the caller reads per request).
   */
  waitLive(
    request: { definition: ShapeRequestDefinition; schema: TableSchema; hash: string; position: number },
    ms: number,
    signal: AbortSignal,
  ): Promise<LiveResult> | null {
    return this.#hub.accepts(request.definition, request.schema) ? this.#hub.wait(request, ms, signal) : null;
  }

  /**
   * Stamps what committed so far, then reads this shape's changes after `position`. Clients of one
   * definition at one position (say, all contacts of an account woken by the same change) share a
   * read; only one started at the same notifier version, so a shared read never misses a change a
   * fresh one would have seen: anything stamped after it started moves the version on, and the
   * waiter wakes again.
   */
  readSince(definition: ShapeRequestDefinition, schema: TableSchema, hash: string, position: number): Promise<ChangeRead> {
    const key = `${hash}:${position}:${this.notifier.version}`;
    let read = this.#reads.get(key);
    if (!read) {
      read = this.#sequencer
        .catchUp()
        .then(() => readChanges(this.db, definition, schema, position, this.options.chunkEntries))
        .finally(() => this.#reads.delete(key));
      this.#reads.set(key, read);
    }
    return read;
  }

  /** offset=now: a handle positioned at the head, no rows (the client wants only what follows). */
  async #serveNow(definition: ShapeRequestDefinition, schema: TableSchema, hash: string): Promise<ShapeReply> {
    await this.#sequencer.catchUp();
    const handle = mintHandle(hash);
    const { head } = await readSequencer(this.db);
    await recordHandle(this.db, { handle, shapeName: definition.name, definitionHash: hash, snapshotPosition: head });
    return shapeResponse({
      handle,
      offsetPosition: head,
      messages: [],
      upToDateAt: head,
      schema: electricSchema(schema, definition.columns),
      cursor: null,
    });
  }

  /** Deletes log entries and handles older than the retention (default: the engine's option). */
  async compact(retentionMs = this.options.retentionMs): Promise<CompactionResult> {
    const result = await compactChangeLog(this.db, retentionMs);
    this.#onStamped(result.stamped);
    return result;
  }

  /** Held long-polls in the shared live path, and the change-log reads it made for them. */
  get liveStats(): { waiting: number; sharedReads: number } {
    return { waiting: this.#hub.waiting, sharedReads: this.#hub.reads };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Releases held requests and stops listening; the Db stays open (it belongs to the caller). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.notifier.close();
    this.#hub.close();
    for (const cleanup of this.#cleanups.splice(0)) await cleanup();
  }

  #tableSchema(table: string): Promise<TableSchema> {
    let schema = this.#schemas.get(table);
    if (!schema) {
      schema = loadTableSchema(this.db, table);
      schema.catch(() => this.#schemas.delete(table));
      this.#schemas.set(table, schema);
    }
    return schema;
  }

  #onStamped(result: StampResult): void {
    if (result.tables.length > 0) this.#changed(result.tables);
  }

  #changed(tables: readonly string[]): void {
    this.notifier.changed(tables);
    this.#hub.changed(tables);
  }

  async #catchUpQuietly(): Promise<void> {
    if (this.#closed) return;
    await this.#sequencer.catchUp().catch((error: Error) => console.error("shape engine: sequencing failed:", error.message));
  }
}
