import { SHAPES, type ShapeDefinition } from "../shapes/registry";
import type { SqlDriver } from "./driver";
import { SEARCH_SCHEMA_SQL, SEARCH_TABLES } from "./search-sources";

/**
 * The replica's SQLite schema, derived from the shape registry: one table per shape (named like
 * the Postgres table, so SQL reads the same on both sides), every column TEXT holding the value in
 * Postgres text format exactly as the shape delivers it (`numeric` stays a decimal string, dates
 * stay `YYYY-MM-DD`), `id` the primary key.
 *
 * Migrations are "drop and resync": the replica is a cache of the server, so when the schema
 * version or the registry's column lists change, every table is dropped and recreated and the
 * shapes stream again from offset -1. That is always correct and never needs a hand-written
 * ALTER that could disagree with the server.
 */

/**
 * SQLite's largest page size. In the browser every page is one OPFS call, and the call, not the
 * bytes, is what costs (opfs.ts); in memory (tests) it makes no measurable difference.
 */
export const REPLICA_PAGE_SIZE = 65536;

/** Bump when the replica's own tables (sync_state, meta, search index, indexes) change shape. */
export const REPLICA_SCHEMA_VERSION = 4;

const INTERNAL_TABLES = ["meta", "sync_state", ...SEARCH_TABLES];

/**
 * Columns that point at a parent document or at the scope, indexed in every table that has them:
 * detail views and the search index look children up by these (`WHERE invoice_id = ?`), and an
 * unindexed lookup per document would make the index build quadratic.
 */
const INDEXED_REFERENCE_COLUMNS = [
  "sales_order_id", "invoice_id", "shipment_id", "delivery_note_id", "quote_id", "ticket_id", "location_id", "cost_center_id",
  "document_id",
];

