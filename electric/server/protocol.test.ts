import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { findShape, shapeConditions } from "../shapes/registry";
import { ShapeEngine } from "./engine.server";
import { requestDefinition, type ShapeRequestDefinition } from "./shape-definition.server";
import { account, insertOrder, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";

/** The HTTP contract of the engine, request by request (ELECTRIC-PROTOCOL.md §1). */

let db: Db;
let engine: ShapeEngine;
let kessler: AccountFixture;
let orders: ShapeRequestDefinition;

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  orders = ordersDefinition(scopeOf([kessler.id], null));
  engine = await ShapeEngine.start(db, { longPollMs: 700, compactEveryMs: 0, chunkEntries: 3 });
});

afterAll(async () => {
  await engine.close();
});

function get(query: Record<string, string>, definition = orders): Promise<Response> {
  return engine.handle(new Request(`http://engine.test/v1/shape?${new URLSearchParams(query)}`), definition);
}

type Message = { key?: string; value?: Record<string, string | null>; headers: Record<string, unknown> };

async function snapshot(definition = orders) {
  const response = await get({ offset: "-1" }, definition);
  expect(response.status).toBe(200);
  return { response, handle: response.headers.get("electric-handle")!, offset: response.headers.get("electric-offset")!, body: (await response.json()) as Message[] };
}

