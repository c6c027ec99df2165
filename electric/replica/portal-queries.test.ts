import { createRequestHandler } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { Db } from "~/db/db.server";
import type { Scope } from "~/modules/access/scope.server";
import { listDocuments } from "~/modules/documents/documents.server";
import { getInvoice, listInvoices } from "~/modules/invoices/invoices.server";
import { INVOICE_STATES } from "~/modules/invoices/states";
import { getOrder, listOrderFilterOptions, listOrders } from "~/modules/orders/orders.server";
import { getShipment } from "~/modules/shipments/shipment-detail.server";
import { activitySince, getOverview } from "~/modules/overview/overview.server";
import { getQuote, listQuotes } from "~/modules/quotes/quotes.server";
import { listReturnRequests } from "~/modules/returns/returns.server";
import { listTickets } from "~/modules/support/tickets.server";
import { listShipments } from "~/modules/shipments/shipments.server";
import { loadBuild, signIn } from "../../test/support/portal";
import { startHttpServer, type RunningServer } from "../server/node-http.server";
import { account, contactScope, type AccountFixture } from "../server/testing/fixtures";
import { likePattern, openMemoryDriver, type SqlDriver } from "./driver";
import { centsText, PORTAL_QUERY_SHAPES, timestamp, type PortalQueryMap, type PortalQueryName } from "./portal-queries";
import { runReadQuery } from "./queries";
import { migrateReplica } from "./schema";
import { SyncController } from "./sync";

/**
 * The portal pages' replica queries against the server functions they stand in for. Each contact's
 * replica is filled the way a browser's is: the real SyncController and @electric-sql/client,
 * through the real gateway (session → scope → shape) and the built-in engine, from this file's
 * copy of the seeded database. Then every query must give exactly what the server function gives:
 * the same rows, order, types (Date, number, boolean, null) and formats — compared as the page
 * receives them (structured clone from the worker; single fetch keeps Dates too), and once more
 * after a JSON round trip.
 */

type Handler = (request: Request, context: { clientIp: string }) => Promise<Response>;

let db: Db;
let portal: RunningServer;
let kessler: AccountFixture;
let today: string;

beforeAll(async () => {
  db = await getDb();
  kessler = await account(db, "10001");
  today = (await db.query<{ today: string }>(`SELECT current_date::text AS today`)).rows[0].today;
  // The seed has no returns or tickets: one of each about a delivered order in every location, so
  // every contact's order page has some (before the contacts sync).
  await db.query(
    `WITH picked AS (
       SELECT DISTINCT ON (o.location_id) o.id, o.location_id, o.number FROM sales_orders o
        WHERE o.account_id = $1 AND EXISTS (SELECT 1 FROM delivery_notes d WHERE d.sales_order_id = o.id)
          AND EXISTS (SELECT 1 FROM order_confirmations c WHERE c.sales_order_id = o.id)
        ORDER BY o.location_id, o.number),
     returns AS (
       INSERT INTO return_requests (account_id, location_id, number, sales_order_id, reason, comment)
       SELECT $1, location_id, 'R-PQ-' || number, id, 'damaged', 'portal-queries test' FROM picked)
     INSERT INTO support_tickets (account_id, location_id, number, subject, category, related_entity_type, related_entity_id)
     SELECT $1, location_id, 'T-PQ-' || number, 'About ' || number, 'order', 'sales_order', id FROM picked`,
    [kessler.id],
  );
  const handler = createRequestHandler(await loadBuild(), "production") as unknown as Handler;
  portal = await startHttpServer((request) => handler(request, { clientIp: "127.0.0.1" }));
});

afterAll(async () => {
  await portal?.close();
});

interface Contact {
  scope: Scope;
  driver: SqlDriver;
  seesInvoices: boolean;
  query<N extends PortalQueryName>(name: N, params: PortalQueryMap[N]["params"]): PortalQueryMap[N]["result"];
}

