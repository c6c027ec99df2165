import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { SHAPES } from "../shapes/registry";
import { listCaptureTriggers, setChangeCaptureMode } from "./capture-mode.server";
import { ShapeEngine } from "./engine.server";
import { getShapeEngine } from "./instance.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { account, insertOrder, openStream, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector } from "./testing/shape-collector";

/**
 * Decision 036: with real Electric the capture triggers are off, and coming back to the built-in
 * engine turns them on and sends every client of the old log a must-refetch, so the changes made
 * while nothing captured still reach it.
 */

let db: Db;
let kessler: AccountFixture;
const servers: RunningServer[] = [];
const engines: ShapeEngine[] = [];

async function startEngine(port = 0) {
  const definition = ordersDefinition(scopeOf([kessler.id], null));
  const engine = await ShapeEngine.start(db, { longPollMs: 1_000, compactEveryMs: 0, pollMs: 500 });
  const server = await startHttpServer((request) => engine.handle(request, definition), port);
  engines.push(engine);
  servers.push(server);
  return { engine, server };
}

async function logEntries(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_change_log`);
  return rows[0].n;
}

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
});

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const engine of engines) await engine.close();
  await setChangeCaptureMode(db, "built-in");
});

describe("change capture mode", () => {
  it("switches every registry table's capture off for real Electric and back on, and a client of the old log refetches what changed meanwhile", async () => {
    const first = await startEngine();
    const aborter = new AbortController();
    const client = new ShapeCollector(openStream(`${first.server.url}/v1/shape`, { account: kessler.id }, aborter.signal));
    try {
      await client.waitForUpToDate();
      const rows = () => expectedRows(db, "sales_orders", ordersDefinition(scopeOf([kessler.id], null)).columns, `t.account_id = $1`, [kessler.id]);
      expect(client.byId()).toEqual(await rows());

      // The portal restarts with ELECTRIC_URL: the built-in engine is gone, capture goes off.
      await first.server.close();
      await first.engine.close();
      const off = await setChangeCaptureMode(db, "electric");
      expect(off.changed).toBe(true);
      const triggers = await listCaptureTriggers(db);
      const captured = new Set(triggers.map((t) => t.table));
      for (const shape of SHAPES) expect(captured.has(shape.table), shape.table).toBe(true);
      expect(triggers.filter((t) => t.enabled)).toEqual([]);
      expect(await logEntries()).toBe(0);
      expect(await setChangeCaptureMode(db, "electric")).toMatchObject({ changed: false });

      // Writes meanwhile cost no log entry.
      const whileElectric = await insertOrder(db, { accountId: kessler.id, locationId: kessler.locationIds[0], net: "777.70" });
      await db.query(`UPDATE sales_orders SET status = 'on_hold' WHERE id = (SELECT id FROM sales_orders WHERE account_id = $1 AND id <> $2 LIMIT 1)`, [kessler.id, whileElectric]);
      expect(await logEntries()).toBe(0);

      // Back to the built-in engine: capture on, and the client's old handle gets a must-refetch.
      const refetchesBefore = client.mustRefetches;
      const on = await setChangeCaptureMode(db, "built-in");
      expect(on.changed).toBe(true);
      expect((await listCaptureTriggers(db)).filter((t) => !t.enabled)).toEqual([]);
      await startEngine(first.server.port);
      await client.waitFor("must-refetch after the time without capture", () => client.mustRefetches > refetchesBefore);
      await client.waitFor("the order written while capture was off", () => client.byId().get(whileElectric)?.net_amount === "777.70");
      expect(client.byId()).toEqual(await rows());

      // And live changes flow again.
      await db.query(`UPDATE sales_orders SET status = 'confirmed' WHERE id = $1`, [whileElectric]);
      await client.waitFor("a live change after capture came back", () => client.byId().get(whileElectric)?.status === "confirmed");
      expect(client.error).toBeNull();
    } finally {
      aborter.abort();
      client.stop();
    }
  }, 60_000);

  it("the process engine turns capture back on before it serves, whatever the last process left", async () => {
    await setChangeCaptureMode(db, "electric");
    const engine = await getShapeEngine();
    expect(engine.closed).toBe(false);
    expect((await listCaptureTriggers(db)).filter((t) => !t.enabled)).toEqual([]);
    await insertOrder(db, { accountId: kessler.id, locationId: null });
    expect(await logEntries()).toBeGreaterThan(0);
  });
});
