import { parseArgs } from "node:util";
import { createPostgresDb } from "../../app/db/db.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { scaleAccount } from "./scale";
import { DEMO_LOGINS, DEMO_PASSWORD, isSeeded, seedDemo } from "./seed";

/**
 * npm run db:seed -- [--as-of YYYY-MM-DD] [--scale 100000 [--account 10001]]
 *
 * Migrates DATABASE_URL, seeds the demo data (unless it is already there and --scale is given), and
 * with --scale grows one account to that many documents for benchmarks.
 */
const USAGE = "usage: npm run db:seed -- [--as-of YYYY-MM-DD] [--scale <documents> [--account <customer number>]]";

async function main(): Promise<number> {
  let values: { "as-of"?: string; scale?: string; account?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { "as-of": { type: "string" }, scale: { type: "string" }, account: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const asOf = values["as-of"];
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    console.error(`--as-of must be a date like 2025-06-15, got "${asOf}"\n${USAGE}`);
    return 2;
  }
  const scale = values.scale !== undefined ? Number(values.scale) : undefined;
  if (scale !== undefined && (!Number.isInteger(scale) || scale <= 0)) {
    console.error(`--scale must be a positive whole number of documents, got "${values.scale}"\n${USAGE}`);
    return 2;
  }
  if (values.account !== undefined && scale === undefined) {
    console.error(`--account only makes sense with --scale\n${USAGE}`);
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "DATABASE_URL is not set. db:seed writes to a Postgres server: set DATABASE_URL, e.g.\n" +
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledgerlight npm run db:seed\n" +
        "(The embedded PGlite database is seeded by the app itself on its first start.)",
    );
    return 2;
  }

  const db = createPostgresDb(url, { max: 2 });
  try {
    const applied = await migrateDatabase(db);
    if (applied.length) console.log(`Migrated: ${applied.join(", ")}`);
    if (await isSeeded(db)) {
      if (scale === undefined) {
        console.error("This database already holds data (supplier_settings has a row); nothing seeded. Use an empty database, or --scale to grow an account.");
        return 1;
      }
      console.log("Demo data already present; not seeding again.");
    } else {
      const result = await seedDemo(db, { asOf });
      const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
      console.log(`Seeded demo data as of ${result.asOf}: ${total} rows in ${((result.millis.generate + result.millis.insert) / 1000).toFixed(1)} s.`);
      for (const [table, n] of Object.entries(result.counts)) console.log(`  ${table.padEnd(26)} ${String(n).padStart(7)}`);
      console.log(`\nDemo logins (password for all: ${DEMO_PASSWORD})`);
      const width = Math.max(...DEMO_LOGINS.map((l) => l.email.length));
      for (const l of DEMO_LOGINS) console.log(`  ${l.email.padEnd(width)}  ${l.role.padEnd(14)} ${l.note}`);
    }
    if (scale !== undefined) {
      const accountNumber = values.account ?? "10001";
      console.log(`\nScaling account ${accountNumber} to ${scale} documents…`);
      const r = await scaleAccount(db, { accountNumber, documents: scale, asOf });
      const rows = Object.values(r.added).reduce((a, b) => a + b, 0);
      console.log(`Account ${accountNumber}: ${r.before} → ${r.after} documents (${rows} rows added) in ${(r.millis / 1000).toFixed(1)} s.`);
      for (const [table, n] of Object.entries(r.added)) console.log(`  ${table.padEnd(26)} ${String(n).padStart(7)}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
