import type { Db } from "~/db/db.server";
import {
  canFilterInMemory,
  canonicalConditions,
  messagesFromEntries,
  readTableLog,
  type CanonicalConditions,
  type TableLogEntry,
} from "./change-reader.server";
import { LiveBatch } from "./protocol.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import type { TableSchema } from "./table-schema.server";

/**
 * Held long-polls, grouped by table → shape definition → offset. When a table gets newly
 * sequenced entries the hub reads the change log of that table once (one query for the range after
 * the lowest waiting offset), filters it in memory for every waiting definition, serialises one
 * body per definition and offset and answers all its waiters with it. Before, every waiting client
 * ran its own transaction on each wake-up and each reconnect.
 *
 * A request is parked without any read when the hub knows its table has no entries after the
 * request's offset: `quiet` records "no entries of this table in (from, head]" from the last read,
 * and any later entry reaches the hub as a change notification, which drops that knowledge and
 * starts a read. Anything unusual (an offset the hub cannot vouch for, more entries than one
 * read takes, truncation, compaction, a condition type not compared in memory) is handed back as
 * "fallback" and served by the per-request path (readChanges), which handles all of it.
 */

export type LiveResult =
  /** New changes: one batch shared by every waiter of the definition and offset (ends with up-to-date at `offsetPosition`). */
  | { kind: "changes"; batch: LiveBatch; offsetPosition: number }
  /** Nothing within the hold (or released): answer up-to-date at `offsetPosition`. */
  | { kind: "idle"; offsetPosition: number }
  /** Not for the hub: serve it with the per-request reader. */
  | { kind: "fallback"; position: number };

interface Waiter {
  /** The group it sits in now (groups move on and merge as reads find nothing for them). */
  group: Group;
  settle: (result: LiveResult) => void;
}

interface Group {
  hash: string;
  definition: ShapeRequestDefinition;
  position: number;
  waiters: Set<Waiter>;
}

interface TableState {
  schema: TableSchema;
  /** hash → position → group */
  groups: Map<string, Map<number, Group>>;
  /** No entries of this table in (from, head], as of the last read since the last notification. */
  quiet: { from: number; head: number } | null;
  /** Bumped by every change notification: a read that overlapped one cannot vouch for quiet. */
  generation: number;
  reading: boolean;
  again: boolean;
}

export interface LiveHubOptions {
  /** Most entries one shared read takes; beyond that each request reads its own chunks. */
  maxEntries: number;
  /** Stamps committed entries before a read (the engine's sequencer). */
  catchUp: () => Promise<unknown>;
}

export class LiveHub {
  readonly #tables = new Map<string, TableState>();
  readonly #conditions = new Map<string, Promise<CanonicalConditions>>();
  #waiting = 0;
  #reads = 0;
  #closed = false;

  constructor(
    private readonly db: Db,
    private readonly options: LiveHubOptions,
  ) {}

  get waiting(): number {
    return this.#waiting;
  }

  /** Shared change-log reads so far (the benchmark and tests watch it). */
  get reads(): number {
    return this.#reads;
  }

  accepts(definition: ShapeRequestDefinition, schema: TableSchema): boolean {
    return !this.#closed && canFilterInMemory(definition, schema);
  }

