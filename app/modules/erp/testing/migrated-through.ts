import { mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPostgresDb, type Db } from "~/db/db.server";
import { MIGRATIONS_DIR, migrateDatabase } from "~/db/migrate.server";
import { databaseUrl, testServerUrl } from "../../../../test/support/databases";

/**
 * A fresh database on the test server migrated only through `lastMigration` (e.g.
 * "031-previous-login.sql", the schema before 040's statement-level change capture), to compare a
 * migration with what it replaced on the same statements (db/change-capture.test.ts) and in the same
 * benchmark run (bench/ingest.bench.ts). Drop it when done.
 */
export async function createDatabaseMigratedThrough(
  label: string,
  lastMigration?: string,
): Promise<{ name: string; url: string; db: Db; drop(): Promise<void> }> {
  const name = `ll_t_${label}_${Math.random().toString(16).slice(2, 10)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: testServerUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrl(testServerUrl(), name);
  const db = createPostgresDb(url, { max: 4 });
  const dir = lastMigration ? await mkdtemp(path.join(os.tmpdir(), "ll-migrations-")) : MIGRATIONS_DIR;
  try {
    if (lastMigration) {
      const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file <= lastMigration);
      if (!files.includes(lastMigration)) throw new Error(`No migration ${lastMigration} in ${MIGRATIONS_DIR}`);
      for (const file of files) await symlink(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
    }
    await migrateDatabase(db, dir);
  } finally {
    if (lastMigration) await rm(dir, { recursive: true, force: true });
  }
  return {
    name,
    url,
    db,
    async drop() {
      await db.close().catch(() => undefined);
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
