import { getDb } from "~/db/connection.server";
import type { Db, Queryable } from "~/db/db.server";
import { SHAPES } from "../shapes/registry";
import { setChangeCaptureMode } from "./capture-mode.server";
import { ShapeEngine } from "./engine.server";

// One engine per process, kept on globalThis like the Db (a dev rebuild must not start a second
// set of listeners and timers).
const holder = globalThis as typeof globalThis & { __ledgerlightShapeEngine?: Promise<ShapeEngine> };

export function getShapeEngine(): Promise<ShapeEngine> {
  if (!holder.__ledgerlightShapeEngine) {
    const starting = startProcessEngine();
    holder.__ledgerlightShapeEngine = starting;
    starting.catch(() => {
      if (holder.__ledgerlightShapeEngine === starting) holder.__ledgerlightShapeEngine = undefined;
    });
  }
  return holder.__ledgerlightShapeEngine;
}

async function startProcessEngine(): Promise<ShapeEngine> {
  const db = await getDb();
  const engines = stopWithDb(db);
  if (closedDbs.has(db)) throw new Error("The database connection is closed.");
  // A process that ran with real Electric left capture off (decision 036); this engine reads the log.
  await setChangeCaptureMode(db, "built-in");
  await assertCaptureInstalled(db, SHAPES.map((shape) => shape.table));
  const engine = await ShapeEngine.start(db);
  engines.add(engine);
  if (closedDbs.has(db)) {
    await engine.close(); // closed while starting: give its connections back to the ending pool
    throw new Error("The database connection is closed.");
  }
  return engine;
}

const enginesByDb = new WeakMap<Db, Set<ShapeEngine>>();
const closedDbs = new WeakSet<Db>();

/**
 * The engine holds LISTEN connections of the Db's pool, and a pool only ends once every client is
 * back: whoever closes the Db (tests, shutdown) stops its engines first, and none starts after.
 */
function stopWithDb(db: Db): Set<ShapeEngine> {
  let engines = enginesByDb.get(db);
  if (!engines) {
    const started = new Set<ShapeEngine>();
    engines = started;
    enginesByDb.set(db, started);
    const closeDb = db.close.bind(db);
    db.close = async () => {
      closedDbs.add(db);
      holder.__ledgerlightShapeEngine = undefined;
      for (const engine of started) await engine.close();
      await closeDb();
    };
  }
  return engines;
}

/** A registry table without the capture trigger would sync its snapshot and then silently go stale. */
export async function assertCaptureInstalled(db: Queryable, tables: readonly string[]): Promise<void> {
  const { rows } = await db.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE t.tgname = c.relname || '_sync_capture' AND c.relnamespace = 'public'::regnamespace`,
  );
  const installed = new Set(rows.map((r) => r.table));
  const missing = [...new Set(tables)].filter((table) => !installed.has(table));
  if (missing.length > 0) {
    throw new Error(
      `Change capture is missing on ${missing.join(", ")}: add a migration with ` +
        missing.map((table) => `SELECT sync_capture_table('${table}');`).join(" ") +
        ` (see db/migrations/002-sync-change-log.sql).`,
    );
  }
}