  /**
   * Holds a live request at `position` until its definition has changes after it, `ms` passes or
   * `signal` aborts. Resolves with the shared answer.
   */
  wait(
    request: { definition: ShapeRequestDefinition; schema: TableSchema; hash: string; position: number },
    ms: number,
    signal: AbortSignal,
  ): Promise<LiveResult> {
    const state = this.#table(request.schema);
    let group = state.groups.get(request.hash)?.get(request.position);
    if (!group) {
      group = { hash: request.hash, definition: request.definition, position: request.position, waiters: new Set() };
      this.#addGroup(state, group);
    }
    const parked = group;
    return new Promise<LiveResult>((resolve) => {
      const waiter: Waiter = {
        group: parked,
        settle: (result) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onRelease);
          this.#waiting -= 1;
          resolve(result);
        },
      };
      // Timeout and abort take the waiter out of whatever group it sits in by then.
      const onRelease = () => {
        const current = waiter.group;
        current.waiters.delete(waiter);
        if (current.waiters.size === 0) this.#removeGroup(state, current);
        waiter.settle({ kind: "idle", offsetPosition: current.position });
      };
      const timer = setTimeout(onRelease, Math.max(0, ms));
      signal.addEventListener("abort", onRelease, { once: true });
      this.#waiting += 1;
      parked.waiters.add(waiter);
      if (signal.aborted) return onRelease();
      const quiet = state.quiet;
      const vouched = quiet !== null && request.position >= quiet.from && request.position <= quiet.head;
      if (!vouched) this.#read(request.definition.table);
    });
  }

  /** Tables got new entries (a local stamping run or another process's NOTIFY). */
  changed(tables: readonly string[]): void {
    for (const table of tables) {
      const state = this.#tables.get(table);
      if (!state) continue;
      state.generation += 1;
      state.quiet = null;
      if (state.groups.size > 0) this.#read(table);
    }
  }

  /** Forgets what it vouched for and rereads every table with waiters (the lost-NOTIFY safety net). */
  refresh(): void {
    this.changed([...this.#tables.keys()]);
  }

  /** Answers every held request with its current offset (engine shutdown). */
  close(): void {
    this.#closed = true;
    for (const state of this.#tables.values()) {
      for (const group of this.#allGroups(state)) this.#settleGroup(state, group, { kind: "idle", offsetPosition: group.position });
    }
  }

  #table(schema: TableSchema): TableState {
    let state = this.#tables.get(schema.table);
    if (!state) {
      state = { schema, groups: new Map(), quiet: null, generation: 0, reading: false, again: false };
      this.#tables.set(schema.table, state);
    }
    state.schema = schema;
    return state;
  }

  #addGroup(state: TableState, group: Group): void {
    let byPosition = state.groups.get(group.hash);
    if (!byPosition) {
      byPosition = new Map();
      state.groups.set(group.hash, byPosition);
    }
    byPosition.set(group.position, group);
  }

  #removeGroup(state: TableState, group: Group): void {
    const byPosition = state.groups.get(group.hash);
    if (byPosition?.get(group.position) !== group) return;
    byPosition.delete(group.position);
    if (byPosition.size === 0) state.groups.delete(group.hash);
  }

  #allGroups(state: TableState): Group[] {
    return [...state.groups.values()].flatMap((byPosition) => [...byPosition.values()]);
  }

  #settleGroup(state: TableState, group: Group, result: LiveResult): void {
    this.#removeGroup(state, group);
    const waiters = [...group.waiters];
    group.waiters.clear();
    for (const waiter of waiters) waiter.settle(result);
  }

  /** Moves a group on to `position` (nothing for it up to there), merging with one already there. */
  #advance(state: TableState, group: Group, position: number): void {
    if (group.position === position) return;
    this.#removeGroup(state, group);
    const existing = state.groups.get(group.hash)?.get(position);
    if (existing) {
      for (const waiter of group.waiters) {
        waiter.group = existing;
        existing.waiters.add(waiter);
      }
      return;
    }
    group.position = position;
    this.#addGroup(state, group);
  }

  /** One shared read at a time per table; notifications during it cause one more. */
  #read(table: string): void {
    const state = this.#tables.get(table);
    if (!state) return;
    if (state.reading) {
      state.again = true;
      return;
    }
    state.reading = true;
    void (async () => {
      try {
        do {
          state.again = false;
          await this.#readOnce(state);
        } while (state.again && state.groups.size > 0 && !this.#closed);
      } catch (error) {
        // The per-request path reports the failure to its client (500 → the client retries).
        console.error(`shape engine: shared live read of ${table} failed:`, (error as Error).message);
        for (const group of this.#allGroups(state)) this.#settleGroup(state, group, { kind: "fallback", position: group.position });
      } finally {
        state.reading = false;
      }
    })();
  }

  async #readOnce(state: TableState): Promise<void> {
    if (state.groups.size === 0) return;
    await this.options.catchUp();
    // Notifications up to here (this catch-up's own among them) are covered by the read below.
    state.again = false;
    const generation = state.generation;
    const groups = this.#allGroups(state);
    if (groups.length === 0) return;
    const definitions = new Map(groups.map((g) => [g.hash, g.definition]));
    const conditions = new Map<string, CanonicalConditions>();
    for (const [hash, definition] of definitions) conditions.set(hash, await this.#canonical(hash, definition, state.schema));
    const columns = new Set<string>();
    const conditionColumns = new Set<string>();
    for (const definition of definitions.values()) {
      for (const column of [...definition.columns, ...definition.primaryKey]) columns.add(column);
      for (const condition of definition.conditions) conditionColumns.add(condition.column);
    }
    const from = Math.min(...groups.map((g) => g.position));
    this.#reads += 1;
    const read = await readTableLog(this.db, state.schema, {
      fromPosition: from,
      columns: [...columns],
      conditionColumns: [...conditionColumns],
      limit: this.options.maxEntries,
    });
    const { head, compactedThrough } = read;
    const entries: readonly TableLogEntry[] = read.kind === "entries" ? read.entries : [];
    const truncatedAt = entries.find((e) => e.operation === "truncate")?.position ?? null;
    // Every group now waiting that this read covers, including ones parked while it ran.
    for (const group of this.#allGroups(state)) {
      if (group.position < from || !conditions.has(group.hash)) {
        state.again = true; // parked during the read, below its range or with a new definition
        continue;
      }
      const unusual =
        read.kind === "overflow" || group.position < compactedThrough || group.position > head || (truncatedAt !== null && truncatedAt > group.position);
      if (unusual) {
        this.#settleGroup(state, group, { kind: "fallback", position: group.position });
        continue;
      }
      const messages = messagesFromEntries(group.definition, conditions.get(group.hash)!, entries, group.position);
      if (messages.length > 0) {
        // One batch for every waiter of this definition and offset, long-polls and SSE streams alike:
        // each encoding (JSON array, SSE frames) is built once, on first use, and written as is.
        this.#settleGroup(state, group, { kind: "changes", batch: new LiveBatch(messages, head), offsetPosition: head });
      } else {
        this.#advance(state, group, head); // nothing for this definition up to head
      }
    }
    if (read.kind === "entries" && state.generation === generation) {
      const last = entries.length > 0 ? entries[entries.length - 1].position : from;
      state.quiet = { from: Math.max(last, from), head };
    }
  }

  #canonical(hash: string, definition: ShapeRequestDefinition, schema: TableSchema): Promise<CanonicalConditions> {
    let pending = this.#conditions.get(hash);
    if (!pending) {
      if (this.#conditions.size > 10_000) this.#conditions.clear();
      pending = canonicalConditions(this.db, definition, schema);
      pending.catch(() => this.#conditions.delete(hash));
      this.#conditions.set(hash, pending);
    }
    return pending;
  }
}
