import { ShapeStream, type Row } from "@electric-sql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { ShapeEngine } from "./engine.server";
import { startHttpServer, type RunningServer } from "./node-http.server";
import { account, insertOrder, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";
import { expectedRows, ShapeCollector, TEXT_PARSER } from "./testing/shape-collector";

/**
 * Live mode over SSE (`liveSse: true`). The client's SSE path uses @microsoft/fetch-event-source,
 * which expects a browser (`window`, `document`); this file gives Node the two globals it touches.
 */
const globals = globalThis as Record<string, unknown>;
globals.window ??= globalThis;
globals.document ??= { hidden: false, addEventListener() {}, removeEventListener() {} };

let db: Db;
let engine: ShapeEngine;
let server: RunningServer;
let kessler: AccountFixture;
const requests: URL[] = [];

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  engine = await ShapeEngine.start(db, { sseMs: 1_500, compactEveryMs: 0 });
  const definition = ordersDefinition(scopeOf([kessler.id], null));
  server = await startHttpServer((request) => {
    requests.push(new URL(request.url));
    return engine.handle(request, definition);
  });
});

afterAll(async () => {
  await server.close();
  await engine.close();
});

describe("shape engine over SSE", () => {
  it("streams live changes as server-sent events and resumes across reconnects", async () => {
    const aborter = new AbortController();
    const stream = new ShapeStream<Row>({
      url: `${server.url}/v1/shape`,
      liveSse: true,
      signal: aborter.signal,
      parser: TEXT_PARSER,
      backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 2 },
    });
    const client = new ShapeCollector(stream);
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
