import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgliteDb, type Db } from "~/db/db.server";
import { migrateDatabase } from "~/db/migrate.server";
import { ShapeEngine } from "./engine.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { insertOrder, openStream, ordersDefinition, scopeOf } from "./testing/fixtures";
import { expectedRows, ShapeCollector } from "./testing/shape-collector";

/**
 * The embedded default: the same engine on an in-memory PGlite (single connection, so the
 * sequencer's lock and the REPEATABLE READ snapshot run uncontended, through the same code path).
 */

let db: Db;
let engine: ShapeEngine;
let server: RunningServer;
const accountA = randomUUID();
const accountB = randomUUID();

beforeAll(async () => {
  db = await createPgliteDb(undefined);
  await migrateDatabase(db);
  for (const [id, number] of [[accountA, "90001"], [accountB, "90002"]]) {
    await db.query(`INSERT INTO accounts (id, erp_id, number, name, country_code) VALUES ($1, $2, $2, $3, 'DE')`, [id, number, `Test ${number}`]);
  }
  for (let i = 0; i < 3; i++) await insertOrder(db, { accountId: accountA, locationId: null, net: `${i + 1}0.00` });
  await insertOrder(db, { accountId: accountB, locationId: null });
  // A long hold and no polling: the live change can only arrive in time through PGlite's NOTIFY.
  engine = await ShapeEngine.start(db, { longPollMs: 15_000, pollMs: 60_000, compactEveryMs: 0 });
  const definition = ordersDefinition(scopeOf([accountA], null));
  server = await startHttpServer((request) => engine.handle(request, definition));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await engine?.close();
  await db?.close();
});

describe("shape engine on PGlite", () => {
  it("serves a snapshot and a live change to the real client", async () => {
    expect(db.kind).toBe("pglite");
    const aborter = new AbortController();
    const client = new ShapeCollector(openStream(`${server.url}/v1/shape`, {}, aborter.signal));
    try {
      await client.waitForUpToDate();
      const columns = ordersDefinition(scopeOf([accountA], null)).columns;
      const expected = () => expectedRows(db, "sales_orders", columns, `t.account_id = $1`, [accountA]);
      expect(client.byId()).toEqual(await expected());
      expect(client.rows.size).toBe(3);

      const added = await insertOrder(db, { accountId: accountA, locationId: null, net: "77.70" });
      await insertOrder(db, { accountId: accountB, locationId: null });
      await client.waitFor("the live insert", () => client.byId().has(added), 5_000);
      await db.query(`UPDATE sales_orders SET status = 'shipped' WHERE id = $1`, [added]);
      await client.waitFor("the live update", () => client.byId().get(added)?.status === "shipped", 5_000);
      expect(client.byId()).toEqual(await expected());
      expect(client.byId().get(added)?.net_amount).toBe("77.70");
    } finally {
      aborter.abort();
      client.stop();
    }
  });
});
