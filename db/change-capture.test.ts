import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseMigratedThrough } from "../app/modules/erp/testing/migrated-through";

/**
 * Migration 040 replaced 002's row-level change capture with statement-level triggers. The log the
 * shape engine reads must not change: the same statements run on a database migrated up to 031
 * (002's row triggers) and on one migrated to the end (040), and their sync_change_log entries and
 * NOTIFYs are compared.
 */

interface Entry {
  table_name: string;
  operation: string;
  pk: unknown;
  new_row: Record<string, unknown> | null;
  old_row: Record<string, unknown> | null;
}

interface Captured {
  /** Entries per statement, in log-id order. */
  statements: Entry[][];
  xids: number;
  notifications: string[];
}

const A1 = "00000000-0000-4000-8000-00000000000a";
const A2 = "00000000-0000-4000-8000-00000000000b";
const A3 = "00000000-0000-4000-8000-00000000000c";
const loc = (n: number) => `00000000-0000-4000-8000-1000000000${String(n).padStart(2, "0")}`;

/** Multi-row statements of every kind, run in one transaction (so now() and updated_at are equal). */
const STATEMENTS = [
  `INSERT INTO accounts (id, erp_id, number, name, country_code) VALUES
     ('${A1}', 'A1', '1', 'One', 'DE'), ('${A2}', 'A2', '2', 'Two', 'AT'), ('${A3}', 'A3', '3', 'Three', 'CH')`,
  `INSERT INTO locations (id, erp_id, account_id, code, name, city) VALUES
     ('${loc(1)}', 'L1', '${A1}', 'a', 'north', 'Köln'), ('${loc(2)}', 'L2', '${A1}', 'b', 'SOUTH', NULL),
     ('${loc(3)}', 'L3', '${A2}', 'a', 'east', 'Wien'), ('${loc(4)}', 'L4', '${A3}', 'a', 'west', 'Bern')`,
  // L2 is already upper case: an update that changes nothing, so no entry.
  `UPDATE locations SET name = upper(name)`,
  // Primary keys change: old and new rows must be paired by the row, not by the key.
  `UPDATE locations SET id = md5(id::text)::uuid, city = coalesce(city, 'none') WHERE account_id = '${A1}'`,
  // One new account, one changed, one unchanged.
  `INSERT INTO accounts AS t (id, erp_id, number, name, country_code) VALUES
     ('00000000-0000-4000-8000-00000000000d', 'A4', '4', 'Four', 'FR'), ('${A2}', 'A2', '2', 'Two GmbH', 'AT'), ('${A3}', 'A3', '3', 'Three', 'CH')
   ON CONFLICT (erp_id) DO UPDATE SET name = EXCLUDED.name`,
  `UPDATE accounts SET parent_id = '${A1}' WHERE erp_id IN ('A2', 'A3')`,
  `UPDATE locations SET name = 'nobody' WHERE false`,
  `DELETE FROM locations WHERE account_id IN ('${A1}', '${A3}')`,
];

/** Runs STATEMENTS in one transaction and reads what the capture wrote; `now` stands for the transaction's timestamp. */
async function capture(url: string): Promise<Captured> {
  const client = new pg.Client({ connectionString: url });
  const listener = new pg.Client({ connectionString: url });
  await Promise.all([client.connect(), listener.connect()]);
  const notifications: string[] = [];
  listener.on("notification", (n) => notifications.push(`${n.channel}:${n.payload}`));
  await listener.query(`LISTEN sync_changes`);
  try {
    const boundaries: number[] = [];
    const lastId = async () => Number((await client.query(`SELECT coalesce(max(id), 0) AS id FROM sync_change_log`)).rows[0].id);
    await client.query("BEGIN");
    const now = (await client.query<{ now: string }>(`SELECT to_jsonb(now()) #>> '{}' AS now`)).rows[0].now;
    boundaries.push(await lastId());
    for (const sql of STATEMENTS) {
      await client.query(sql);
      boundaries.push(await lastId());
    }
    await client.query("COMMIT");
    const { rows } = await client.query<Entry & { id: string; xid: string }>(`SELECT * FROM sync_change_log ORDER BY id`);
    const normalize = (row: Record<string, unknown> | null) =>
      row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === now ? "<now>" : v]));
    const statements = boundaries.slice(1).map((end, i) =>
      rows
        .filter((r) => Number(r.id) > boundaries[i] && Number(r.id) <= end)
        .map((r) => ({ table_name: r.table_name, operation: r.operation, pk: r.pk, new_row: normalize(r.new_row), old_row: normalize(r.old_row) })),
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // notifications arrive after COMMIT
    return { statements, xids: new Set(rows.map((r) => r.xid)).size, notifications: notifications.sort() };
  } finally {
    await Promise.all([client.end(), listener.end()]);
  }
}

