import { BackoffDefaults, FetchError, ShapeStream, type Row, type ShapeStreamOptions } from "@electric-sql/client";
import { SHAPES, type ShapeDefinition } from "../shapes/registry";
import { ShapeApplier, type CommitResult, type SearchMode } from "./apply";
import type { SqlDriver } from "./driver";
import { ident } from "./schema";
import { DecoderUnavailableError, type SnapshotDecoderClient } from "./snapshot-decoder";
import { ALL_SOURCES, getIndexedSources, indexSources, rebuildSearchIndex, type ProgressCallback } from "./search-index";
import { SOURCE_TABLES, type DocumentSource } from "./search-sources";

/**
 * Runs one ShapeStream per registry shape against the gateway and feeds each into its applier.
 *
 * Two ways to stay current, because of the browser's connection limit: over HTTP/1.1 a browser
 * opens at most 6 connections per host, and one live long-poll per shape (25 shapes) would starve
 * the page's own requests for up to 20 s each. So:
 * - "live": one long-lived stream per shape; right when the gateway speaks HTTP/2+.
 * - "interval": catch-up rounds (`subscribe: false` streams, at most `concurrency` at a time) every
 *   `intervalMs`, plus `refresh()` on demand (after a Remix action, say).
 * - "auto" (default): catch up once, then pick "live" if the sync requests went over h2/h3
 *   (Resource Timing's nextHopProtocol), else "interval".
 *
 * Live streams use Server-Sent Events (`liveSse: true`): one response held open per stream, a
 * frame per change, instead of a long-poll answered and asked again after every change
 * (docs/decisions/007, addendum). Behind a proxy that buffers event streams, the client itself
 * falls back to long-polling after three SSE responses shorter than a second.
 */

export type SyncMode = "auto" | "live" | "interval";

export interface ShapeSyncStatus {
  name: string;
  /** Caught up with the server at least once in this session. */
  upToDate: boolean;
  /** Has rows from an earlier session or this one (a saved stream position). */
  hasData: boolean;
  rows: number;
  syncedAt: string | null;
  error: string | null;
}

export interface SyncStatus {
  phase: "syncing" | "indexing" | "ready" | "stopped";
  mode: "live" | "interval" | null;
  /** 0–100: shapes caught up this session plus the search index build, in equal steps. */
  progress: number;
  searchReady: boolean;
  shapes: ShapeSyncStatus[];
  /** Apply transactions so far and the time spent in them (worker time, not network). */
  commits: number;
  applyMs: number;
}

export interface SyncControllerOptions {
  driver: SqlDriver;
  /** Absolute URL of the gateway's shape routes; the shape name is appended (`…/sync/shapes`). */
  baseUrl: string;
  accountId: string;
  shapes?: readonly ShapeDefinition[];
  mode?: SyncMode;
  intervalMs?: number;
  concurrency?: number;
  fetchClient?: typeof fetch;
  /**
   * Initial snapshot responses (offset -1) from this many characters on are inserted by SQLite from
   * the response text, without the client parsing the rows (ShapeApplier.takeRawSnapshot). Default
   * 256 KiB; Infinity turns it off.
   */
  rawSnapshotMinChars?: number;
  /**
   * Starts the snapshot worker (snapshot-decoder.ts), called at start() when a shape has no rows
   * yet, else at the first initial snapshot request of the first catch-up (a reload with every
   * shape saved starts none). While it is available,
   * initial snapshot requests are made and converted there, off this thread (the threshold counts
   * bytes then). The controller closes it after the first catch-up: a later snapshot (a refetch)
   * is rare, and the worker's WASM heap, as big as the largest snapshot twice, is worth giving back.
   */
  snapshotDecoder?: () => SnapshotDecoderClient | null;
  onStatus?: (status: SyncStatus) => void;
  onCommit?: (commit: CommitResult) => void;
  onSearchProgress?: ProgressCallback;
  /** Before every shape is in, a document source is indexed only from this many documents on (default EARLY_INDEX_MIN_DOCUMENTS). */
  earlyIndexMinDocuments?: number;
  /** ...and only after this thread waited this long for the snapshot it just committed (default EARLY_INDEX_MIN_WAIT_MS). */
  earlyIndexMinWaitMs?: number;
  /** The gateway answered 401 (any shape) or 403/404 for the account's own shape: wipe the replica. */
  onAccessDenied?: (httpStatus: number) => void;
  /** Which HTTP version the sync requests used ("h2", "http/1.1"), for mode "auto". */
  detectProtocol?: (url: string) => string | null;
}

