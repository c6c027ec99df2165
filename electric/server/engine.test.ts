import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { ShapeEngine } from "./engine.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import type { ShapeRequestDefinition } from "./shape-definition.server";
import { account, insertOrder, openStream, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector } from "./testing/shape-collector";

/**
 * The real @electric-sql/client ShapeStream against the engine over HTTP, through a snapshot, live
 * inserts, updates and deletes, a row leaving the scope, a must-refetch and a server restart;
 * at the end the client's rows equal Postgres' rows for the scope, value by value.
 */

let db: Db;
let kessler: AccountFixture;
let nordhavn: AccountFixture;
const servers: RunningServer[] = [];
const engines: ShapeEngine[] = [];

/**
 * Lets the test hold the client's next request back and wait until no request is inside the
 * engine, so a change can be made while the client's offset is known not to move.
 */
class RequestGate {
  #inFlight = 0;
  #opened: Promise<void> = Promise.resolve();
  #open: () => void = () => {};

  async pass<T>(handle: () => Promise<T>): Promise<T> {
    await this.#opened;
    this.#inFlight++;
    try {
      return await handle();
    } finally {
      this.#inFlight--;
    }
  }

  async closeAndDrain(timeoutMs = 10_000): Promise<void> {
    this.#opened = new Promise((resolve) => (this.#open = resolve));
    const started = Date.now();
    while (this.#inFlight > 0) {
      if (Date.now() - started > timeoutMs) throw new Error(`a request stayed in the engine for ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  open(): void {
    this.#open();
  }
}

async function startEngine(definition: () => ShapeRequestDefinition, port = 0) {
  const engine = await ShapeEngine.start(db, { longPollMs: 1_500, compactEveryMs: 0, pollMs: 500 });
  const gate = new RequestGate();
  const server = await startHttpServer((request) => gate.pass(() => engine.handle(request, definition())), port);
  engines.push(engine);
  servers.push(server);
  return { engine, server, gate };
}

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  nordhavn = await account(db, "10004");
});

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const engine of engines) await engine.close();
});

const ORDER_COLUMNS = ordersDefinition(scopeOf(["x"], null)).columns;

async function postgresOrders(accountIds: string[]) {
  return expectedRows(db, "sales_orders", ORDER_COLUMNS, `t.account_id = ANY($1::uuid[])`, [accountIds]);
}

describe("shape engine with the real Electric client", () => {
  it("follows snapshot, live changes, a row leaving the scope, must-refetch and a restart, and converges", async () => {
    let definition = ordersDefinition(scopeOf([kessler.id], null));
    const first = await startEngine(() => definition);
    const aborter = new AbortController();
    const url = `${first.server.url}/v1/shape`;
    const client = new ShapeCollector(openStream(url, { account: kessler.id }, aborter.signal));
    try {
      await client.waitForUpToDate();
      const snapshot = await postgresOrders([kessler.id]);
      expect(snapshot.size).toBeGreaterThan(10);
      expect(client.byId()).toEqual(snapshot);

      // live insert
      const inserted = await insertOrder(db, { accountId: kessler.id, locationId: kessler.locationIds[0], net: "1234.50" });
      await client.waitFor("the inserted order", () => client.byId().has(inserted));
      const row = client.byId().get(inserted)!;
      expect(row.net_amount).toBe("1234.50");
      expect(row.order_date).toBe("2026-01-15");
      expect(row.updated_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);
      const insertMessage = client.changes.find((m) => "key" in m && (m.value as { id: string }).id === inserted)!;
      expect(insertMessage.headers).toMatchObject({ operation: "insert", relation: ["public", "sales_orders"], last: true });
      expect(insertMessage.headers.lsn).toMatch(/^\d+$/);
      expect(insertMessage.headers.txids).toEqual([expect.any(Number)]);

      // live update
      await db.query(`UPDATE sales_orders SET status = 'confirmed', promised_delivery_date = '2026-02-01' WHERE id = $1`, [inserted]);
      await client.waitFor("the update", () => client.byId().get(inserted)?.status === "confirmed");
      expect(client.byId().get(inserted)?.promised_delivery_date).toBe("2026-02-01");

      // live delete
      const doomed = await insertOrder(db, { accountId: kessler.id, locationId: null });
      await client.waitFor("the second insert", () => client.byId().has(doomed));
      await db.query(`DELETE FROM sales_orders WHERE id = $1`, [doomed]);
      await client.waitFor("the delete", () => !client.byId().has(doomed));

      // an update that moves the row to another account arrives as a delete
      const changesBefore = client.changes.length;
      await db.query(`UPDATE sales_orders SET account_id = $2, location_id = NULL WHERE id = $1`, [inserted, nordhavn.id]);
      await client.waitFor("the move out", () => !client.byId().has(inserted));
      const moveOut = client.changes.slice(changesBefore).find((m) => m.headers.operation === "delete")!;
      expect(moveOut.value).toEqual({ id: inserted });
      // ... and moving it back arrives as an insert
      await db.query(`UPDATE sales_orders SET account_id = $2, status = 'on_hold' WHERE id = $1`, [inserted, kessler.id]);
      await client.waitFor("the move in", () => client.byId().get(inserted)?.status === "on_hold");

      // must-refetch through compaction: a change the shape does not watch moves the log on and
      // compaction drops everything up to it. The client is held back meanwhile: a poll answered
      // between the change and the compaction would carry it past the horizon (CI once hit that).
      const refetchesBefore = client.mustRefetches;
      await first.gate.closeAndDrain();
      await db.query(`UPDATE invoices SET payment_reference = 'compaction test' WHERE id = (SELECT id FROM invoices LIMIT 1)`);
      const compaction = await first.engine.compact(0);
      expect(compaction.deletedEntries).toBeGreaterThan(0);
      first.gate.open();
      await client.waitFor("must-refetch after compaction", () => client.mustRefetches > refetchesBefore);
      await client.waitForUpToDate(client.upToDates + 1);
      expect(client.byId()).toEqual(await postgresOrders([kessler.id]));

      // must-refetch through a definition change (the scope now also covers Nordhavn)
      const refetchesBeforeScope = client.mustRefetches;
      definition = ordersDefinition(scopeOf([kessler.id, nordhavn.id], null));
      await client.waitFor("must-refetch after the scope changed", () => client.mustRefetches > refetchesBeforeScope);
      const widened = await postgresOrders([kessler.id, nordhavn.id]);
      await client.waitFor("the widened scope", () => client.byId().size === widened.size);
      expect(client.byId()).toEqual(widened);

      // restart: the server and the engine go away mid-stream, a change happens meanwhile, and a new
      // engine on the same port serves the client's handle and offset from the persisted state.
      const handleBefore = client.stream.shapeHandle;
      await first.server.close();
      await first.engine.close();
      const whileDown = await insertOrder(db, { accountId: nordhavn.id, locationId: nordhavn.locationIds[0] });
      const second = await startEngine(() => definition, first.server.port);
      await client.waitFor("the change made while the server was down", () => client.byId().has(whileDown));
      expect(client.stream.shapeHandle).toBe(handleBefore); // resumed, no refetch needed
      await db.query(`UPDATE sales_orders SET net_amount = 99.99, tax_amount = 0, gross_amount = 99.99 WHERE id = $1`, [whileDown]);
      await client.waitFor("an update after the restart", () => client.byId().get(whileDown)?.net_amount === "99.99");
      expect(second.engine.closed).toBe(false);

      expect(client.byId()).toEqual(await postgresOrders([kessler.id, nordhavn.id]));
      expect(client.error).toBeNull();
    } finally {
      aborter.abort();
      client.stop();
    }
  }, 60_000);
});
