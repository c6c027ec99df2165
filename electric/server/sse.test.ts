import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { signIn } from "../../test/support/portal";
import { ShapeEngine } from "./engine.server";
import { serveShapeHttp } from "./gateway.server";
import { getShapeEngine } from "./instance.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { account, contactScope, insertOrder, openStream, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector } from "./testing/shape-collector";

/**
 * Live mode over SSE (`liveSse: true`) with the real client: against the engine alone, and through
 * the portal's own entrance (the node:http fast path, serveShapeHttp) with a session cookie. (The
 * client's bundled fetch-event-source checks for `document` itself: no browser globals needed.)
 */

let db: Db;
let engine: ShapeEngine;
let server: RunningServer;
let kessler: AccountFixture;
const requests: URL[] = [];
let gateway: Server;
let gatewayBase: string;
const gatewayRequests: URL[] = [];

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  engine = await ShapeEngine.start(db, { sseMs: 1_500, compactEveryMs: 0 });
  const definition = ordersDefinition(scopeOf([kessler.id], null));
  server = await startHttpServer((request) => {
    requests.push(new URL(request.url));
    return engine.handle(request, definition);
  });
  gateway = createServer((req, res) => {
    gatewayRequests.push(new URL(req.url ?? "/", "http://portal.test"));
    void serveShapeHttp(req, res, "orders").then((handled) => {
      if (!handled) res.writeHead(501).end();
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", () => resolve()));
  gatewayBase = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sync/shapes/orders`;
});

afterAll(async () => {
  await server.close();
  await engine.close();
  gateway.closeAllConnections();
  await new Promise((resolve) => gateway.close(resolve));
});

describe("shape engine over SSE", () => {
  it("streams live changes as server-sent events and resumes across reconnects", async () => {
    const aborter = new AbortController();
    const client = new ShapeCollector(openStream(`${server.url}/v1/shape`, {}, aborter.signal, undefined, { liveSse: true }));
    try {
      await client.waitForUpToDate();
      const first = await insertOrder(db, { accountId: kessler.id, locationId: null });
      await client.waitFor("a change over SSE", () => client.byId().has(first));
      expect(requests.some((url) => url.searchParams.get("live_sse") === "true")).toBe(true);

      // The server ends each SSE response after sseMs; the client comes back from <lsn>_0.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const second = await insertOrder(db, { accountId: kessler.id, locationId: null });
      await db.query(`UPDATE sales_orders SET status = 'cancelled' WHERE id = $1`, [first]);
      await client.waitFor("changes after a reconnect", () => client.byId().has(second) && client.byId().get(first)?.status === "cancelled");
      const sseRequests = requests.filter((url) => url.searchParams.get("live_sse") === "true");
      expect(sseRequests.length).toBeGreaterThan(1);
      expect(sseRequests.at(-1)!.searchParams.get("offset")).toMatch(/^\d+_0$/);
      const columns = ordersDefinition(scopeOf([kessler.id], null)).columns;
      expect(client.byId()).toEqual(await expectedRows(db, "sales_orders", columns, `t.account_id = $1`, [kessler.id]));
      expect(client.error).toBeNull();
    } finally {
      aborter.abort();
      client.stop();
    }
  });
});

/**
 * Through the gateway: inserts, updates, deletes and rows leaving the scope arrive on the open
 * event stream, without new requests; a change of the contact's scope ends the stream, the next
 * request gets 409, the client refetches under the new scope and goes back to SSE. At every step
 * the client's rows equal Postgres's.
 */
const liveRequests = (since: number) => gatewayRequests.slice(since).filter((url) => url.searchParams.get("live") === "true");

describe("SSE through the shape gateway", () => {
  it("streams inserts, updates, deletes and a scope change to a real liveSse client, ending equal to Postgres", async () => {
    const viewer = await contactScope(db, "viewer@kessler.example", "10001");
    const [inside, outside] = [viewer.locationIds![0], kessler.locationIds.find((id) => !viewer.locationIds!.includes(id))!];
    expect(outside).toBeDefined();
    const columns = ordersDefinition(scopeOf([kessler.id], null)).columns;
    const viewerRows = () => expectedRows(db, "sales_orders", columns, `t.account_id = $1 AND t.location_id = ANY($2)`, [kessler.id, viewer.locationIds]);
    const accountRows = () => expectedRows(db, "sales_orders", columns, `t.account_id = $1`, [kessler.id]);

    const aborter = new AbortController();
    const cookie = await signIn("viewer@kessler.example");
    const client = new ShapeCollector(openStream(gatewayBase, { account: kessler.id }, aborter.signal, { cookie }, { liveSse: true }));
    try {
      await client.waitForUpToDate();
      expect(client.byId()).toEqual(await viewerRows());
      await client.waitFor("the first SSE request", () => liveRequests(0).length > 0);
      const sseStarted = gatewayRequests.length;

      // Insert, update, delete, and an update that moves a row out of the viewer's locations.
      const [kept, removed, movedAway] = [
        await insertOrder(db, { accountId: kessler.id, locationId: inside }),
        await insertOrder(db, { accountId: kessler.id, locationId: inside }),
        await insertOrder(db, { accountId: kessler.id, locationId: inside }),
      ];
      await client.waitFor("three inserts", () => [kept, removed, movedAway].every((id) => client.byId().has(id)));
      await db.query(`UPDATE sales_orders SET status = 'cancelled', buyer_name = 'SSE' WHERE id = $1`, [kept]);
      await db.query(`DELETE FROM sales_orders WHERE id = $1`, [removed]);
      await db.query(`UPDATE sales_orders SET location_id = $2 WHERE id = $1`, [movedAway, outside]);
      const marker = await insertOrder(db, { accountId: kessler.id, locationId: inside });
      // Changes arrive in commit order: with the marker there, everything before it was applied.
      await client.waitFor("the marker", () => client.byId().has(marker));
      expect(client.byId().get(kept)).toMatchObject({ status: "cancelled", buyer_name: "SSE" });
      expect(client.byId().has(removed)).toBe(false);
      expect(client.byId().has(movedAway)).toBe(false);
      expect(client.byId()).toEqual(await viewerRows());
      // All of it on the event stream that was already open: no request since.
      expect(gatewayRequests.length).toBe(sseStarted);

      // The supplier lifts the location restriction: the session's access is reloaded (≤ 6 s), the
      // open stream ends, its next request gets 409 and the client refetches the whole account.
      const refetchesBefore = client.mustRefetches;
      await db.query(
        `DELETE FROM membership_locations WHERE membership_id = (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE u.email = 'viewer@kessler.example' AND m.account_id = $1)`,
        [kessler.id],
      );
      const accountCount = (await accountRows()).size;
      await client.waitFor("the refetch under the wider scope", () => client.mustRefetches > refetchesBefore && client.stream.isUpToDate && client.rows.size === accountCount, 30_000);
      expect(client.byId().has(movedAway)).toBe(true);

      // And live again over SSE, now with rows of every location.
      const afterRefetch = gatewayRequests.length;
      const elsewhere = await insertOrder(db, { accountId: kessler.id, locationId: outside });
      await client.waitFor("a live insert in another location", () => client.byId().has(elsewhere));
      expect(client.byId()).toEqual(await accountRows());
      const live = liveRequests(sseStarted);
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((url) => url.searchParams.get("live_sse") === "true")).toBe(true); // never fell back to long-polling
      expect(gatewayRequests.slice(afterRefetch).filter((url) => url.searchParams.get("live") === "true" && url.searchParams.get("live_sse") !== "true")).toEqual([]);
      expect(client.error).toBeNull();

      // A client that goes away releases its stream's place in the live hub at once (not at the
      // stream's 60 s end).
      const portalEngine = await getShapeEngine();
      expect(portalEngine.liveStats.waiting).toBe(1);
      aborter.abort();
      await client.waitFor("the stream released", () => portalEngine.liveStats.waiting === 0, 5_000);
    } finally {
      aborter.abort();
      client.stop();
    }
  }, 60_000);
});
