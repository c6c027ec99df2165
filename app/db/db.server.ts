import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { PGlite } from "@electric-sql/pglite";

/**
 * One data-access path for Postgres and PGlite. Module code only ever sees `Db`/`Queryable`,
 * and both engines return the same JS types for the same SQL (see `PARSERS`).
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations, fixtures). */
  exec(script: string): Promise<void>;
  /**
   * `COPY … TO STDOUT` as the raw bytes Postgres sends, in chunks that do not follow rows. Only a
   * Postgres transaction has it (PGlite has no COPY to a client); callers keep a plain-query path.
   */
  copyOut?(copySql: string): AsyncIterable<Buffer>;
}

export interface Db extends Queryable {
  readonly kind: "postgres" | "pglite";
  /** Runs `fn` in one transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to NOTIFY on `channel`; returns the unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;

// Money stays a decimal string (never a float); counts from int8 fit in a JS number;
// a calendar date stays 'YYYY-MM-DD' so no time zone can shift it.
const PARSERS: Record<number, (value: string) => unknown> = {
  [OID.INT8]: (v) => Number(v),
  [OID.NUMERIC]: (v) => v,
  [OID.DATE]: (v) => v,
  [OID.TIMESTAMP]: (v) => new Date(v + "Z"),
  [OID.TIMESTAMPTZ]: (v) => new Date(v),
};

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      PARSERS[oid] ?? pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
  };
}

export function createPostgresDb(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types: pgTypes() });
  pool.on("error", (error) => console.error("postgres pool error:", error.message));
  // LISTEN holds a connection for as long as someone listens; close() must hand them back first.
  const listeners = new Set<pg.PoolClient>();
  return {
    kind: "postgres",
    async query<T>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params as unknown[]);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const tx: Queryable = {
          async query<R>(text: string, params?: unknown[]) {
            const result = await client.query(text, params as unknown[]);
            return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
          },
          async exec(script: string) {
            await client.query(script);
          },
          copyOut: (copySql: string) => client.query(copyTo(copySql)),
        };
        const value = await fn(tx);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      const client = await pool.connect();
      const handler = (message: pg.Notification) => {
        if (message.channel === channel) onNotify(message.payload ?? "");
      };
      client.on("notification", handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        client.off("notification", handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    async close() {
      for (const client of listeners) client.release(true);
      listeners.clear();
      await pool.end();
    },
  };
}

export async function createPgliteDb(dataDir: string | undefined): Promise<Db> {
  const lite = await PGlite.create(dataDir ? { dataDir, parsers: PARSERS } : { parsers: PARSERS });
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      const result = await q.query<T>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(script: string) {
      await q.exec(script);
    },
  });
  return {
    kind: "pglite",
    ...wrap(lite),
    transaction: (fn) => lite.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onNotify) {
      const unsubscribe = await lite.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    close: () => lite.close(),
  };
}
