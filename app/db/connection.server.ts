import { mkdirSync } from "node:fs";
import path from "node:path";
import { getConfig } from "~/config.server";
import { createPgliteDb, createPostgresDb, type Db } from "./db.server";
import { migrateDatabase } from "./migrate.server";

// One connection per process, kept on globalThis so a dev rebuild does not open a second PGlite
// on the same data directory (two writers would corrupt it).
const globalForDb = globalThis as typeof globalThis & { __ledgerlightDb?: Promise<Db> };

export function getDb(): Promise<Db> {
  globalForDb.__ledgerlightDb ??= openDatabase();
  return globalForDb.__ledgerlightDb;
}

async function openDatabase(): Promise<Db> {
  const config = getConfig();
  let db: Db;
  if (config.DATABASE_URL) {
    db = createPostgresDb(config.DATABASE_URL);
    try {
      await db.query("SELECT 1");
    } catch (error) {
      throw new Error(
        `Cannot reach Postgres at DATABASE_URL (${redact(config.DATABASE_URL)}): ${(error as Error).message}. ` +
          `Start it (pg_ctlcluster 15 main start) or unset DATABASE_URL to use the embedded PGlite.`,
      );
    }
  } else {
    const dir = path.join(config.dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    db = await createPgliteDb(dir);
  }
  await migrateDatabase(db);
  return db;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