describe("statement-level change capture (040) writes the log 002's row triggers wrote", () => {
  let databases: Awaited<ReturnType<typeof createDatabaseMigratedThrough>>[] = [];
  const names = { before: "", after: "" };
  let before: Captured;
  let after: Captured;

  beforeAll(async () => {
    databases = await Promise.all([createDatabaseMigratedThrough("capture_before", "031-previous-login.sql"), createDatabaseMigratedThrough("capture_after")]);
    [names.before, names.after] = databases.map((d) => d.name);
    before = await capture(databases[0].url);
    after = await capture(databases[1].url);
  });

  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it("the database under test really has statement triggers, and the reference row triggers", async () => {
    const kinds = async (name: string) => {
      const client = new pg.Client({ connectionString: databases.find((d) => d.name === name)!.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ tgname: string; per_row: boolean }>(
          `SELECT tgname, (tgtype & 1) = 1 AS per_row FROM pg_trigger WHERE tgrelid = 'locations'::regclass AND tgname LIKE 'locations_sync%' ORDER BY tgname`,
        );
        return rows.map((r) => `${r.tgname}:${r.per_row ? "row" : "statement"}`);
      } finally {
        await client.end();
      }
    };
    expect(await kinds(names.before)).toEqual(["locations_sync_capture:row", "locations_sync_truncate:statement"]);
    expect(await kinds(names.after)).toEqual([
      "locations_sync_capture:statement",
      "locations_sync_capture_delete:statement",
      "locations_sync_capture_update:statement",
      "locations_sync_truncate:statement",
    ]);
  });

  it("writes the same entries, in the same order within each statement", () => {
    const upsert = STATEMENTS.findIndex((s) => s.includes("ON CONFLICT"));
    expect(after.statements.map((s) => s.length)).toEqual([3, 4, 3, 2, 2, 2, 0, 3]);
    STATEMENTS.forEach((_, i) => {
      if (i === upsert) return;
      expect(after.statements[i], STATEMENTS[i]).toEqual(before.statements[i]);
    });
    // An upsert's updates are appended before its inserts (040's one documented difference): the same set.
    const byKey = (entries: Entry[]) => [...entries].sort((a, b) => JSON.stringify(a.pk).localeCompare(JSON.stringify(b.pk)));
    expect(byKey(after.statements[upsert])).toEqual(byKey(before.statements[upsert]));
    expect(after.statements[upsert].map((e) => e.operation)).toEqual(["update", "insert"]);
  });

  it("pairs old and new rows by row when the primary key changes", () => {
    const moved = after.statements[3];
    for (const entry of moved) {
      expect(entry.old_row!.erp_id).toBe(entry.new_row!.erp_id);
      expect(entry.pk).toEqual({ id: entry.new_row!.id });
    }
    expect(moved.map((e) => e.new_row!.city)).toEqual(["Köln", "none"]);
  });

  it("one transaction, one NOTIFY per table, none for a statement that matched nothing", () => {
    expect(after.xids).toBe(1);
    expect(after.notifications).toEqual(["sync_changes:accounts", "sync_changes:locations"]);
    expect(after.notifications).toEqual(before.notifications);
  });
});
