import { ShapeStream, type Row } from "@electric-sql/client";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { signIn } from "../../test/support/portal";
import { serveShapeHttp } from "./gateway.server";
import { account, contactScope, insertOrder, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector, TEXT_PARSER } from "./testing/shape-collector";

/**
 * Live mode over SSE through the portal's own entrance (the node:http fast path, serveShapeHttp),
 * with the real client (`liveSse: true`) and a session cookie: inserts, updates, deletes and rows
 * leaving the scope arrive on the open event stream, without new requests; a change of the
 * contact's scope ends the stream, the next request gets 409, the client refetches under the new
 * scope and goes back to SSE. At every step the client's rows equal Postgres's.
 */

let db: Db;
let kessler: AccountFixture;
let server: Server;
let base: string;
const requests: URL[] = [];

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  server = createServer((req, res) => {
    requests.push(new URL(req.url ?? "/", "http://portal.test"));
    void serveShapeHttp(req, res, "orders").then((handled) => {
      if (!handled) res.writeHead(501).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync/shapes/orders`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const liveRequests = (since: number) => requests.slice(since).filter((url) => url.searchParams.get("live") === "true");

describe("SSE through the shape gateway", () => {
  it("streams inserts, updates, deletes and a scope change to a real liveSse client, ending equal to Postgres", async () => {
    const viewer = await contactScope(db, "viewer@kessler.example", "10001");
    const [inside, outside] = [viewer.locationIds![0], kessler.locationIds.find((id) => !viewer.locationIds!.includes(id))!];
    expect(outside).toBeDefined();
    const columns = ordersDefinition(scopeOf([kessler.id], null)).columns;
    const viewerRows = () => expectedRows(db, "sales_orders", columns, `t.account_id = $1 AND t.location_id = ANY($2)`, [kessler.id, viewer.locationIds]);
    const accountRows = () => expectedRows(db, "sales_orders", columns, `t.account_id = $1`, [kessler.id]);

    const aborter = new AbortController();
    const stream = new ShapeStream<Row>({
      url: base,
      params: { account: kessler.id },
      headers: { cookie: await signIn("viewer@kessler.example") },
      liveSse: true,
      signal: aborter.signal,
      parser: TEXT_PARSER,
      backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 2 },
    });
    const client = new ShapeCollector(stream);
    try {
      await client.waitForUpToDate();
      expect(client.byId()).toEqual(await viewerRows());
      await client.waitFor("the first SSE request", () => liveRequests(0).length > 0);
      const sseStarted = requests.length;

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
      expect(requests.length).toBe(sseStarted);

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
      const afterRefetch = requests.length;
      const elsewhere = await insertOrder(db, { accountId: kessler.id, locationId: outside });
      await client.waitFor("a live insert in another location", () => client.byId().has(elsewhere));
      expect(client.byId()).toEqual(await accountRows());
      const live = liveRequests(sseStarted);
      expect(live.length).toBeGreaterThan(0);
      expect(live.every((url) => url.searchParams.get("live_sse") === "true")).toBe(true); // never fell back to long-polling
      expect(requests.slice(afterRefetch).filter((url) => url.searchParams.get("live") === "true" && url.searchParams.get("live_sse") !== "true")).toEqual([]);
      expect(client.error).toBeNull();
    } finally {
      aborter.abort();
      client.stop();
    }
  }, 60_000);
});
