import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import { findShape, shapeConditions } from "../shapes/registry";
import { canonicalConditions, messagesFromEntries, readChanges, readTableLog } from "./change-reader.server";
import { ShapeEngine } from "./engine.server";
import { currentHead } from "./change-reader.server";
import { requestDefinition, type ShapeRequestDefinition } from "./shape-definition.server";
import { loadTableSchema } from "./table-schema.server";
import { account, insertOrder, ordersDefinition, scopeOf, type AccountFixture } from "./testing/fixtures";

/**
 * The shared live path: held long-polls of one table are answered from one change-log read,
 * filtered per definition in memory, with one body per definition and offset; and that in-memory
 * filter produces exactly what the per-request SQL reader produces.
 */

let db: Db;
let engine: ShapeEngine;
let kessler: AccountFixture;
let nordhavn: AccountFixture;

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  nordhavn = await account(db, "10004");
  engine = await ShapeEngine.start(db, { longPollMs: 4_000, compactEveryMs: 0 });
});

afterAll(async () => {
  await engine.close();
});

async function snapshotOf(definition: ShapeRequestDefinition) {
  const reply = await engine.serve(new URLSearchParams({ offset: "-1" }), definition, new AbortController().signal);
  expect(reply.status).toBe(200);
  return { handle: reply.headers["electric-handle"], offset: reply.headers["electric-offset"] };
}

function live(definition: ShapeRequestDefinition, at: { handle: string; offset: string }, signal = new AbortController().signal) {
  return engine.serve(new URLSearchParams({ offset: at.offset, handle: at.handle, live: "true", cursor: "" }), definition, signal);
}

