import { mkdirSync } from "node:fs";
import path from "node:path";
import { createPgliteDb, createPostgresDb, type Db } from "../app/db/db.server";
import { migrateDatabase } from "../app/db/migrate.server";

/**
 * npm run db:migrate: applies db/migrations to DATABASE_URL, or, when it is unset, to the embedded
 * PGlite database in .data/pglite (the one the app opens without DATABASE_URL).
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let db: Db;
  let where: string;
  if (url) {
    db = createPostgresDb(url, { max: 1 });
    where = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  } else {
    const dir = path.resolve(process.cwd(), ".data", "pglite");
    mkdirSync(dir, { recursive: true });
    db = await createPgliteDb(dir);
    where = `embedded PGlite at ${path.relative(process.cwd(), dir)} (set DATABASE_URL to migrate a Postgres server instead)`;
  }
  try {
    const applied = await migrateDatabase(db);
    console.log(applied.length ? `Applied to ${where}:\n  ${applied.join("\n  ")}` : `Up to date: ${where}`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
