import type { SqlDriver, SqlParam } from "./driver";
import { getMeta, setMeta } from "./schema";
import {
  FTS_COLUMNS, SEARCH_DOC_COLUMNS, SEARCH_DOC_INDEXES, SEARCH_DOC_INDEXES_SQL, SOURCES, SOURCE_TABLES, TOUCHES, TOUCH_IDS_CTE, type DocumentSource,
  type SourceSql,
} from "./search-sources";

/**
 * The replica's search index: building it and keeping it current (search.ts queries it).
 *
 * Initial load: rows are inserted without any index maintenance. `indexSources` indexes whole
 * document sources once every table they read holds its first snapshot (SOURCE_TABLES; sync.ts
 * decides when, possibly while other shapes still load): one INSERT…SELECT into search_docs and one
 * set-based insert into FTS5, an order of magnitude faster than per-row triggers (decision 008,
 * session-7 addendum). `rebuildSearchIndex` does all sources in one transaction with FTS5's
 * 'rebuild'. From a source's indexing on, every apply transaction re-indexes the documents of
 * indexed sources its changes touched (`reindexDocuments`), inside the same transaction, so the
 * index never disagrees with the rows. Search is "ready" once every source is indexed.
 */

export type SearchState = "pending" | "ready";

export interface SearchProgress {
  phase: "documents" | "index" | "done";
  /** Steps done and total (one step per document type, then the FTS build). */
  done: number;
  total: number;
  documents: number;
  /** Milliseconds since the build started. */
  ms: number;
}

export type ProgressCallback = (progress: SearchProgress) => void;

export interface DocumentKey {
  source: DocumentSource;
  id: string;
}

export function getSearchState(driver: SqlDriver): SearchState {
  return getMeta(driver, "search_state") === "ready" ? "ready" : "pending";
}

export const ALL_SOURCES: readonly DocumentSource[] = SOURCES.map((s) => s.source);

/** The document sources whose documents are in the index (every one once the state is "ready"). */
export function getIndexedSources(driver: SqlDriver): Set<DocumentSource> {
  if (getSearchState(driver) === "ready") return new Set(ALL_SOURCES);
  let saved: unknown = [];
  try {
    saved = JSON.parse(getMeta(driver, "search_sources") ?? "[]");
  } catch {
    saved = [];
  }
  return new Set(ALL_SOURCES.filter((s) => Array.isArray(saved) && saved.includes(s)));
}

/** Records which sources are indexed, inside the transaction that indexed them; all of them → "ready". */
function setIndexedSources(driver: SqlDriver, sources: ReadonlySet<DocumentSource>): void {
  setMeta(driver, "search_sources", JSON.stringify(ALL_SOURCES.filter((s) => sources.has(s))));
  setMeta(driver, "search_state", ALL_SOURCES.every((s) => sources.has(s)) ? "ready" : "pending");
}

/**
 * Each source's documents take doc_rowids in a block of their own, later sources of SOURCES in lower
 * blocks: whichever order the sources are indexed in, a common query's "most recently indexed
 * first" (ORDER BY rowid DESC, decision 023) lists orders, then invoices, shipments… before files
 * and tickets, as one build in reverse source order did. A document re-indexed later takes
 * max(rowid) + 1, above its block (and, once orders are indexed, above every block).
 */
const ROWID_BLOCK = 2 ** 40;
const rowidBlock = (source: DocumentSource) => (ALL_SOURCES.length - ALL_SOURCES.indexOf(source)) * ROWID_BLOCK;

function insertSourceDocs(driver: SqlDriver, sql: SourceSql): number {
  return driver.run(
    `INSERT INTO search_docs (doc_rowid, ${SEARCH_DOC_COLUMNS.join(", ")}) SELECT ${rowidBlock(sql.source)} + row_number() OVER (), * FROM (${sql.select})`,
  );
}

function withBuildCache<T>(driver: SqlDriver, fn: () => T): T {
  const cacheSize = Number(driver.selectValue("PRAGMA cache_size"));
  const raised = cacheSize < 0 ? -cacheSize < BUILD_CACHE_KIB : true;
  if (raised) driver.exec(`PRAGMA cache_size = -${BUILD_CACHE_KIB}`);
  try {
    return fn();
  } finally {
    if (raised) driver.exec(`PRAGMA cache_size = ${cacheSize}`);
  }
}

