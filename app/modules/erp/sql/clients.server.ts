import mysql from "mysql2";
import pg from "pg";

/**
 * Streams the rows of a pull query from the ERP's database without holding them all: MySQL/MariaDB
 * through mysql2's row stream, Postgres through a cursor fetched in pages. `:since` in the query
 * becomes the driver's placeholder. Dates and decimals come as text, exactly as the database
 * writes them (no time-zone or float conversion on the way).
 */

export type SqlRow = Record<string, unknown>;

export interface SqlClient {
  rows(query: string, since: string | null): AsyncIterable<SqlRow>;
  close(): Promise<void>;
}

/** `:since` → `?` (MySQL, one value per occurrence) or `$1` (Postgres). Strings and comments are left alone. */
export function bindSince(query: string, style: "mysql" | "postgres"): { text: string; count: number } {
  let count = 0;
  const text = query.replace(/('(?:[^']|'')*')|(--[^\n]*)|(:since\b)/g, (match, literal?: string, comment?: string) => {
    if (literal || comment) return match;
    count++;
    return style === "mysql" ? "?" : "$1";
  });
  return { text, count };
}

/**
 * mysql2's row events with backpressure (pause the connection while rows wait). Unlike its stream,
 * rows received before a failure are still handed on before the error is thrown, so a pull that
 * dies half-way keeps what it got.
 */
function mysqlClient(url: string): SqlClient {
  const connection = mysql.createConnection({ uri: url.replace(/^mariadb:/, "mysql:"), dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  return {
    async *rows(query, since) {
      const { text, count } = bindSince(query, "mysql");
      const queue: SqlRow[] = [];
      let failure: Error | null = null;
      let ended = false;
      let wake: (() => void) | null = null;
      const notify = () => {
        wake?.();
        wake = null;
      };
      const q = connection.query(text, Array(count).fill(since));
      q.on("result", (row) => {
        queue.push(row as SqlRow);
        if (queue.length >= 500) connection.pause();
        notify();
      });
      q.on("error", (error) => {
        failure = error;
        notify();
      });
      q.on("end", () => {
        ended = true;
        notify();
      });
      for (;;) {
        if (queue.length > 0) {
          const row = queue.shift()!;
          if (queue.length < 100) connection.resume();
          yield row;
          continue;
        }
        if (failure) throw failure;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        connection.end(() => resolve());
      }),
  };
}

const RAW_TYPES = new Set([1082, 1083, 1114, 1184, 1266, 1700, 20]); // date, time, timestamp(tz), timetz, numeric, int8

function postgresClient(url: string): SqlClient {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        RAW_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
    },
  });
  let connected: Promise<void> | null = null;
  return {
    async *rows(query, since) {
      connected ??= client.connect().then(() => undefined);
      await connected;
      const { text, count } = bindSince(query, "postgres");
      await client.query("BEGIN READ ONLY");
      try {
        await client.query(`DECLARE erp_pull NO SCROLL CURSOR FOR ${text}`, count > 0 ? [since] : []);
        for (;;) {
          const page = await client.query<SqlRow>("FETCH 500 FROM erp_pull");
          for (const row of page.rows) yield row;
          if (page.rows.length < 500) break;
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}

export function createSqlClient(kind: "postgres" | "mysql", url: string): SqlClient {
  return kind === "mysql" ? mysqlClient(url) : postgresClient(url);
}