/** Keeps every value in Postgres text format; booleans normalised to t/f (snapshots send true/false). */
const keepText = (value: string) => value;
export const PG_TEXT_PARSER: NonNullable<ShapeStreamOptions["parser"]> = {
  int2: keepText, int4: keepText, int8: keepText, float4: keepText, float8: keepText, json: keepText, jsonb: keepText,
  bool: (value: string) => (value === "t" || value === "true" ? "t" : "f"),
};

interface ShapeState {
  shape: ShapeDefinition;
  applier: ShapeApplier;
  /** The gateway answered this shape with a 4xx (other than an account-wide denial). */
  refused: boolean;
  status: ShapeSyncStatus;
  running: Promise<void> | null;
  abort: AbortController | null;
}

export class SyncController {
  private readonly states: ShapeState[];
  private readonly options: SyncControllerOptions;
  private mode: "live" | "interval" | null = null;
  /** The document sources in the search index; all of them: search is ready. */
  private readonly indexed: Set<DocumentSource>;
  private indexing = false;
  /** Time spent indexing sources while the first load was under way, and their documents. */
  private indexMs = 0;
  /** How long this thread waited for data before the latest commit (ms), and when it was last busy. */
  private waitedMs = 0;
  private busyUntil: number | null = null;
  private indexDocuments = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private commits = 0;
  private applyMs = 0;
  /** Started at most once, in the first catch-up; closed (unavailable) after it. */
  private decoderStarted = false;
  private startedDecoder: SnapshotDecoderClient | null = null;

  constructor(options: SyncControllerOptions) {
    this.options = options;
    const driver = options.driver;
    this.indexed = getIndexedSources(driver);
    this.states = (options.shapes ?? SHAPES).map((shape) => {
      const applier = new ShapeApplier(driver, shape, { searchMode: () => this.searchMode() });
      const saved = driver.selectValue("SELECT synced_at FROM sync_state WHERE shape = ?", [shape.name]);
      return {
        shape, applier, running: null, abort: null, refused: false,
        status: { name: shape.name, upToDate: false, hasData: saved != null, rows: this.countRows(shape), syncedAt: (saved as string) ?? null, error: null },
      };
    });
  }

  /** Catches every shape up once, builds the search index if needed, then keeps syncing. */
  async start(): Promise<void> {
    this.emit();
    // Started now rather than at the first request: it loads its SQLite while the requests go out.
    if (this.states.some((s) => !s.status.hasData)) this.snapshotDecoder();
    await this.catchUp(this.states);
    this.closeDecoder();
    if (this.stopped) return;
    const requested = this.options.mode ?? "auto";
    this.mode = requested === "auto" ? this.detectMode() : requested;
    this.emit();
    if (this.mode === "live") for (const state of this.states) void this.runLive(state);
    else {
      // Over HTTP/1.1 a few hot shapes still hold a long-poll each (a paid invoice shows at once);
      // the rest catch up in rounds, leaving the browser's connections free for the page.
      for (const state of this.states) if (state.shape.live) void this.runLive(state);
      this.scheduleRound();
    }
  }

  private roundStates(): ShapeState[] {
    return this.mode === "live" ? [] : this.states.filter((s) => !s.shape.live);
  }

  /** Catch up now (interval mode; in live mode the streams are already current). */
  async refresh(shapeNames?: readonly string[]): Promise<void> {
    if (this.stopped || this.mode === "live") return;
    const polled = this.mode === null ? this.states : this.roundStates();
    const wanted = shapeNames ? polled.filter((s) => shapeNames.includes(s.shape.name)) : polled;
    await this.catchUp(wanted);
  }

