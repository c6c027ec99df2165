import type { Db, Queryable } from "../../app/db/db.server";
import { hashPassword } from "../../app/modules/auth/password.server";
import { DEMO_LOGINS, DEMO_PASSWORD, TABLE_ORDER, generateDemoData, type TableName } from "./generate";
import { insertRows } from "./insert";
import { stampDocumentTimes } from "./timestamps";

export { DEMO_LOGINS, DEMO_PASSWORD };

export interface SeedOptions {
  /** 'YYYY-MM-DD'; every date in the demo data is relative to it. Default: today (UTC). */
  asOf?: string;
}

export interface SeedResult {
  asOf: string;
  counts: Record<TableName, number>;
  millis: { generate: number; insert: number };
}

/** Whether the demo data (or any supplier configuration) is already there. */
export async function isSeeded(db: Queryable): Promise<boolean> {
  const table = await db.query<{ exists: boolean }>(`SELECT to_regclass('supplier_settings') IS NOT NULL AS exists`);
  if (!table.rows[0]?.exists) return false;
  const { rows } = await db.query<{ seeded: boolean }>(`SELECT EXISTS (SELECT 1 FROM supplier_settings) AS seeded`);
  return rows[0]?.seeded ?? false;
}

/**
 * Fills a migrated, empty database with the demo supplier "Brandt & Söhne Industrietechnik GmbH",
 * ~40 customer accounts and 18 months of their orders, shipments, invoices and more: all in one
 * transaction, deterministic for a given asOf. Refuses to run on a database that already has a
 * supplier.
 */
export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const t0 = performance.now();
  // argon2 is deliberately slow: hash once, every demo user shares the hash.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { tables } = await generateDemoData({ asOf, passwordHash });
  stampDocumentTimes(tables);
  const t1 = performance.now();
  const counts = {} as Record<TableName, number>;
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(4242002)`);
    const migrated = await tx.query<{ ok: boolean }>(`SELECT to_regclass('supplier_settings') IS NOT NULL AS ok`);
    if (!migrated.rows[0]?.ok) {
      throw new Error("seedDemo: the database is not migrated (table supplier_settings is missing). Run `npm run db:migrate` first.");
    }
    if (await isSeeded(tx)) {
      throw new Error(
        "seedDemo: refusing to seed: supplier_settings already has a row, so this database already holds data. " +
          "Seed an empty, freshly migrated database instead.",
      );
    }
    for (const table of TABLE_ORDER) counts[table] = await insertRows(tx, table, tables[table]);
    // Portal-numbered records continue after the seeded ones.
    for (const [sequence, table] of [["support_ticket_number_seq", "support_tickets"], ["return_request_number_seq", "return_requests"]]) {
      await tx.query(
        `SELECT setval('${sequence}', max(substring(number FROM '[0-9]+$')::bigint)) FROM ${table} HAVING count(*) > 0`,
      );
    }
  });
  const t2 = performance.now();
  return { asOf, counts, millis: { generate: Math.round(t1 - t0), insert: Math.round(t2 - t1) } };
}
