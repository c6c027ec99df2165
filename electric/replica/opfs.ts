import type { SAHPoolUtil, Sqlite3Static } from "@sqlite.org/sqlite-wasm";
import { createOo1Driver, type SqlDriver } from "./driver";
import { REPLICA_PAGE_SIZE } from "./schema";

/**
 * The browser side of the driver: a database file in the Origin Private File System through
 * sqlite-wasm's "opfs-sahpool" VFS. It needs no COOP/COEP headers (unlike the "opfs" VFS), only a
 * dedicated worker, because FileSystemSyncAccessHandle exists only there. The pool holds its
 * access handles exclusively, so only one worker per pool at a time: the tabs elect a leader
 * (replica.client.ts) and only the leader's worker calls this.
 */

export interface OpfsReplica {
  driver: SqlDriver;
  pool: SAHPoolUtil;
  /** Closes the database and deletes the pool's directory (logout, access revoked). */
  destroy(): Promise<void>;
}

interface PoolOptions {
  name: string;
  directory: string;
  initialCapacity?: number;
  /** Not in the package's .d.ts but in its source (3.54): without them a failed init deletes the pool. */
  preserveOnInitFailure?: boolean;
  forceReinitIfPreviouslyFailed?: boolean;
}

const DATABASE_FILE = "/replica.sqlite3";
/** A database, its rollback journal, plus spare slots (temp files stay in memory, see below). */
const POOL_CAPACITY = 6;

/**
 * Whether this replica's pool directory exists yet, asked without opening it: a new replica needs
 * every snapshot, so the worker can start the snapshot worker while SQLite itself still loads.
 */
export async function replicaStorageExists(directory: string): Promise<boolean> {
  try {
    let handle = await navigator.storage.getDirectory();
    for (const part of directory.split("/").filter(Boolean)) handle = await handle.getDirectoryHandle(part);
    return true;
  } catch {
    return false;
  }
}

export async function openOpfsReplica(
  sqlite3: Sqlite3Static,
  names: { vfs: string; directory: string },
  retry: { attempts?: number; delayMs?: number } = {},
): Promise<OpfsReplica> {
  const attempts = retry.attempts ?? 20;
  const install = sqlite3.installOpfsSAHPoolVfs as (options: PoolOptions) => Promise<SAHPoolUtil>;
  let pool: SAHPoolUtil | undefined;
  for (let attempt = 1; !pool; attempt += 1) {
    try {
      pool = await install({
        name: names.vfs,
        directory: names.directory,
        initialCapacity: POOL_CAPACITY,
        // A takeover right after the old leader's tab closed can find its handles still held; the
        // default on failure is to DELETE the pool, which would throw the replica away. Keep it
        // and try again: the handles are released within moments.
        preserveOnInitFailure: true,
        forceReinitIfPreviouslyFailed: true,
      });
    } catch (error) {
      if (attempt >= attempts) throw new Error(`Cannot open the replica's OPFS storage: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, retry.delayMs ?? 250));
    }
  }
  // sqlite-wasm adds the initial capacity only to an empty pool. A page closed while it was creating
  // the slots (a reload right after an account switch, seen in CI) leaves fewer, and the next open
  // then fails on "SAH pool is full" when SQLite creates the journal: top the pool up.
  const capacity = Number(pool.getCapacity());
  if (capacity < POOL_CAPACITY) await pool.addCapacity(POOL_CAPACITY - capacity);
  const db = new pool.OpfsSAHPoolDb(DATABASE_FILE);
  // Sorts and the FTS rebuild would otherwise create temp files, each taking a pool slot; a
  // truncated (not deleted) journal keeps its slot between transactions.
  // Every page read or written is one call on a FileSystemSyncAccessHandle, and in Chromium such
  // a call costs far more than the page's bytes: with SQLite's default 8 KB pages the initial load
  // of 100k documents spent ~3/4 of its CPU time in OPFS calls. 64 KB pages (SQLite's largest) make
  // 8× fewer calls (measured: 62 s → 21 s of browser CPU for the same rows and index, decision 008).
  // The page size applies to a new database file; migrateReplica() applies it to an old one when it
  // rebuilds. A 64 MB cache holds the FTS build's working set and the hot pages of search.
  db.exec(`PRAGMA page_size = ${REPLICA_PAGE_SIZE}; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA journal_mode = TRUNCATE;`);
  const driver = createOo1Driver(db);
  const opened = pool;
  return {
    driver,
    pool: opened,
    async destroy() {
      driver.close();
      await opened.removeVfs();
    },
  };
}