/** Signs in, syncs every shape through the gateway into a fresh in-memory replica, stops. */
async function syncContact(email: string): Promise<Contact> {
  const cookie = await signIn(email);
  const driver = await openMemoryDriver();
  migrateReplica(driver);
  const denied: number[] = [];
  const sync = new SyncController({
    driver,
    baseUrl: `${portal.url}/sync/shapes`,
    accountId: kessler.id,
    mode: "interval",
    intervalMs: 3_600_000,
    fetchClient: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set("cookie", cookie);
      return fetch(input, { ...init, headers });
    },
    onAccessDenied: (status) => denied.push(status),
  });
  await sync.start();
  sync.stop();
  expect(denied).toEqual([]);
  const status = sync.status();
  expect(status.shapes.filter((s) => !s.upToDate || s.error !== null)).toEqual([]);
  const scope = await contactScope(db, email, "10001");
  return {
    scope,
    driver,
    seesInvoices: scope.role !== "viewer",
    // What the page gets: the worker's answer after postMessage's structured clone.
    query: (name, params) => structuredClone(runReadQuery(driver, name, params)),
  };
}

/** Same values, same types, same order; and the same JSON. */
function expectSame(replica: unknown, server: unknown): void {
  expect(replica).toStrictEqual(server);
  expect(JSON.parse(JSON.stringify(replica))).toEqual(JSON.parse(JSON.stringify(server)));
}

const STATES = INVOICE_STATES;
const ORDER_STATUSES = ["open", "confirmed", "in_production", "partially_shipped", "shipped", "completed", "cancelled", "on_hold"];

/** Search texts taken from the data, plus wildcards, case and no match at all. */
function searches(values: (string | null)[]): string[] {
  const present = values.filter((v): v is string => !!v);
  const some = present.slice(0, 3);
  return [
    ...some.map((v) => v.slice(2, -1)),
    ...some.map((v) => v.slice(0, 6).toLowerCase()),
    ...some.map((v) => v.toUpperCase()),
    "%", "_", "2026_", "ü", "ÜF", "nothing-matches-this",
  ];
}

