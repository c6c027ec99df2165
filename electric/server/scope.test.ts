import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import type { Scope } from "~/modules/access/scope.server";
import { ShapeEngine } from "./engine.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { account, contactScope, insertOrder, openStream, ordersDefinition, type AccountFixture } from "./testing/fixtures";
import { ShapeCollector } from "./testing/shape-collector";

/**
 * Scope isolation through the real client: a location-restricted contact never receives another
 * location's rows, and one account's contact never receives another account's rows, neither in
 * the snapshot nor live, nor when a row moves between locations or accounts.
 */

let db: Db;
let engine: ShapeEngine;
let server: RunningServer;
let kessler: AccountFixture;
let nordhavn: AccountFixture;
let viewer: Scope;
let nordhavnBuyer: Scope;
const aborter = new AbortController();

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  nordhavn = await account(db, "10004");
  viewer = await contactScope(db, "viewer@kessler.example", "10001");
  nordhavnBuyer = await contactScope(db, "buyer@nordhavn.example", "10004");
  engine = await ShapeEngine.start(db, { longPollMs: 2_000, compactEveryMs: 0 });
  // The test server picks the scope by a query parameter, as the gateway does from the session.
  const scopes: Record<string, Scope> = { viewer, nordhavn: nordhavnBuyer };
  server = await startHttpServer((request) => {
    const who = new URL(request.url).searchParams.get("who") ?? "";
    return engine.handle(request, ordersDefinition(scopes[who]));
  });
});

afterAll(async () => {
  aborter.abort();
  await server.close();
  await engine.close();
});

function collect(who: string, extra: Record<string, string> = {}) {
  return new ShapeCollector(openStream(`${server.url}/v1/shape`, { who, ...extra }, aborter.signal));
}

describe("scope isolation", () => {
  it("keeps a location-restricted contact to their locations and each account to its own rows", async () => {
    const viewerLocations = viewer.locationIds!;
    expect(viewerLocations.length).toBeGreaterThan(0);
    const otherKesslerLocation = kessler.locationIds.find((id) => !viewerLocations.includes(id))!;
    expect(otherKesslerLocation).toBeDefined();

    const viewerClient = collect("viewer");
    const nordhavnClient = collect("nordhavn");
    await viewerClient.waitForUpToDate();
    await nordhavnClient.waitForUpToDate();

    const allowed = (row: Record<string, string | null>) =>
      row.account_id === kessler.id && row.location_id !== null && viewerLocations.includes(row.location_id);
    expect(viewerClient.rows.size).toBeGreaterThan(0);
    expect([...viewerClient.rows.values()].every(allowed)).toBe(true);
    expect([...nordhavnClient.rows.values()].every((row) => row.account_id === nordhavn.id)).toBe(true);

    // Live: rows in another location, without a location, and of the other account stay away …
    const elsewhere = await insertOrder(db, { accountId: kessler.id, locationId: otherKesslerLocation });
    const noLocation = await insertOrder(db, { accountId: kessler.id, locationId: null });
    const movesAway = await insertOrder(db, { accountId: kessler.id, locationId: viewerLocations[0] });
    // … and a row that moves from the viewer's location to another one leaves.
    await db.query(`UPDATE sales_orders SET location_id = $2 WHERE id = $1`, [movesAway, otherKesslerLocation]);
    const marker = await insertOrder(db, { accountId: kessler.id, locationId: viewerLocations[0] });
    const nordhavnMarker = await insertOrder(db, { accountId: nordhavn.id, locationId: nordhavn.locationIds[0] });

    // Changes arrive in commit order, so once the markers are there everything before them was seen.
    await viewerClient.waitFor("the viewer's marker", () => viewerClient.byId().has(marker));
    await nordhavnClient.waitFor("Nordhavn's marker", () => nordhavnClient.byId().has(nordhavnMarker));
    const viewerSaw = new Set(viewerClient.changes.map((m) => (m.value as { id: string }).id));
    expect(viewerSaw.has(elsewhere)).toBe(false);
    expect(viewerSaw.has(noLocation)).toBe(false);
    expect(viewerSaw.has(movesAway)).toBe(true); // inserted in the viewer's location …
    expect(viewerClient.byId().has(movesAway)).toBe(false); // … then moved away: deleted
    expect([...viewerClient.rows.values()].every(allowed)).toBe(true);

    const nordhavnLive = nordhavnClient.changes.filter((m) => m.headers.lsn !== undefined); // not snapshot rows
    expect(nordhavnLive.map((m) => (m.value as { id: string }).id)).toEqual([nordhavnMarker]);

    // A Kessler order moved into Nordhavn arrives at Nordhavn as an insert and leaves the viewer.
    await db.query(`UPDATE sales_orders SET account_id = $2, location_id = NULL WHERE id = $1`, [marker, nordhavn.id]);
    await nordhavnClient.waitFor("the moved order at Nordhavn", () => nordhavnClient.byId().has(marker));
    await viewerClient.waitFor("the moved order gone from the viewer", () => !viewerClient.byId().has(marker));
    const moved = nordhavnClient.changes.find((m) => (m.value as { id: string }).id === marker)!;
    expect(moved.headers.operation).toBe("insert");
    expect([...nordhavnClient.rows.values()].every((row) => row.account_id === nordhavn.id)).toBe(true);
    viewerClient.stop();
    nordhavnClient.stop();
  });

  it("never lets request parameters choose the table, the filter or the columns", async () => {
    const params = new URLSearchParams({
      who: "viewer",
      offset: "-1",
      table: "users",
      where: "true",
      columns: '"id","password_hash"',
      "params[1]": nordhavn.id,
      replica: "full",
    });
    const response = await fetch(`${server.url}/v1/shape?${params}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { key?: string; value?: Record<string, string> }[];
    const rows = body.filter((m) => m.key);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.key).toMatch(/^"public"\."sales_orders"\//);
      expect(Object.keys(row.value!)).not.toContain("password_hash");
      expect(row.value!.account_id).toBe(kessler.id);
      expect(viewer.locationIds).toContain(row.value!.location_id);
    }
  });
});
