import type { Db, Queryable } from "~/db/db.server";
import { NO_JIT_SQL, SEQUENCER_LOCK_SQL } from "./sequencer.server";

/**
 * Who reads Postgres's changes (decision 036). The built-in engine reads `sync_change_log`, which the
 * capture triggers fill inside every write transaction. Real Electric (`ELECTRIC_URL`) reads the WAL
 * through its own replication slot and never looks at the log: there the triggers only cost every
 * write (a quarter of an ERP batch's Postgres CPU) and grow a table that nothing compacts, because
 * the built-in engine, which compacts, never starts.
 */
export type ChangeCaptureMode = "built-in" | "electric";

export interface CaptureTrigger {
  table: string;
  trigger: string;
  enabled: boolean;
}

/** The capture triggers `sync_capture_table()` installs (db/migrations/040), with their state. */
export async function listCaptureTriggers(db: Queryable): Promise<CaptureTrigger[]> {
  const { rows } = await db.query<CaptureTrigger>(
    `SELECT c.relname AS "table", t.tgname AS trigger, t.tgenabled <> 'D' AS enabled
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
        AND t.tgname IN (c.relname || '_sync_capture', c.relname || '_sync_capture_update',
                         c.relname || '_sync_capture_delete', c.relname || '_sync_truncate')
      ORDER BY 1, 2`,
  );
  return rows;
}

/**
 * Switches the capture triggers on (built-in engine) or off (real Electric). Idempotent: when they
 * already match, it changes nothing. Every switch empties the log and drops every shape handle, so
 * a client of the built-in engine from before a time without capture gets 409 must-refetch and a
 * fresh snapshot: the log cannot tell it what changed while nobody captured. Run it before the
 * process serves writes; every process on one database must use the same mode.
 */
export async function setChangeCaptureMode(db: Db, mode: ChangeCaptureMode): Promise<{ changed: boolean; tables: number }> {
  const wanted = mode === "built-in";
  const triggers = await listCaptureTriggers(db);
  const toSwitch = triggers.filter((t) => t.enabled !== wanted);
  if (toSwitch.length === 0) return { changed: false, tables: new Set(triggers.map((t) => t.table)).size };
  await db.transaction(async (tx) => {
    await tx.query(SEQUENCER_LOCK_SQL);
    await tx.query(NO_JIT_SQL);
    for (const { table, trigger } of toSwitch) {
      await tx.query(`ALTER TABLE ${quoteIdent(table)} ${wanted ? "ENABLE" : "DISABLE"} TRIGGER ${quoteIdent(trigger)}`);
    }
    await tx.query(`DELETE FROM sync_change_log`);
    await tx.query(`DELETE FROM sync_shapes`);
    await tx.query(`UPDATE sync_sequencer SET compacted_through = head WHERE id = 1`);
  });
  return { changed: true, tables: new Set(toSwitch.map((t) => t.table)).size };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