describe.each([
  { email: "buyer@kessler.example", role: "buyer" },
  { email: "viewer@kessler.example", role: "viewer" },
  { email: "admin@kessler.example", role: "admin" },
])("portal queries for $email", ({ email, role }) => {
  let c: Contact;
  beforeAll(async () => {
    c = await syncContact(email);
    expect(c.scope.role).toBe(role);
  }, 120_000);

  it("overview, with aging and what changed since a first visit or a sign-in long ago", async () => {
    const longAgo = { since: new Date(Date.now() - 400 * 86_400_000), firstVisit: false };
    for (const from of [activitySince(null), longAgo]) {
      const server = await getOverview(c.scope, from);
      const params = { today, seesInvoices: c.seesInvoices, since: from.since.toISOString(), firstVisit: from.firstVisit };
      expectSame(c.query("portal.overview", params), server);
      expect(server.recentOrders.length).toBe(8);
      // A year of invoicing by month, the current month last, for the roles that see money.
      if (c.seesInvoices) {
        expect(server.invoicedMonths.map((r) => r.months.length)).toEqual(server.invoicedMonths.map(() => 12));
        expect(server.invoicedMonths[0].months.at(-1)?.month).toBe(today.slice(0, 7));
        expect(server.invoicedMonths.flatMap((r) => r.months).filter((m) => m.count > 0).length).toBeGreaterThan(3);
      } else expect(server.invoicedMonths).toEqual([]);
      if (c.seesInvoices) {
        expect(server.balances.length).toBeGreaterThan(0);
        expect(server.aging.map((a) => a.currency)).toEqual(server.balances.map((b) => b.currency));
        // Open credit notes are counted apart from the open invoices (the seed has one for Kessler).
        const credit = await (await getDb()).query<{ amount: string }>(
          `SELECT coalesce(sum(amount_due), 0)::numeric(14,2)::text AS amount FROM invoices
            WHERE account_id = ANY($1::uuid[]) AND ($2::uuid[] IS NULL OR location_id = ANY($2)) AND kind = 'credit_note'
              AND status IN ('open', 'partially_paid') AND currency = 'EUR'`,
          [c.scope.accountIds, c.scope.locationIds ?? null],
        );
        const eur = server.balances.find((b) => b.currency === "EUR");
        expect(eur?.openCredit).toBe(credit.rows[0].amount);
        if (role === "buyer") expect(Number(eur?.openCredit)).toBeGreaterThan(0);
      } else expect(server.balances).toEqual([]);
      if (from === longAgo) {
        expect(server.activity.items.length).toBe(10);
        // Counted in SQL over everything that changed, not over the ten rows sent.
        const { orders, invoices, shipments } = server.activity.counts;
        const db = await getDb();
        const direct = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM sales_orders WHERE account_id = ANY($1::uuid[]) AND ($2::uuid[] IS NULL OR location_id = ANY($2)) AND updated_at > $3`,
          [c.scope.accountIds, c.scope.locationIds ?? null, longAgo.since],
        );
        expect(orders).toBe(Number(direct.rows[0].n));
        expect(orders + invoices + shipments).toBeGreaterThan(10);
      }
    }
  });

  it("orders: all, each status, searches, limits", async () => {
    const all = await listOrders(c.scope);
    expect(all.length).toBeGreaterThan(0);
    expectSame(c.query("portal.orders", {}), all);
    for (const status of ORDER_STATUSES) expectSame(c.query("portal.orders", { status }), await listOrders(c.scope, { status }));
    for (const q of searches([...all.map((o) => o.number), ...all.map((o) => o.customerReference)])) {
      expectSame(c.query("portal.orders", { q }), await listOrders(c.scope, { q }));
      expectSame(c.query("portal.orders", { q, status: "completed" }), await listOrders(c.scope, { q, status: "completed" }));
    }
    expectSame(c.query("portal.orders", { limit: 5 }), await listOrders(c.scope, { limit: 5 }));
  });

  it("orders: filters by date range, location, cost center and buyer", async () => {
    const all = await listOrders(c.scope);
    const dates = [...new Set(all.map((o) => String(o.orderDate)))].sort();
    const mid = dates[Math.floor(dates.length / 2)];
    const filterSets: Parameters<typeof listOrders>[1][] = [
      { from: mid },
      { to: mid },
      { from: dates[1], to: mid },
      { from: mid, to: mid },
      { from: "2999-01-01" },
      { locationId: "not-a-uuid" },
      { costCenterId: "00000000-0000-4000-8000-000000000000" },
      { buyer: "Nobody at all" },
    ];
    for (const locationId of new Set(all.map((o) => o.locationId))) if (locationId) filterSets.push({ locationId }, { locationId, status: "completed", from: mid });
    for (const costCenterId of new Set(all.map((o) => o.costCenterId))) if (costCenterId) filterSets.push({ costCenterId }, { costCenterId, to: mid });
    for (const buyer of new Set(all.map((o) => o.buyerName))) if (buyer) filterSets.push({ buyer }, { buyer, q: "2" });
    expect(all.some((o) => o.costCenterId), "the seed has orders with a cost center").toBe(true);
    for (const filters of filterSets) {
      const server = await listOrders(c.scope, filters);
      expectSame(c.query("portal.orders", filters as never), server);
    }
    expect((await listOrders(c.scope, { from: mid })).every((o) => String(o.orderDate) >= mid)).toBe(true);
    if (role === "admin") {
      const subsidiary = await account(db, "10002");
      const theirs = await db.query<{ number: string }>(`SELECT number FROM sales_orders WHERE account_id = $1`, [subsidiary.id]);
      expect(theirs.rows.length).toBeGreaterThan(0);
      expect(all.map((o) => o.number)).toEqual(expect.arrayContaining(theirs.rows.map((r) => r.number)));
    }
  });

  it("orders: the filter values cover every location, cost center and buyer, not only the first 500 orders", async () => {
    const server = await listOrderFilterOptions(c.scope);
    expectSame(c.query("portal.order-filters", {}), server);
    const all = await listOrders(c.scope, { limit: 100_000 });
    expect(server.buyers).toEqual(expect.arrayContaining([...new Set(all.map((o) => o.buyerName).filter(Boolean))]));
    expect(server.locations.map((l) => l.id)).toEqual(expect.arrayContaining([...new Set(all.map((o) => o.locationId).filter(Boolean))]));
    expect(server.costCenters.length).toBeGreaterThan(0);
    // A location with no orders at all is still offered: the filter is over what the contact may see.
    const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM locations WHERE account_id = ANY($1::uuid[])`, [c.scope.accountIds]);
    expect(server.locations.length).toBe(c.scope.locationIds ? c.scope.locationIds.length : rows[0].count);
  });

  it("shipment detail: partial deliveries, tracking, foreign ids", async () => {
    const { rows } = await db.query<{ id: string }>(
      `WITH mine AS (SELECT s.* FROM shipments s WHERE s.account_id = ANY($1::uuid[]) AND ($2::uuid[] IS NULL OR s.location_id = ANY($2::uuid[])))
       (SELECT s.id FROM mine s WHERE (SELECT count(*) FROM mine x WHERE x.sales_order_id = s.sales_order_id) > 1 ORDER BY s.number LIMIT 3)
       UNION (SELECT s.id FROM mine s ORDER BY (SELECT count(*) FROM tracking_events t WHERE t.shipment_id = s.id) DESC, s.number LIMIT 3)
       UNION (SELECT s.id FROM mine s ORDER BY s.shipped_at DESC NULLS FIRST, s.number LIMIT 3)`,
      [c.scope.accountIds, c.scope.locationIds],
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    let partial = 0;
    for (const { id } of rows) {
      const server = await getShipment(c.scope, id);
      expect(server).not.toBeNull();
      expectSame(c.query("portal.shipment", { id }), server);
      if (server?.partOfOrder) partial += 1;
    }
    // As many as Postgres says belong to an order with several shipments. The seed's dates move with
    // the day, so a location-restricted contact may have none on some days; the whole account always has.
    const split = await db.query<{ n: number }>(
      `SELECT count(*) AS n FROM shipments s WHERE s.id = ANY($1::uuid[]) AND (SELECT count(*) FROM shipments x WHERE x.sales_order_id = s.sales_order_id) > 1`,
      [rows.map((r) => r.id)],
    );
    expect(partial).toBe(Number(split.rows[0].n));
    if (c.scope.locationIds === null) expect(partial).toBeGreaterThan(0);
    const foreign = await db.query<{ id: string }>(`SELECT s.id FROM shipments s JOIN accounts a ON a.id = s.account_id WHERE a.number = '10004' LIMIT 1`);
    for (const id of [foreign.rows[0].id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      expect(await getShipment(c.scope, id)).toBeNull();
      expect(c.query("portal.shipment", { id })).toBeNull();
    }
  });

  it("order detail, for orders with the most children and for ids the replica does not hold", async () => {
    const { rows } = await db.query<{ id: string }>(
      `SELECT o.id FROM sales_orders o
        WHERE o.account_id = ANY($1::uuid[]) AND ($2::uuid[] IS NULL OR o.location_id = ANY($2::uuid[]))
        ORDER BY (SELECT count(*) FROM return_requests r WHERE r.sales_order_id = o.id) DESC,
                 (SELECT count(*) FROM shipments s WHERE s.sales_order_id = o.id) + (SELECT count(*) FROM invoices i WHERE i.sales_order_id = o.id)
               + (SELECT count(*) FROM order_milestones m WHERE m.sales_order_id = o.id) DESC, o.number LIMIT 6`,
      [c.scope.accountIds, c.scope.locationIds],
    );
    expect(rows.length).toBe(6);
    const details = [];
    for (const { id } of rows) {
      const server = await getOrder(c.scope, id);
      expect(server).not.toBeNull();
      expectSame(c.query("portal.order", { id, seesInvoices: c.seesInvoices }), server);
      details.push(server!);
    }
    // The first has the fixture's return and ticket, and its confirmation and delivery note.
    const [first] = details;
    expect(first.returns.map((r) => r.number)).toEqual([`R-PQ-${first.number}`]);
    expect(first.tickets.map((t) => t.number)).toEqual([`T-PQ-${first.number}`]);
    expect(first.documents.map((d) => d.type)).toEqual(expect.arrayContaining(["order_confirmation", "delivery_note"]));
    expect(details.flatMap((d) => d.documents).every((d) => d.type !== "invoice" && d.type !== "credit_note")).toBe(true);
    const foreign = await db.query<{ id: string }>(
      `SELECT o.id FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10004' LIMIT 1`,
    );
    for (const id of [foreign.rows[0].id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      expect(await getOrder(c.scope, id)).toBeNull();
      expect(c.query("portal.order", { id, seesInvoices: c.seesInvoices })).toBeNull();
    }
  });

  it("invoices: all, each state, searches", async () => {
    const all = await listInvoices(c.scope);
    if (c.seesInvoices) expect(all.length).toBeGreaterThan(0);
    else expect(all).toEqual([]);
    expectSame(c.query("portal.invoices", { today }), all);
    for (const state of STATES) {
      const server = await listInvoices(c.scope, { state });
      if (c.seesInvoices) expect(server.length, state).toBeGreaterThan(0);
      expectSame(c.query("portal.invoices", { state, today }), server);
    }
    for (const q of searches([...all.map((i) => i.number), ...all.map((i) => i.orderNumber)])) {
      expectSame(c.query("portal.invoices", { q, today }), await listInvoices(c.scope, { q }));
      expectSame(c.query("portal.invoices", { q, state: "paid", today }), await listInvoices(c.scope, { q, state: "paid" }));
    }
    // An open credit note has no due date: "overdue" is NULL on the server, and must be here too.
    if (c.seesInvoices) expect(all.some((i) => i.overdue === null)).toBe(true);
    // The list links the order number to the order: each numbered row carries its own order's id.
    const linked = all.filter((i) => i.orderNumber !== null);
    if (c.seesInvoices) expect(linked.length).toBeGreaterThan(0);
    const orders = await db.query<{ id: string; orderId: string }>(`SELECT id, sales_order_id AS "orderId" FROM invoices WHERE id = ANY($1::uuid[])`, [linked.map((i) => i.id)]);
    const orderOf = new Map(orders.rows.map((r) => [r.id, r.orderId]));
    for (const i of linked) expect(i.orderId, i.number).toBe(orderOf.get(i.id));
  });

  it("invoice detail: credit notes, payments, tax rates in a tie, foreign ids", async () => {
    const { rows } = await db.query<{ id: string }>(
      `(SELECT i.id FROM invoices i WHERE i.account_id = ANY($1::uuid[]) AND i.preceding_invoice_id IS NOT NULL ORDER BY i.number LIMIT 2)
       UNION (SELECT i.id FROM invoices i WHERE i.account_id = ANY($1::uuid[]) AND i.status = 'partially_paid' ORDER BY i.number LIMIT 2)
       UNION (SELECT t.invoice_id FROM invoice_tax_breakdown t WHERE t.account_id = ANY($1::uuid[])
               GROUP BY t.invoice_id, t.vat_rate HAVING count(*) > 1 ORDER BY t.invoice_id LIMIT 2)
       UNION (SELECT i.id FROM invoices i WHERE i.account_id = ANY($1::uuid[]) ORDER BY i.issue_date DESC, i.number LIMIT 3)`,
      [c.scope.accountIds],
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    let compared = 0;
    for (const { id } of rows) {
      const server = await getInvoice(c.scope, id);
      if (c.seesInvoices) expect(server).not.toBeNull();
      expectSame(c.query("portal.invoice", { id, today }), server);
      if (server) compared += 1;
    }
    expect(compared).toBe(c.seesInvoices ? rows.length : 0);
    const foreign = await db.query<{ id: string }>(`SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10004' LIMIT 1`);
    expect(await getInvoice(c.scope, foreign.rows[0].id)).toBeNull();
    expect(c.query("portal.invoice", { id: foreign.rows[0].id, today })).toBeNull();
  });

  it("shipments, documents and quotes, with searches", async () => {
    const shipments = await listShipments(c.scope);
    expect(shipments.length).toBeGreaterThan(0);
    expect(shipments.some((s) => s.shippedAt instanceof Date)).toBe(true);
    expectSame(c.query("portal.shipments", {}), shipments);
    for (const q of searches([...shipments.map((s) => s.number), ...shipments.map((s) => s.trackingNumber), ...shipments.map((s) => s.orderNumber)])) {
      expectSame(c.query("portal.shipments", { q }), await listShipments(c.scope, { q }));
    }

    const documents = await listDocuments(c.scope);
    expect(new Set(documents.map((d) => d.type)).size).toBeGreaterThanOrEqual(c.seesInvoices ? 5 : 3);
    expectSame(c.query("portal.documents", { seesInvoices: c.seesInvoices }), documents);
    for (const q of searches([...documents.map((d) => d.number), ...documents.map((d) => d.orderNumber)])) {
      expectSame(c.query("portal.documents", { q, seesInvoices: c.seesInvoices }), await listDocuments(c.scope, { q }));
    }
    expectSame(c.query("portal.documents", { limit: 7, seesInvoices: c.seesInvoices }), await listDocuments(c.scope, { limit: 7 }));

    const quotes = await listQuotes(c.scope);
    expect(quotes.length).toBeGreaterThan(0);
    expectSame(c.query("portal.quotes", {}), quotes);
    for (const q of searches([...quotes.map((x) => x.number), ...quotes.map((x) => x.customerReference)])) {
      expectSame(c.query("portal.quotes", { q }), await listQuotes(c.scope, { q }));
    }
    const details = [];
    for (const { id } of quotes) {
      const server = await getQuote(c.scope, id);
      expect(server).not.toBeNull();
      expectSame(c.query("portal.quote", { id }), server);
      details.push(server!);
    }
    expect(details.every((q) => q.lines.length > 0)).toBe(true);
    // The seed's accepted quote and its order (at the head office, outside the restricted viewer's location).
    if (!c.scope.locationIds) expect(details.some((q) => q.orderId !== null && q.decidedAt instanceof Date)).toBe(true);
    const foreign = await db.query<{ id: string }>(`SELECT q.id FROM quotes q JOIN accounts a ON a.id = q.account_id WHERE a.number = '10004' LIMIT 1`);
    for (const id of [foreign.rows[0].id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      expect(await getQuote(c.scope, id)).toBeNull();
      expect(c.query("portal.quote", { id })).toBeNull();
    }
  });

  it("returns and tickets", async () => {
    const returns = await listReturnRequests(c.scope);
    const tickets = await listTickets(c.scope);
    if (role !== "viewer") expect(returns.length + tickets.length).toBeGreaterThan(0);
    expectSame(c.query("portal.returns", {}), returns);
    expectSame(c.query("portal.tickets", {}), tickets);
  });

  it("reads only the shapes its page waits for", () => {
    // A query on tables outside PORTAL_QUERY_SHAPES would answer from a shape still syncing.
    const tables = new Map([
      ["orders", "sales_orders"], ["order_lines", "sales_order_lines"], ["order_milestones", "order_milestones"], ["locations", "locations"],
      ["shipments", "shipments"], ["invoices", "invoices"], ["invoice_lines", "invoice_lines"], ["invoice_tax_breakdown", "invoice_tax_breakdown"],
      ["payments", "payments"], ["delivery_notes", "delivery_notes"], ["order_confirmations", "order_confirmations"], ["quotes", "quotes"],
      ["document_files", "document_files"], ["cost_centers", "cost_centers"], ["shipment_lines", "shipment_lines"], ["tracking_events", "tracking_events"],
      ["return_requests", "return_requests"], ["support_tickets", "support_tickets"], ["quote_lines", "quote_lines"],
    ]);
    // Real ids, so the detail queries go on to read the children.
    const orderId = String(c.driver.selectValue(`SELECT sales_order_id FROM shipments WHERE sales_order_id IS NOT NULL LIMIT 1`));
    const invoiceId = String(c.driver.selectValue(`SELECT invoice_id FROM payments LIMIT 1`) ?? "none");
    const shipmentId = String(c.driver.selectValue(`SELECT shipment_id FROM tracking_events LIMIT 1`));
    const quoteId = String(c.driver.selectValue(`SELECT quote_id FROM quote_lines LIMIT 1`));
    const params: { [N in PortalQueryName]: PortalQueryMap[N]["params"] } = {
      "portal.overview": { today, seesInvoices: true, since: new Date(0).toISOString(), firstVisit: false }, "portal.orders": { q: "x" }, "portal.order": { id: orderId, seesInvoices: true },
      "portal.order-filters": {}, "portal.shipment": { id: shipmentId },
      "portal.invoices": { q: "x", today }, "portal.invoice": { id: invoiceId, today }, "portal.shipments": { q: "x" },
      "portal.documents": { q: "x", seesInvoices: true }, "portal.quotes": { q: "x" }, "portal.quote": { id: quoteId }, "portal.returns": {}, "portal.tickets": {},
    };
    for (const [name, shapes] of Object.entries(PORTAL_QUERY_SHAPES) as [PortalQueryName, readonly string[]][]) {
      const hidden = [...tables].filter(([shape]) => !shapes.includes(shape)).map(([, table]) => table);
      c.driver.transaction(() => {
        for (const table of hidden) c.driver.exec(`ALTER TABLE "${table}" RENAME TO "${table}_hidden"`);
        try {
          expect(() => runReadQuery(c.driver, name, params[name] as never), name).not.toThrow();
        } finally {
          for (const table of hidden) c.driver.exec(`ALTER TABLE "${table}_hidden" RENAME TO "${table}"`);
        }
      });
    }
  });
});

describe("value conversions the seed does not reach", () => {
  it("prints cents like numeric(14,2), reads timestamps like the server's parser, matches like ILIKE", async () => {
    expect([-50, -12345, 0, 7, 123456789].map(centsText)).toEqual(["-0.50", "-123.45", "0.00", "0.07", "1234567.89"]);
    for (const text of ["2026-01-01 10:00:00+00", "2026-01-01 10:00:00.123456+00", "2026-01-01 10:00:00.5+05:30", "2026-03-29 01:59:59.999-03"]) {
      expect(timestamp(text)).toEqual(new Date(text)); // what `new Date(text)` gives in V8, portable
    }
    const { rows } = await db.query<{ matches: boolean[] }>(
      `SELECT ARRAY['50% off' ILIKE '%0\\%%', '5_0' ILIKE '5\\_0', '550' ILIKE '5\\_0', 'Straße' ILIKE '%STRASSE%', 'ÄRGER' ILIKE 'ä%', 'a.b' ILIKE 'a.b', 'axb' ILIKE 'a.b']
              AS matches`,
    );
    const ours = [["50% off", "%0\\%%"], ["5_0", "5\\_0"], ["550", "5\\_0"], ["Straße", "%STRASSE%"], ["ÄRGER", "ä%"], ["a.b", "a.b"], ["axb", "a.b"]].map(
      ([value, pattern]) => likePattern(pattern).test(value.toLowerCase()),
    );
    expect(ours).toEqual(rows[0].matches);
  });
});
