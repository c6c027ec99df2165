import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pRetry, { AbortError } from "p-retry";
import pg from "pg";
import { createPostgresDb } from "../../app/db/db.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { seedDemo } from "../../db/seed/seed";

/**
 * Test databases are copies of one template (migrated and seeded once per change of the schema or
 * the seed), made with CREATE DATABASE … TEMPLATE: a copy takes a fraction of a second, a fresh
 * seed several seconds.
 */
const DEFAULT_TEST_SERVER = "postgres://postgres@127.0.0.1:5432/postgres";

export function testServerUrl(): string {
  if (!process.env.TEST_DATABASE_URL) {
    console.warn(`TEST_DATABASE_URL is not set; using ${DEFAULT_TEST_SERVER}`);
    process.env.TEST_DATABASE_URL = DEFAULT_TEST_SERVER;
  }
  return process.env.TEST_DATABASE_URL;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function fingerprint(): string {
  const hash = createHash("sha256");
  const files = [
    ...listFiles("db/migrations"),
    ...listFiles("db/seed").filter((f) => !f.endsWith(".test.ts")),
  ].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  hash.update(new Date().toISOString().slice(0, 10)); // the seed's dates are relative to today
  return hash.digest("hex").slice(0, 12);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect().catch((error: Error) => {
    throw new Error(
      `Cannot reach the test Postgres at ${testServerUrl()}: ${error.message}\n` +
        "Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set TEST_DATABASE_URL.",
    );
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the template database for the current schema and seed if it does not exist yet. */
export async function ensureTemplateDatabase(): Promise<string> {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const name = `ll_template_${day}_${fingerprint()}`;
  await withAdmin(async (admin) => {
    // Session lock: released when this connection ends, also if seeding throws.
    await admin.query(`SELECT pg_advisory_lock(4242003)`);
    const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (found.rowCount) return;
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    await admin.query(`CREATE DATABASE ${building}`);
    const db = createPostgresDb(databaseUrl(testServerUrl(), building), { max: 2 });
    try {
      await migrateDatabase(db);
      await seedDemo(db);
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    // Templates of earlier days only take disk space. Today's stay: another checkout (a second
    // worktree, a branch) may be testing another schema version against the same server.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, 'll_template_') AND NOT starts_with(datname, $1)`,
      [`ll_template_${day}_`],
    );
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname}`).catch(() => undefined);
  });
  return name;
}

/** A private copy of the template for one test file or one e2e run; drop it when done. */
export async function createTestDatabase(template: string, label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ll_t_${label.replace(/\W/g, "_").slice(0, 30)}_${randomBytes(4).toString("hex")}`.toLowerCase();
  // Two copies started at the same instant: Postgres refuses while the template is being copied.
  await pRetry(
    () =>
      withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)).catch((error: Error) => {
        if (!/being accessed by other users/.test(error.message)) throw new AbortError(error);
        throw error;
      }),
    { retries: 20, minTimeout: 100, maxTimeout: 400, randomize: true },
  );
  return {
    url: databaseUrl(testServerUrl(), name),
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