/** Quotes an SQL identifier. Registry names are plain snake_case, but never trust that silently. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** FNV-1a over the registry's tables and columns: any change to them forces a rebuild. */
export function registryFingerprint(shapes: readonly ShapeDefinition[] = SHAPES): string {
  const text = shapes.map((s) => `${s.name}:${s.table}:${s.primaryKey.join(",")}:${s.columns.join(",")}`).join("|");
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${REPLICA_SCHEMA_VERSION}-${hash.toString(16).padStart(8, "0")}`;
}

export function shapeTableSql(shape: ShapeDefinition): string {
  if (shape.primaryKey.length !== 1 || shape.primaryKey[0] !== "id") {
    throw new Error(`Shape ${shape.name}: the replica supports the single primary key "id" only (got ${shape.primaryKey.join(", ")}).`);
  }
  // "id" is unique through an index rather than a PRIMARY KEY constraint (the same thing inside
  // SQLite), because an index can be dropped: a truncating commit drops the table's indexes, loads
  // the snapshot and builds them again in one sorted pass each (apply.ts replaceRows).
  const columns = shape.columns.map((c) => (c === "id" ? `${ident(c)} TEXT NOT NULL` : `${ident(c)} TEXT`));
  const indexes = shape.columns
    .filter((c) => INDEXED_REFERENCE_COLUMNS.includes(c))
    .map((c) => `CREATE INDEX ${ident(`${shape.table}_${c}_idx`)} ON ${ident(shape.table)} (${ident(c)});`);
  return [
    `CREATE TABLE ${ident(shape.table)} (${columns.join(", ")});`,
    `CREATE UNIQUE INDEX ${ident(`${shape.table}_id_key`)} ON ${ident(shape.table)} ("id");`,
    ...indexes,
  ].join("\n");
}

const BASE_SCHEMA_SQL = `
  CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
  -- Where each shape's stream resumes. Written in the same transaction as the rows it describes.
  CREATE TABLE sync_state (
    shape TEXT PRIMARY KEY NOT NULL,
    handle TEXT,
    "offset" TEXT,
    schema_version INTEGER,
    synced_at TEXT
  );
`;

export interface MigrationResult {
  /** True when the database was empty or had an older schema and was (re)built from scratch. */
  rebuilt: boolean;
  previousFingerprint: string | null;
}

export function migrateReplica(driver: SqlDriver, shapes: readonly ShapeDefinition[] = SHAPES): MigrationResult {
  for (const shape of shapes) {
    if (INTERNAL_TABLES.includes(shape.table)) throw new Error(`Shape ${shape.name} uses the reserved replica table name ${shape.table}.`);
  }
  const fingerprint = registryFingerprint(shapes);
  const previous = readFingerprint(driver);
  if (previous === fingerprint) return { rebuilt: false, previousFingerprint: previous };

  driver.transaction(() => dropEverything(driver));
  // An empty database takes a new page size with VACUUM (instant, nothing to copy). Files created
  // before REPLICA_PAGE_SIZE keep their old page size until this rebuild.
  const pageSize = Number(driver.selectValue("PRAGMA page_size"));
  if (pageSize !== REPLICA_PAGE_SIZE) driver.exec(`PRAGMA page_size = ${REPLICA_PAGE_SIZE}; VACUUM;`);
  driver.transaction(() => {
    driver.exec(BASE_SCHEMA_SQL);
    for (const shape of shapes) driver.exec(shapeTableSql(shape));
    driver.exec(SEARCH_SCHEMA_SQL);
    setMeta(driver, "schema_version", String(REPLICA_SCHEMA_VERSION));
    setMeta(driver, "registry_fingerprint", fingerprint);
    setMeta(driver, "search_state", "pending");
    setMeta(driver, "created_at", new Date().toISOString());
  });
  return { rebuilt: true, previousFingerprint: previous };
}

function readFingerprint(driver: SqlDriver): string | null {
  const hasMeta = driver.selectValue("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'");
  if (!hasMeta) return null;
  return getMeta(driver, "registry_fingerprint");
}

/** Drops every table of the replica (virtual tables first: dropping one drops its shadow tables). */
function dropEverything(driver: SqlDriver): void {
  const virtual = driver.selectObjects<{ name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
  );
  for (const { name } of virtual) driver.exec(`DROP TABLE IF EXISTS ${ident(name)}`);
  const tables = driver.selectObjects<{ name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  for (const { name } of tables) driver.exec(`DROP TABLE IF EXISTS ${ident(name)}`);
}

export function getMeta(driver: SqlDriver, key: string): string | null {
  const value = driver.selectValue("SELECT value FROM meta WHERE key = ?", [key]);
  return typeof value === "string" ? value : null;
}

export function setMeta(driver: SqlDriver, key: string, value: string): void {
  driver.run("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]);
}

/** A shape stream's resume point, as `@electric-sql/client` exposes it (`shapeHandle`, `lastOffset`). */
export interface StreamPosition {
  handle: string | undefined;
  offset: string;
}

export interface SavedSyncState extends StreamPosition {
  syncedAt: string | null;
}

/**
 * The saved position of a shape, or null when it must start from scratch: never synced, saved by
 * another schema version, or saved without a handle (the client refuses an offset without one).
 */
export function loadSyncState(driver: SqlDriver, shapeName: string): SavedSyncState | null {
  const [row] = driver.selectObjects<{ handle: string | null; offset: string | null; schema_version: number | null; synced_at: string | null }>(
    `SELECT handle, "offset", schema_version, synced_at FROM sync_state WHERE shape = ?`,
    [shapeName],
  );
  if (!row || !row.handle || !row.offset || row.offset === "-1" || row.schema_version !== REPLICA_SCHEMA_VERSION) return null;
  return { handle: row.handle, offset: row.offset, syncedAt: row.synced_at };
}

export function saveSyncState(driver: SqlDriver, shapeName: string, position: StreamPosition, syncedAt = new Date().toISOString()): void {
  driver.run(
    `INSERT INTO sync_state (shape, handle, "offset", schema_version, synced_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (shape) DO UPDATE SET handle = excluded.handle, "offset" = excluded."offset",
       schema_version = excluded.schema_version, synced_at = excluded.synced_at`,
    [shapeName, position.handle ?? null, position.offset, REPLICA_SCHEMA_VERSION, syncedAt],
  );
}

export function clearSyncState(driver: SqlDriver, shapeName: string): void {
  driver.run("DELETE FROM sync_state WHERE shape = ?", [shapeName]);
}