/**
 * Indexes every document of the given sources (all of their tables loaded), in one transaction that
 * also records them as indexed. Whatever they had in the index before is replaced.
 */
export function indexSources(driver: SqlDriver, sources: readonly DocumentSource[]): { documents: number; ms: number } {
  const started = performance.now();
  const sqls = sources.map((source) => {
    const sql = SOURCES.find((s) => s.source === source);
    if (!sql) throw new Error(`Unknown document source ${source}`);
    return sql;
  });
  // The build's page cache stays until the last source: the sources read the same tables (orders,
  // locations), and shrinking the cache after each one threw those pages away.
  if (!sourceBuildCache.has(driver)) sourceBuildCache.set(driver, Number(driver.selectValue("PRAGMA cache_size")));
  driver.exec(`PRAGMA cache_size = -${Math.max(BUILD_CACHE_KIB, -(sourceBuildCache.get(driver) ?? 0))}`);
  let last = false;
  const documents = driver.transaction(() => {
    const indexed = new Set([...getIndexedSources(driver), ...sources]);
    last = indexed.size === ALL_SOURCES.length;
    if (!last) {
      // Until the last source: no search_docs indexes (SEARCH_DOC_INDEXES_SQL), and no FTS5
      // automerge, which would rewrite the sources' segments at every source.
      for (const index of SEARCH_DOC_INDEXES) driver.exec(`DROP INDEX IF EXISTS ${index}`);
      driver.run("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)");
    }
    let inserted = 0;
    for (const sql of sqls) {
      removeSourceDocs(driver, sql.source);
      const count = insertSourceDocs(driver, sql);
      const block = rowidBlock(sql.source);
      driver.run(`INSERT INTO search_fts (rowid, ${FTS_LIST}) SELECT doc_rowid, ${FTS_LIST} FROM search_docs WHERE doc_rowid > ? AND doc_rowid <= ?`, [
        block, block + count,
      ]);
      inserted += count;
    }
    setIndexedSources(driver, indexed);
    if (last) completeIndex(driver);
    return inserted;
  });
  if (last) {
    driver.exec(`PRAGMA cache_size = ${sourceBuildCache.get(driver)}`);
    sourceBuildCache.delete(driver);
  }
  return { documents, ms: performance.now() - started };
}

export const indexSource = (driver: SqlDriver, source: DocumentSource) => indexSources(driver, [source]);

/** The connection's own cache size while indexSource keeps the build's (until the last source). */
const sourceBuildCache = new WeakMap<SqlDriver, number>();

/**
 * The end of indexing source by source: search_docs' indexes, and one FTS5 segment. Each source's
 * transaction left a segment of its own (7–9 in all), and a query merges the doclists of every
 * segment; 'optimize' makes the index what one full build makes (Node, 100k documents: 0.23 s;
 * search p95 11.5 → 5.9 ms).
 */
function completeIndex(driver: SqlDriver): void {
  driver.exec(SEARCH_DOC_INDEXES_SQL);
  driver.run("INSERT INTO search_fts (search_fts) VALUES ('optimize')");
  driver.run("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)");
}

function removeSourceDocs(driver: SqlDriver, source: DocumentSource): void {
  // External-content FTS5 must be told the old values of a row it forgets.
  driver.run(`INSERT INTO search_fts (search_fts, rowid, ${FTS_LIST}) SELECT 'delete', doc_rowid, ${FTS_LIST} FROM search_docs WHERE source = ?`, [source]);
  driver.run("DELETE FROM search_docs WHERE source = ?", [source]);
}

const INSERT_DOCS = `INSERT INTO search_docs (${SEARCH_DOC_COLUMNS.join(", ")}) `;
const FTS_LIST = FTS_COLUMNS.join(", ");

/**
 * The page cache (KiB) a full build runs with; the connection's own size (64 MB in the browser,
 * opfs.ts) is restored after it. The build reads every shape table and writes search_docs and the
 * FTS5 index in one transaction: at 64 MB the worker re-read and spilled pages through OPFS, and
 * the build of 100k documents in Chromium took ~1 s longer (decision 008, addendum "index build").
 * The cost: the WASM heap grows to this size during the build and never shrinks.
 */
