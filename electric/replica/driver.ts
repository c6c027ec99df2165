import sqlite3InitModule, { type Database, type PreparedStatement, type SqlValue, type Sqlite3Static } from "@sqlite.org/sqlite-wasm";

/**
 * The replica's only door to SQLite: a synchronous driver over sqlite-wasm's oo1 `DB`. The same
 * code runs in Node (in-memory, for the tests) and in the browser worker (OPFS SAH-pool file, see
 * `opfs.ts`). Synchronous on purpose: sqlite-wasm is synchronous, so an apply transaction cannot
 * interleave with a query posted from the page (JavaScript runs one task at a time).
 */
export type SqlParam = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;

export interface SqlDriver {
  /** Runs a script of one or more statements without parameters (DDL, pragmas). */
  exec(sql: string): void;
  /** Runs one statement with positional `?` parameters; returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): number;
  /** Runs one query and returns every row as an object keyed by column name. */
  selectObjects<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): T[];
  /** The first column of the first row, or undefined when there is no row. */
  selectValue(sql: string, params?: readonly SqlParam[]): SqlValue | undefined;
  /**
   * Runs `fn` in a transaction: commit when it returns, roll back when it throws (and rethrow).
   * Nested calls become savepoints, so a helper that opens its own transaction composes with the
   * caller's one.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

interface InitConfig {
  locateFile?: (file: string, prefix: string) => string;
  print?: (...args: unknown[]) => void;
  printErr?: (...args: unknown[]) => void;
}

let sqlitePromise: Promise<Sqlite3Static> | undefined;

/**
 * Loads the WASM module once per JavaScript realm. `wasmUrl` is for the browser bundle, where the
 * `.wasm` sits next to the worker script; Node finds it inside the package.
 */
export function loadSqlite3(options: { wasmUrl?: string } = {}): Promise<Sqlite3Static> {
  // The package types `init()` without parameters (sqlite-wasm PR 129) but the Emscripten module
  // accepts the usual config object; locateFile is how a bundled worker finds the wasm.
  const init = sqlite3InitModule as unknown as (config?: InitConfig) => Promise<Sqlite3Static>;
  const wasmUrl = options.wasmUrl;
  sqlitePromise ??= init({
    ...(wasmUrl ? { locateFile: (file: string) => (file.endsWith(".wasm") ? wasmUrl : file) } : {}),
    print: () => {},
    printErr: (...args: unknown[]) => console.error("[sqlite]", ...args),
  });
  return sqlitePromise;
}

/** An in-memory database (tests, and Node tools such as benchmarks). */
export async function openMemoryDriver(): Promise<SqlDriver> {
  const sqlite3 = await loadSqlite3();
  return createOo1Driver(new sqlite3.oo1.DB(":memory:", "c"));
}

/** Wraps an open oo1 database; the driver owns it from now on (close() closes it). */
export function createOo1Driver(db: Database): SqlDriver {
  // Prepared statements are cached by SQL text: the apply loop runs the same upsert thousands of
  // times, and re-preparing it each time costs more than the insert itself.
  const statements = new Map<string, PreparedStatement>();
  let depth = 0;

  const prepared = (sql: string): PreparedStatement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };

  const finalizeAll = () => {
    for (const stmt of statements.values()) stmt.finalize();
    statements.clear();
  };

  const withStatement = <T>(sql: string, params: readonly SqlParam[] | undefined, consume: (stmt: PreparedStatement) => T): T => {
    const stmt = prepared(sql);
    try {
      if (params && params.length > 0) stmt.bind(params);
      return consume(stmt);
    } finally {
      stmt.reset(true);
    }
  };

  return {
    exec(sql) {
      // Scripts carry DDL; a dropped table would leave cached statements pointing at nothing.
      finalizeAll();
      db.exec(sql);
    },
    run(sql, params) {
      return withStatement(sql, params, (stmt) => {
        while (stmt.step()) {
          // drain: a RETURNING clause or a pragma may produce rows nobody asked for
        }
        return db.changes();
      });
    },
    selectObjects<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): T[] {
      return withStatement(sql, params, (stmt) => {
        const rows: T[] = [];
        while (stmt.step()) rows.push(stmt.get({}) as T);
        return rows;
      });
    },
    selectValue(sql, params) {
      return withStatement(sql, params, (stmt) => (stmt.step() ? stmt.get(0) : undefined));
    },
    transaction<T>(fn: () => T): T {
      const savepoint = depth === 0 ? null : `sp_${depth}`;
      db.exec(savepoint ? `SAVEPOINT ${savepoint}` : "BEGIN");
      depth += 1;
      try {
        const result = fn();
        db.exec(savepoint ? `RELEASE ${savepoint}` : "COMMIT");
        return result;
      } catch (error) {
        // Also reached when COMMIT itself fails (I/O error): SQLite may already have rolled back.
        if (savepoint) db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        else rollbackQuietly(db);
        throw error;
      } finally {
        depth -= 1;
      }
    },
    close() {
      finalizeAll();
      db.close();
    },
  };
}

function rollbackQuietly(db: Database): void {
  try {
    db.exec("ROLLBACK");
  } catch {
    // "cannot rollback - no transaction is active": a failed COMMIT already rolled back.
  }
}