async function until(what: string, check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const bodyText = (body: unknown) => (typeof body === "string" ? body : new TextDecoder().decode(body as Uint8Array));

describe("shared live path", () => {
  it("answers many held requests of one definition from one read with one body, and leaves other definitions waiting", async () => {
    const nordhavnOrders = ordersDefinition(scopeOf([nordhavn.id], null));
    const kesslerOrders = ordersDefinition(scopeOf([kessler.id], null));
    const clients = await Promise.all(Array.from({ length: 5 }, () => snapshotOf(nordhavnOrders)));
    const other = await snapshotOf(kesslerOrders);
    await until("the snapshots' offsets to settle", () => true);
    const offsets = new Set(clients.map((c) => c.offset));
    expect(offsets.size).toBe(1); // nothing changed in between: one offset, so one group

    const held = Array.from({ length: 60 }, (_, i) => live(nordhavnOrders, clients[i % clients.length]));
    const otherAborter = new AbortController();
    const otherHeld = live(kesslerOrders, other, otherAborter.signal);
    await until("61 held requests", () => engine.liveStats.waiting === 61);

    const readsBefore = engine.liveStats.sharedReads;
    const id = await insertOrder(db, { accountId: nordhavn.id, locationId: nordhavn.locationIds[0] });
    const replies = await Promise.all(held);
    const readsForTheChange = engine.liveStats.sharedReads - readsBefore;
    // One read for the change; a second at most when the NOTIFY of the stamp arrives mid-read.
    expect(readsForTheChange).toBeGreaterThanOrEqual(1);
    expect(readsForTheChange).toBeLessThanOrEqual(2);

    expect(replies.every((r) => r.status === 200)).toBe(true);
    const bodies = new Set(replies.map((r) => r.body));
    expect(bodies.size).toBe(1); // serialised once, the same bytes for every waiter
    const messages = JSON.parse(bodyText(replies[0].body)) as { value?: { id: string }; headers: Record<string, unknown> }[];
    expect(messages.map((m) => m.value?.id ?? m.headers.control)).toEqual([id, "up-to-date"]);
    const head = await currentHead(db);
    for (const reply of replies) {
      expect(reply.headers["electric-offset"]).toBe(`${head}_0`);
      expect(reply.headers["electric-cursor"]).toMatch(/^\d+$/);
      expect(reply.headers["electric-schema"]).toBeUndefined();
      expect("electric-up-to-date" in reply.headers).toBe(true);
    }
    expect(new Set(replies.map((r) => r.headers["electric-handle"]))).toEqual(new Set(clients.map((c) => c.handle)));

    // Kessler's definition had nothing: still held, then answered up-to-date at the moved offset.
    expect(engine.liveStats.waiting).toBe(1);
    otherAborter.abort();
    const idle = await otherHeld;
    expect(idle.status).toBe(200);
    expect(JSON.parse(bodyText(idle.body))).toEqual([{ headers: { control: "up-to-date", global_last_seen_lsn: String(head) } }]);
    expect(idle.headers["electric-offset"]).toBe(`${head}_0`);
  });

  it("parks a request at the head without a read, and still wakes it for the next change", async () => {
    const definition = ordersDefinition(scopeOf([nordhavn.id], null));
    const at = await snapshotOf(definition);
    // First request at this offset: a read vouches for the table; the second one parks on that.
    const aborter = new AbortController();
    const first = live(definition, at, aborter.signal);
    await until("the first request to be held", () => engine.liveStats.waiting === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reads = engine.liveStats.sharedReads;
    const second = live(definition, at);
    await until("the second request to be held", () => engine.liveStats.waiting === 2);
    expect(engine.liveStats.sharedReads).toBe(reads);
    const id = await insertOrder(db, { accountId: nordhavn.id, locationId: null });
    for (const reply of await Promise.all([first, second])) {
      expect(bodyText(reply.body)).toContain(id);
    }
  });

  it("filters in memory exactly as the SQL reader does: moves in and out of scope, projections, deletes, key changes", async () => {
    const schema = await loadTableSchema(db, "sales_orders");
    const definitions = [
      ordersDefinition(scopeOf([kessler.id], null)),
      ordersDefinition(scopeOf([kessler.id], [kessler.locationIds[0]])),
      ordersDefinition(scopeOf([nordhavn.id, kessler.id], null)),
      { ...ordersDefinition(scopeOf([kessler.id], null)), conditions: [{ column: "account_id", values: [] }] },
      { ...ordersDefinition(scopeOf([kessler.id], null)), conditions: [] },
    ];
    const from = await currentHead(db);
    const a = await insertOrder(db, { accountId: kessler.id, locationId: kessler.locationIds[0] });
    const b = await insertOrder(db, { accountId: kessler.id, locationId: kessler.locationIds[1] ?? null });
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE sales_orders SET location_id = $2 WHERE id = $1`, [b, kessler.locationIds[0]]); // moves in (restricted)
      await tx.query(`UPDATE sales_orders SET account_id = $2, location_id = NULL WHERE id = $1`, [a, nordhavn.id]); // moves out / over
      await tx.query(`UPDATE sales_orders SET status = 'shipped', buyer_name = 'a/b "quoted" \\ ü' WHERE id = $1`, [b]);
      await tx.query(`UPDATE sales_orders SET updated_at = updated_at WHERE id = $1`, [b]); // nothing projected changed
    });
    const c = await insertOrder(db, { accountId: kessler.id, locationId: null });
    await db.query(`UPDATE sales_orders SET id = gen_random_uuid() WHERE id = $1`, [c]); // key change
    await db.query(`DELETE FROM sales_orders WHERE id = $1`, [b]);
    await engine.serve(new URLSearchParams({ offset: "-1" }), definitions[0], new AbortController().signal); // stamps the log

    const columns = [...new Set(definitions.flatMap((d) => [...d.columns, ...d.primaryKey]))];
    const shared = await readTableLog(db, schema, { fromPosition: from, columns, conditionColumns: ["account_id", "location_id"], limit: 1_000 });
    if (shared.kind !== "entries") throw new Error("expected entries");
    expect(shared.entries.length).toBeGreaterThanOrEqual(7);
    for (const definition of definitions) {
      const sql = await readChanges(db, definition, schema, from, 1_000);
      if (sql.kind !== "changes") throw new Error("expected changes");
      const memory = messagesFromEntries(definition, await canonicalConditions(db, definition, schema), shared.entries, from);
      expect(memory.map((m) => JSON.parse(m) as unknown)).toEqual(sql.messages.map((m) => JSON.parse(m) as unknown));
    }
  });

  it("compares conditions as the column's type: a boolean condition given as 'f' matches false", async () => {
    const shape = findShape("ticket_messages")!;
    const schema = await loadTableSchema(db, shape.table);
    const definition = requestDefinition(shape, shapeConditions(shape, scopeOf([kessler.id], null)));
    const canonical = await canonicalConditions(db, definition, schema);
    expect(canonical.find((c) => c.column === "is_internal")?.values).toEqual(new Set(["false"]));
  });
});