export const BUILD_CACHE_KIB = 262_144;

/**
 * Rebuilds search_docs and the FTS index from the shape tables, in one transaction: every source, or
 * with `only` just those (the indexed ones while the first load is still under way).
 */
export function rebuildSearchIndex(
  driver: SqlDriver,
  onProgress?: ProgressCallback,
  only?: ReadonlySet<DocumentSource>,
): { documents: number; ms: number } {
  const started = performance.now();
  return withBuildCache(driver, () => buildInTransaction(driver, started, onProgress, only));
}

function buildInTransaction(
  driver: SqlDriver,
  started: number,
  onProgress: ProgressCallback | undefined,
  only: ReadonlySet<DocumentSource> | undefined,
): { documents: number; ms: number } {
  const sources = SOURCES.filter((s) => !only || only.has(s.source));
  const total = sources.length + 1;
  let documents = 0;
  driver.transaction(() => {
    driver.run("DELETE FROM search_docs");
    sources.forEach((source, index) => {
      documents += insertSourceDocs(driver, source);
      onProgress?.({ phase: "documents", done: index + 1, total, documents, ms: performance.now() - started });
    });
    // 'rebuild' discards the old index and reads every row of the content table in one pass.
    driver.run("INSERT INTO search_fts (search_fts) VALUES ('rebuild')");
    setIndexedSources(driver, new Set(sources.map((s) => s.source)));
    if (sources.length === ALL_SOURCES.length) {
      driver.exec(SEARCH_DOC_INDEXES_SQL);
      driver.run("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)");
    }
  });
  const ms = performance.now() - started;
  onProgress?.({ phase: "done", done: total, total, documents, ms });
  return { documents, ms };
}

/** Documents whose search row may change when the given rows of `table` change (see TOUCHES). */
export function collectTouches(driver: SqlDriver, table: string, ids: readonly string[], into: Map<string, DocumentKey>): void {
  const queries = TOUCHES[table];
  if (!queries || ids.length === 0) return;
  const sql = `${TOUCH_IDS_CTE}, touched(source, doc_id) AS (${queries.join(" UNION ALL ")})
               SELECT DISTINCT source, doc_id FROM touched WHERE doc_id IS NOT NULL`;
  for (const row of driver.selectObjects<{ source: DocumentSource; doc_id: string }>(sql, [JSON.stringify(ids)])) {
    into.set(`${row.source}\u0000${row.doc_id}`, { source: row.source, id: row.doc_id });
  }
}

/** Whether changes to `table` can alter search rows (of the given sources only, if given). */
export function touchesSearch(table: string, sources?: ReadonlySet<DocumentSource>): boolean {
  if (!(table in TOUCHES)) return false;
  return !sources || [...sources].some((source) => SOURCE_TABLES[source].includes(table));
}

/** Re-derives the search rows of the given documents (deleted documents just leave the index). */
export function reindexDocuments(driver: SqlDriver, keys: Iterable<DocumentKey>): number {
  const bySource = new Map<DocumentSource, string[]>();
  for (const key of keys) {
    const ids = bySource.get(key.source) ?? [];
    ids.push(key.id);
    bySource.set(key.source, ids);
  }
  let count = 0;
  driver.transaction(() => {
    for (const [source, ids] of bySource) {
      const sql = SOURCES.find((s) => s.source === source);
      if (!sql) continue;
      const params: SqlParam[] = [source, JSON.stringify(ids)];
      const inIds = "source = ? AND doc_id IN (SELECT value FROM json_each(?))";
      // External-content FTS5 must be told the old values of a row it forgets.
      driver.run(
        `INSERT INTO search_fts (search_fts, rowid, ${FTS_LIST}) SELECT 'delete', doc_rowid, ${FTS_LIST} FROM search_docs WHERE ${inIds}`,
        params,
      );
      driver.run(`DELETE FROM search_docs WHERE ${inIds}`, params);
      count += driver.run(`${INSERT_DOCS}${sql.select} WHERE ${sql.alias}.id IN (SELECT value FROM json_each(?))`, [params[1]]);
      driver.run(`INSERT INTO search_fts (rowid, ${FTS_LIST}) SELECT doc_rowid, ${FTS_LIST} FROM search_docs WHERE ${inIds}`, params);
    }
  });
  return count;
}