describe("shape engine protocol", () => {
  it("answers bad parameters with 400 in Electric's error format", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ offset: "-1", live: "true" }, "live"],
      [{ offset: "5_0" }, "handle"],
      [{ offset: "banana", handle: "h" }, "offset"],
      [{}, "offset"],
      [{ offset: "5_0", handle: "h", live_sse: "true" }, "live_sse"],
      [{ offset: "-1", log: "changes_only" }, "log"],
      [{ offset: "-1", subset__where: "true" }, "subset"],
    ];
    for (const [query, field] of cases) {
      const response = await get(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      const body = (await response.json()) as { message: string; errors: Record<string, string[]> };
      expect(body.message).toBe("Invalid request");
      expect(body.errors[field], JSON.stringify(body)).toEqual([expect.any(String)]);
    }
  });

  it("serves a snapshot with the required headers, text-format values and a closing up-to-date", async () => {
    const { response, handle, offset, body } = await snapshot();
    expect(handle).toMatch(/^[0-9a-f]{12}-\d+-[0-9a-f]{12}$/);
    expect(offset).toMatch(/^\d+_0$/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.has("electric-cursor")).toBe(false);
    const schema = JSON.parse(response.headers.get("electric-schema")!);
    expect(schema.id).toEqual({ type: "uuid", not_null: true, pk_index: 0 });
    expect(schema.net_amount).toEqual({ type: "numeric", not_null: true, precision: 14, scale: 2 });
    expect(schema.currency).toEqual({ type: "bpchar", not_null: true, length: 3 });
    expect(Object.keys(schema)).toEqual([...orders.columns]);
    const last = body[body.length - 1];
    expect(last.headers).toEqual({ control: "up-to-date", global_last_seen_lsn: offset.split("_")[0] });
    const rows = body.filter((m) => m.key);
    expect(rows[0].headers).toEqual({ operation: "insert", relation: ["public", "sales_orders"] });
    for (const row of rows) {
      expect(row.key).toBe(`"public"."sales_orders"/"${row.value!.id}"`);
      for (const value of Object.values(row.value!)) expect(value === null || typeof value === "string").toBe(true);
      expect(row.value!.net_amount).toMatch(/^-?\d+\.\d\d$/);
    }

    // Booleans as the output function prints them.
    const locations = findShape("locations")!;
    const located = await snapshot(requestDefinition(locations, shapeConditions(locations, scopeOf([kessler.id], null))));
    const flags = located.body.filter((m) => m.key).map((m) => m.value!.is_default_ship_to);
    expect(new Set(flags)).toEqual(new Set(["t", "f"]));
  });

  it("applies the registry's fixed conditions: staff-only ticket messages never leave, also when a message turns internal", async () => {
    const messages = findShape("ticket_messages")!;
    const definition = requestDefinition(messages, shapeConditions(messages, scopeOf([kessler.id], null)));
    const { handle, offset, body } = await snapshot(definition);
    const ids = body.filter((m) => m.key).map((m) => m.value!.id);
    const { rows } = await db.query<{ id: string; isInternal: boolean }>(
      `SELECT id, is_internal AS "isInternal" FROM ticket_messages WHERE account_id = $1`,
      [kessler.id],
    );
    expect(rows.some((r) => r.isInternal)).toBe(true);
    expect(new Set(ids)).toEqual(new Set(rows.filter((r) => !r.isInternal).map((r) => r.id)));
    await db.query(`UPDATE ticket_messages SET is_internal = true WHERE id = $1`, [ids[0]]);
    const next = await get({ offset, handle }, definition);
    const change = ((await next.json()) as Message[])[0];
    expect(change.headers.operation).toBe("delete");
    expect(change.value).toEqual({ id: ids[0] });
  });

  it("answers an unknown handle, or one of another definition, with 409 and a new handle", async () => {
    const unknown = await get({ offset: "3_0", handle: "no-such-handle" });
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toEqual([{ headers: { control: "must-refetch" } }]);
    const fresh = unknown.headers.get("electric-handle")!;
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe("no-such-handle");

    const { handle, offset } = await snapshot();
    const widened = ordersDefinition(scopeOf([kessler.id, (await account(db, "10004")).id], null));
    const other = await get({ offset, handle }, widened);
    expect(other.status).toBe(409);
    expect(other.headers.get("electric-handle")).not.toBe(handle);
    // The 409 handles are never reused.
    expect(new Set([fresh, other.headers.get("electric-handle"), handle]).size).toBe(3);
  });

  it("holds a live request without changes, then answers up-to-date with a cursor", async () => {
    const { handle, offset } = await snapshot();
    const started = Date.now();
    const response = await get({ offset, handle, live: "true", cursor: "" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(response.status).toBe(200);
    expect(response.headers.get("electric-cursor")).toMatch(/^\d+$/);
    expect(response.headers.has("electric-schema")).toBe(false);
    expect(response.headers.get("electric-handle")).toBe(handle);
    const body = (await response.json()) as Message[];
    expect(body).toEqual([{ headers: { control: "up-to-date", global_last_seen_lsn: expect.stringMatching(/^\d+$/) } }]);
    // The next cursor differs from the one sent back.
    const cursor = response.headers.get("electric-cursor")!;
    const again = await get({ offset: response.headers.get("electric-offset")!, handle, live: "true", cursor });
    expect(again.headers.get("electric-cursor")).not.toBe(cursor);
  });

  it("splits a long catch-up into chunks at transaction boundaries, up-to-date only on the last", async () => {
    const { handle, offset } = await snapshot();
    const ids = await db.transaction(async (tx) => {
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push(await insertOrder(tx, { accountId: kessler.id, locationId: null }));
      return made;
    });
    const last = await insertOrder(db, { accountId: kessler.id, locationId: null });
    const first = await get({ offset, handle });
    const firstBody = (await first.json()) as Message[];
    expect(firstBody.map((m) => m.value?.id)).toEqual(ids); // the whole 5-row transaction, though the chunk is 3
    expect(firstBody.map((m) => m.headers.last)).toEqual([false, false, false, false, true]);
    expect(new Set(firstBody.map((m) => m.headers.lsn)).size).toBe(1);
    expect(first.headers.has("electric-up-to-date")).toBe(false);
    expect(first.headers.get("electric-schema")).toBeTruthy();
    const second = await get({ offset: first.headers.get("electric-offset")!, handle });
    const secondBody = (await second.json()) as Message[];
    expect(secondBody.map((m) => m.value?.id ?? m.headers.control)).toEqual([last, "up-to-date"]);
    expect(second.headers.get("electric-up-to-date")).toBe("");
  });

  it("makes every shape of a truncated table refetch", async () => {
    const events = findShape("tracking_events")!;
    const definition = requestDefinition(events, shapeConditions(events, scopeOf([kessler.id], null)));
    const { handle, offset } = await snapshot(definition);
    await db.query(`TRUNCATE tracking_events`);
    const response = await get({ offset, handle }, definition);
    expect(response.status).toBe(409);
  });

  it("starts at the head for offset=now", async () => {
    const response = await get({ offset: "now" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ headers: { control: "up-to-date", global_last_seen_lsn: expect.any(String) } }]);
    expect(response.headers.get("electric-schema")).toBeTruthy();
    const handle = response.headers.get("electric-handle")!;
    const id = await insertOrder(db, { accountId: kessler.id, locationId: null });
    const next = await get({ offset: response.headers.get("electric-offset")!, handle });
    const body = (await next.json()) as Message[];
    expect(body.map((m) => m.value?.id ?? m.headers.control)).toEqual([id, "up-to-date"]);
  });
});
