import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "./db.server";

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "db/migrations");

/** Applies every not-yet-applied `db/migrations/NNN-name.sql`, each in its own transaction, in name order. */
export async function migrateDatabase(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const files = (await readdir(dir)).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort();
  const applied = new Set(
    (await db.query<{ name: string }>(`SELECT name FROM schema_migrations`)).rows.map((r) => r.name),
  );
  const newlyApplied: string[] = [];
  for (const file of files) {
    if (applied.has(file)) continue;
    const sql = await readFile(path.join(dir, file), "utf8");
    await db.transaction(async (tx) => {
      // Serialises concurrent starters (several test workers, two app instances) on one database.
      await tx.query(`SELECT pg_advisory_xact_lock(4242001)`);
      const again = await tx.query(`SELECT 1 FROM schema_migrations WHERE name = $1`, [file]);
      if (again.rowCount > 0) return;
      await tx.exec(sql);
      await tx.query(`INSERT INTO schema_migrations (name) VALUES ($1)`, [file]);
      newlyApplied.push(file);
    });
  }
  return newlyApplied;
}
