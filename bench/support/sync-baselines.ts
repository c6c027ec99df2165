import { spawn } from "node:child_process";
import type { Queryable } from "../../app/db/db.server";
import { gatewayConditions } from "../../electric/server/gateway.server";
import { contactScope } from "../../electric/server/testing/fixtures";
import { SHAPES, type ShapeCondition } from "../../electric/shapes/registry";

/**
 * What the initial sync is compared with: the same rows (every registry shape, filtered by the
 * contact's scope exactly as the gateway filters them) exported raw from Postgres, and the same
 * snapshots downloaded from the gateway without a browser or SQLite.
 */

export interface ShapeSelect {
  name: string;
  sql: string;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

function whereSql(conditions: readonly ShapeCondition[]): string {
  return conditions.map((c) => (c.values.length === 0 ? "false" : `${ident(c.column)} IN (${c.values.map(literal).join(", ")})`)).join(" AND ");
}

/** One SELECT per registry shape: its columns, the gateway's conditions for this contact. */
export async function shapeSelects(db: Queryable, email: string, accountNumber: string): Promise<{ accountId: string; selects: ShapeSelect[] }> {
  const scope = await contactScope(db, email, accountNumber);
  const selects = SHAPES.map((shape) => ({
    name: shape.name,
    sql: `SELECT ${shape.columns.map(ident).join(", ")} FROM ${ident(shape.table)} WHERE ${whereSql(gatewayConditions(shape, scope))}`,
  }));
  return { accountId: scope.accountId, selects };
}

export async function countRows(db: Queryable, selects: readonly ShapeSelect[]): Promise<number> {
  let total = 0;
  for (const s of selects) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${s.sql}) x`);
    total += Number(rows[0].n);
  }
  return total;
}

/** `psql \copy (…) TO STDOUT CSV` of every shape in one session, output drained; returns ms and bytes. */
export async function postgresExport(databaseUrl: string, selects: readonly ShapeSelect[]): Promise<{ ms: number; bytes: number }> {
  const script = selects.map((s) => `\\copy (${s.sql}) TO STDOUT WITH (FORMAT csv)`).join("\n") + "\n";
  const started = performance.now();
  const bytes = await new Promise<number>((resolve, reject) => {
    const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let size = 0;
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => (size += chunk.length));
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk));
    child.on("error", (error) => reject(new Error(`psql failed to start (${error.message}); install postgresql-client`)));
    child.on("exit", (code) => (code === 0 ? resolve(size) : reject(new Error(`psql exited with ${code}: ${errors}`))));
    child.stdin.end(script);
  });
  return { ms: performance.now() - started, bytes };
}

/**
 * Every shape's `offset=-1` snapshot from the gateway with the session cookie, at most
 * `concurrency` at a time (the replica's SyncController catches up 4 shapes at a time), bodies read
 * to the end but not parsed. The network and server part of an initial sync, without the browser.
 */
export async function gatewayDownload(
  baseUrl: string,
  cookie: string,
  accountId: string,
  concurrency = 4,
  /** Sees every answer and its body (the probe compares old and new portals' bytes). */
  inspect?: (name: string, response: Response, body: ArrayBuffer) => void,
): Promise<{ ms: number; bytes: number }> {
  const queue = SHAPES.map((s) => s.name);
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const response = await fetch(`${baseUrl}/sync/shapes/${name}?${new URLSearchParams({ offset: "-1", account: accountId })}`, {
          headers: { cookie, "accept-encoding": "gzip, deflate, br" },
        });
        if (!response.ok) throw new Error(`gateway ${name}: ${response.status} ${await response.text()}`);
        const body = await response.arrayBuffer();
        inspect?.(name, response, body);
        bytes += body.byteLength; // not `bytes += (await …).byteLength`: that would lose concurrent updates
      }
    }),
  );
  return { ms: performance.now() - started, bytes };
}
