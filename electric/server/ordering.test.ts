import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { ShapeEngine } from "./engine.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { Sequencer, type StampResult } from "./sequencer.server";
import { account, insertOrder, openStream, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector } from "./testing/shape-collector";

/**
 * Offsets are commit-ordered: a transaction that started first but commits last is served after
 * everything the client already consumed, never slipped in below its offset.
 */

let db: Db;
let kessler: AccountFixture;
const connections: pg.Client[] = [];

async function connection(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  connections.push(client);
  return client;
}

const ORDER_COLUMNS = ordersDefinition(scopeOf(["x"], null)).columns;

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
});

afterAll(async () => {
  for (const client of connections) await client.end();
});

describe("commit ordering", () => {
  let engine: ShapeEngine;
  let server: RunningServer;

  beforeAll(async () => {
    engine = await ShapeEngine.start(db, { longPollMs: 2_000, compactEveryMs: 0 });
    const definition = ordersDefinition(scopeOf([kessler.id], null));
    server = await startHttpServer((request) => engine.handle(request, definition));
  });

  afterAll(async () => {
    await server.close();
    await engine.close();
  });

  it("delivers a transaction that began first but committed last, after the one that committed first", async () => {
    const aborter = new AbortController();
    const client = new ShapeCollector(openStream(`${server.url}/v1/shape`, {}, aborter.signal));
    try {
      await client.waitForUpToDate();
      const a = await connection();
      const b = await connection();

      await a.query("BEGIN");
      const orderA = await insertOrder(a, { accountId: kessler.id, locationId: null, net: "1.00" }); // A writes first …
      await b.query("BEGIN");
      const orderB = await insertOrder(b, { accountId: kessler.id, locationId: null, net: "2.00" });
      await b.query("COMMIT"); // … B commits first

      await client.waitFor("B's insert", () => client.byId().has(orderB));
      const offsetAfterB = client.stream.lastOffset;
      expect(client.byId().has(orderA)).toBe(false);

      await a.query("COMMIT");
      await client.waitFor("A's insert", () => client.byId().has(orderA));

      const lsnOf = (id: string) => BigInt(client.changes.find((m) => (m.value as { id: string }).id === id)!.headers.lsn as string);
      expect(lsnOf(orderA)).toBeGreaterThan(lsnOf(orderB));
      expect(BigInt(client.stream.lastOffset.split("_")[0])).toBeGreaterThan(BigInt(offsetAfterB.split("_")[0]));
      // Each change arrived once, in commit order.
      const arrivals = client.changes.map((m) => (m.value as { id: string }).id).filter((id) => id === orderA || id === orderB);
      expect(arrivals).toEqual([orderB, orderA]);
      expect(client.byId()).toEqual(
        await expectedRows(db, "sales_orders", ORDER_COLUMNS, `t.account_id = $1`, [kessler.id]),
      );
    } finally {
      aborter.abort();
      client.stop();
    }
  });
});

describe("sequencer", () => {
  it("orders the transactions of one stamping run by their last write, so conflicting writes keep their real order", async () => {
    const stamped: StampResult[] = [];
    const sequencer = new Sequencer(db, (result) => stamped.push(result));
    await sequencer.catchUp(); // nothing from earlier tests left unstamped
    const order = await insertOrder(db, { accountId: kessler.id, locationId: null });
    const a = await connection();
    const b = await connection();
    const other = await insertOrder(db, { accountId: kessler.id, locationId: null });
    await sequencer.catchUp();

    // A starts first (its first write is on another row), B then updates the row and commits, and
    // A updates the same row afterwards: the row's final state is A's, and A must come last.
    await a.query("BEGIN");
    await a.query(`UPDATE sales_orders SET note = 'A first write' WHERE id = $1`, [other]);
    await b.query("BEGIN");
    await b.query(`UPDATE sales_orders SET status = 'confirmed' WHERE id = $1`, [order]);
    await b.query("COMMIT");
    await a.query(`UPDATE sales_orders SET status = 'cancelled' WHERE id = $1`, [order]);
    await a.query("COMMIT");
    const result = await sequencer.catchUp(); // one run stamps both
    expect(result?.tables).toEqual(["sales_orders"]);

    const { rows } = await db.query<{ status: string; position: number; txPosition: number }>(
      `SELECT new_row->>'status' AS status, position, tx_position AS "txPosition"
         FROM sync_change_log WHERE table_name = 'sales_orders' AND pk->>'id' = $1 AND operation = 'update' ORDER BY position`,
      [order],
    );
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "cancelled"]);
    // A's two entries share one lsn and are contiguous.
    const aEntries = await db.query<{ position: number; txPosition: number }>(
      `SELECT position, tx_position AS "txPosition" FROM sync_change_log
        WHERE xid = (SELECT xid FROM sync_change_log WHERE pk->>'id' = $1 AND new_row->>'status' = 'cancelled') ORDER BY position`,
      [order],
    );
    expect(aEntries.rows.map((r) => r.position)).toEqual([aEntries.rows[0].position, aEntries.rows[0].position + 1]);
    expect(new Set(aEntries.rows.map((r) => r.txPosition))).toEqual(new Set([aEntries.rows[1].position]));
  });

  it("never stamps an uncommitted transaction, and numbers it after later commits", async () => {
    const sequencer = new Sequencer(db, () => undefined);
    const a = await connection();
    await a.query("BEGIN");
    const late = await insertOrder(a, { accountId: kessler.id, locationId: null });
    const early = await insertOrder(db, { accountId: kessler.id, locationId: null });
    await sequencer.catchUp();
    const positionOf = async (id: string) =>
      (await db.query<{ position: number | null }>(`SELECT position FROM sync_change_log WHERE pk->>'id' = $1`, [id])).rows[0]?.position;
    expect(await positionOf(early)).toBeGreaterThan(0);
    expect(await positionOf(late)).toBeUndefined(); // invisible until committed
    await a.query("COMMIT");
    await sequencer.catchUp();
    expect(await positionOf(late)).toBeGreaterThan((await positionOf(early))!);
  });
});