  stop(): void {
    this.stopped = true;
    this.closeDecoder();
    if (this.timer) clearTimeout(this.timer);
    for (const state of this.states) state.abort?.abort();
    this.emit();
  }

  status(): SyncStatus {
    const shapes = this.states.map((s) => ({ ...s.status }));
    const caughtUp = shapes.filter((s) => s.upToDate).length;
    const searchReady = this.searchReady();
    const phase = this.stopped ? "stopped" : this.indexing ? "indexing" : caughtUp === shapes.length && searchReady ? "ready" : "syncing";
    const progress = Math.round((100 * (caughtUp + (searchReady ? 1 : 0))) / (shapes.length + 1));
    return { phase, mode: this.mode, progress, searchReady, shapes, commits: this.commits, applyMs: Math.round(this.applyMs) };
  }

  private async catchUp(states: readonly ShapeState[]): Promise<void> {
    const queue = [...states];
    const workers = Array.from({ length: Math.min(this.options.concurrency ?? 4, queue.length) }, async () => {
      for (let state = queue.shift(); state && !this.stopped; state = queue.shift()) await this.runStream(state, false);
    });
    await Promise.all(workers);
  }

  private scheduleRound(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.catchUp(this.roundStates()).then(() => this.scheduleRound());
    }, this.options.intervalMs ?? 15_000);
  }

  private async runLive(state: ShapeState): Promise<void> {
    await this.runStream(state, true);
    // A live stream only ends on an error it could not retry; start a new one later.
    if (!this.stopped) setTimeout(() => void this.runLive(state), 10_000);
  }

  /**
   * One ShapeStream from the saved position. A catch-up stream settles at its first up-to-date; a
   * live one keeps applying and settles only when it fails. Either settles on an error.
   */
  private runStream(state: ShapeState, live: boolean): Promise<void> {
    if (state.running) return state.running;
    const from = state.applier.startStream();
    const abort = new AbortController();
    state.abort = abort;
    state.running = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (error !== undefined) state.status.error = describe(error);
        if (settled) return;
        settled = true;
        state.running = null;
        abort.abort();
        this.emit();
        resolve();
      };
      // stop() aborts every stream; nothing else would settle the ones still fetching.
      abort.signal.addEventListener("abort", () => settle());
      const stream = new ShapeStream<Row>({
        url: `${this.options.baseUrl}/${encodeURIComponent(state.shape.name)}`,
        params: { account: this.options.accountId },
        offset: from ? (from.offset as `${number}_${number}`) : "-1",
        handle: from?.handle,
        subscribe: live,
        liveSse: live,
        signal: abort.signal,
        parser: PG_TEXT_PARSER,
        fetchClient: this.rawSnapshotFetch(state, abort.signal),
        warnOnHttp: false,
        // Catch-up rounds give up quickly when offline; the next round tries again.
        backoffOptions: live ? BackoffDefaults : { ...BackoffDefaults, maxRetries: 3 },
        onError: (error) => this.onStreamError(state, error),
      });
      stream.subscribe(
        (messages) => {
          if (this.stopped || settled) return;
          try {
            const outcome = state.applier.handleBatch(messages, () => ({ handle: stream.shapeHandle, offset: stream.lastOffset }));
            if (!outcome.upToDate) return;
            this.onUpToDate(state, outcome.commit);
            if (!live) settle();
          } catch (error) {
            // The commit rolled back and kept its buffer; a live stream retries at its next up-to-date.
            state.status.error = describe(error);
            if (!live) settle(error);
            else this.emit();
          }
        },
        (error) => settle(error),
      );
    });
    return state.running;
  }

  /**
   * The stream's fetch: a large initial snapshot's body goes to the applier, converted by the
   * snapshot worker when there is one (else here, from the text), and the client parses only what
   * the applier leaves (its control messages). Any other response passes as is. Status, headers
   * and errors reach the client as fetch gave them, so handles, offsets, 409s, 4xx (access denied)
   * and offline retries behave the same on either path.
   */
  private rawSnapshotFetch(state: ShapeState, streamSignal: AbortSignal): typeof fetch {
    const base = this.options.fetchClient ?? ((input, init) => fetch(input, init));
    const minChars = this.options.rawSnapshotMinChars ?? RAW_SNAPSHOT_MIN_CHARS;
    return async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const snapshot = Number.isFinite(minChars) && new URL(url).searchParams.get("offset") === "-1";
      const decoder = snapshot ? this.snapshotDecoder() : null;
      if (decoder?.available) {
        try {
          const { response, decoded } = await decoder.fetch(url, init, state.shape.columns, minChars);
          if (decoded && !streamSignal.aborted) state.applier.takeDecodedSnapshot(decoded);
          return response;
        } catch (error) {
          // The snapshot worker is gone (failed to start, closed): this request again, in this thread.
          if (!(error instanceof DecoderUnavailableError)) throw error;
        }
      }
      const response = await base(input, init);
      if (response.status !== 200 || !snapshot) return response;
      const body = await response.text();
      const rest = body.length >= minChars && !streamSignal.aborted ? state.applier.takeRawSnapshot(body, response.headers.get("electric-schema")) : null;
      return new Response(rest ?? body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  private snapshotDecoder(): SnapshotDecoderClient | null {
    if (!this.decoderStarted && !this.stopped) {
      this.decoderStarted = true;
      this.startedDecoder = this.options.snapshotDecoder?.() ?? null;
    }
    return this.startedDecoder;
  }

  private closeDecoder(): void {
    this.decoderStarted = true;
    this.startedDecoder?.close();
  }

  /** The snapshot worker, if one was started (closed after the first catch-up; its counters stay). */
  get snapshotWorker(): SnapshotDecoderClient | null {
    return this.startedDecoder;
  }

  private onStreamError(state: ShapeState, error: Error): void {
    // 401: signed out. 403/404 on the account's own shape (`accounts`): this session may no longer
    // see the account, which the gateway answers for every shape alike. A refusal of one other
    // shape alone (a worker built with a newer registry than the server's) is that shape's error;
    // wiping for it would throw away a good replica on every page load.
    const denied = error instanceof FetchError && (error.status === 401 || ([403, 404].includes(error.status) && state.shape.accountColumn === "id"));
    if (denied) {
      this.stop();
      this.options.onAccessDenied?.(error.status);
      return;
    }
    if (error instanceof FetchError && error.status === 400) {
      // The gateway rejected our offset or handle: start this shape over from a fresh snapshot.
      state.applier.resetPosition();
    }
    // A refused shape must not hold the search index back for ever (see onUpToDate); offline is different.
    if (error instanceof FetchError && error.status >= 400 && error.status < 500) state.refused = true;
    state.status.error = describe(error);
    this.maybeBuildSearchIndex();
    // Returning nothing stops this stream; the next round (or runLive's retry) starts a new one.
  }

  private onUpToDate(state: ShapeState, commit: CommitResult | null): void {
    state.refused = false;
    state.status.upToDate = true;
    state.status.hasData = true;
    state.status.error = null;
    if (commit) {
      this.commits += 1;
      this.applyMs += commit.ms;
      const started = performance.now() - commit.ms;
      this.waitedMs = this.busyUntil === null ? 0 : started - this.busyUntil;
      this.busyUntil = performance.now();
      state.status.rows = this.countRows(state.shape);
      state.status.syncedAt = new Date().toISOString();
      this.options.onCommit?.(commit);
    }
    this.maybeBuildSearchIndex();
    this.emit();
  }

  /** Rows of a document source's own table (sales_orders, invoices …), as of its last commit. */
  private documentsOf(source: DocumentSource): number {
    return this.states.find((s) => s.shape.table === source)?.status.rows ?? 0;
  }

  private searchReady(): boolean {
    return this.indexed.size === ALL_SOURCES.length;
  }

  private searchMode(): SearchMode {
    return this.searchReady() ? "incremental" : this.indexed.size === 0 ? "deferred" : this.indexed;
  }

  /**
   * Builds the search index of the first load. A document source may be indexed before every shape
   * is in, once all the tables it reads have their first snapshot (or were refused), but only when
   * that is free: the source has EARLY_INDEX_MIN_DOCUMENTS or more, no converted snapshot waits for
   * this thread, and the thread had to wait for the snapshot it just committed (the network or the
   * server is slower than the apply). Otherwise everything is indexed once every shape is in: one
   * full build when no source was indexed early (decision 008, session-7 addendum).
   */
  private maybeBuildSearchIndex(): void {
    if (this.stopped || this.searchReady()) return;
    const loaded = (table: string) => this.states.every((s) => s.shape.table !== table || s.status.hasData || s.refused);
    const allLoaded = this.states.every((s) => s.status.hasData || s.refused);
    // Measured on localhost (decision 008, session-7 addendum): where this thread is the bottleneck
    // (an incognito window's in-memory OPFS, or a fast portal) indexing early delayed every later
    // shape (100k documents: 45–51 s against 32–37 s in incognito).
    if (!allLoaded && (this.waitedMs < (this.options.earlyIndexMinWaitMs ?? EARLY_INDEX_MIN_WAIT_MS) || this.states.some((s) => s.applier.hasPendingSnapshot()))) return;
    const due = ALL_SOURCES.filter(
      (source) => !this.indexed.has(source) && SOURCE_TABLES[source].every(loaded) && (allLoaded || this.documentsOf(source) >= (this.options.earlyIndexMinDocuments ?? EARLY_INDEX_MIN_DOCUMENTS)),
    );
    if (due.length === 0) return;
    this.indexing = allLoaded;
    if (allLoaded) this.emit();
    try {
      if (this.indexed.size === 0 && due.length === ALL_SOURCES.length) {
        const build = rebuildSearchIndex(this.options.driver, this.options.onSearchProgress);
        for (const source of ALL_SOURCES) this.indexed.add(source);
        this.indexMs += build.ms;
        this.indexDocuments += build.documents;
        return;
      }
      const built = indexSources(this.options.driver, due);
      for (const source of due) this.indexed.add(source);
      this.indexMs += built.ms;
      this.indexDocuments += built.documents;
      this.options.onSearchProgress?.({
        phase: this.searchReady() ? "done" : "index", done: this.indexed.size, total: ALL_SOURCES.length,
        documents: this.indexDocuments, ms: this.indexMs,
      });
      this.busyUntil = performance.now();
    } catch (error) {
      // The source stays unindexed: the next commit tries again. Searches answer "unavailable" meanwhile.
      console.error("Replica search index build failed:", error);
    } finally {
      this.indexing = false;
    }
  }

  private detectMode(): "live" | "interval" {
    // The snapshot worker's requests are in its own Resource Timing, not this thread's.
    const protocol = (this.options.detectProtocol ?? negotiatedProtocol)(this.options.baseUrl) ?? this.startedDecoder?.lastProtocol ?? null;
    return protocol && /^h[23]/.test(protocol) ? "live" : "interval";
  }

  private countRows(shape: ShapeDefinition): number {
    return Number(this.options.driver.selectValue(`SELECT count(*) FROM ${ident(shape.table)}`) ?? 0);
  }

  private emit(): void {
    this.options.onStatus?.(this.status());
  }
}

const RAW_SNAPSHOT_MIN_CHARS = 256 * 1024;
/**
 * A source is indexed before every shape is in only from this many documents on. Each early
 * transaction costs a commit and its page writes, which the build at the end shares between all the
 * sources left; for a small source that fixed cost is more than the work it moves off the end (in an
 * incognito window, where every page written is an IPC, 10k documents took 2.5 s of index work
 * source by source against 0.35 s in one build). Decision 008, session-7 addendum.
 */
const EARLY_INDEX_MIN_DOCUMENTS = 5_000;
/** ...and only after this thread waited at least this long for the snapshot it just committed. */
const EARLY_INDEX_MIN_WAIT_MS = 250;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP version of the most recent request to `prefix`, from Resource Timing (null if unknown). */
export function negotiatedProtocol(prefix: string): string | null {
  if (typeof performance === "undefined" || typeof performance.getEntriesByType !== "function") return null;
  const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    if (entries[i].name.startsWith(prefix)) return entries[i].nextHopProtocol || null;
  }
  return null;
}
