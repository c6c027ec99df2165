import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { getBlobStore } from "~/modules/blobs/blob-store.server";
import type { RouteAccess } from "~/modules/access/route-access";
import { contactCan, staffCan, type ContactRole, type StaffRole } from "~/modules/access/permissions";
import { loadBuild, request, signIn } from "./support/portal";

/**
 * Every route of the Remix route manifest × every persona × own / foreign record. Expectations come
 * from each route's declared `handle.access`, so a new route is checked without touching this file;
 * a route without a declaration, or with a URL parameter this file cannot fill, fails the test.
 */

type Persona =
  | { name: string; kind: "anonymous" }
  | { name: string; kind: "contact"; email: string; role: ContactRole }
  | { name: string; kind: "foreign-contact"; email: string; role: ContactRole }
  | { name: string; kind: "staff"; email: string; role: StaffRole };

const PERSONAS: Persona[] = [
  { name: "anonymous", kind: "anonymous" },
  { name: "contact admin", kind: "contact", email: "admin@kessler.example", role: "admin" },
  { name: "contact buyer", kind: "contact", email: "buyer@kessler.example", role: "buyer" },
  { name: "contact finance", kind: "contact", email: "finance@kessler.example", role: "finance" },
  { name: "contact viewer (location-restricted)", kind: "contact", email: "viewer@kessler.example", role: "viewer" },
  { name: "other account's buyer", kind: "foreign-contact", email: "buyer@nordhavn.example", role: "buyer" },
  { name: "staff admin", kind: "staff", email: "admin@brandt-soehne.example", role: "admin" },
  { name: "staff sales", kind: "staff", email: "sales@brandt-soehne.example", role: "sales" },
  { name: "staff support", kind: "staff", email: "support@brandt-soehne.example", role: "support" },
  { name: "staff finance", kind: "staff", email: "finance@brandt-soehne.example", role: "finance" },
];

/** How to fill each URL parameter: a record Kessler's viewer may see ("own") and one of Nordhavn ("foreign"). */
const PARAMS: Record<string, { own: string; foreign: string } | "token"> = {};
const PARAM_TABLES: Record<string, string> = {
  orderId: "sales_orders",
  invoiceId: "invoices",
  shipmentId: "shipments",
  quoteId: "quotes",
  deliveryNoteId: "delivery_notes",
  confirmationId: "order_confirmations",
  returnId: "return_requests",
  ticketId: "support_tickets",
  documentId: "document_files",
  attachmentId: "attachments",
};

interface Case {
  routeId: string;
  url: string;
  method: "GET" | "POST";
  record: "own" | "foreign" | "none";
  access: RouteAccess;
}

let cases: Case[] = [];
const cookies = new Map<string, string>();

beforeAll(async () => {
  const db = await getDb();
  const viewerLocations = `SELECT ml.location_id FROM membership_locations ml JOIN memberships m ON m.id = ml.membership_id
                             JOIN users u ON u.id = m.user_id WHERE u.email = 'viewer@kessler.example'`;
  // The seed has return requests and tickets for a few locations only: add one at the viewer's location and
  // one of account 10004 where missing, so the return and ticket pages are checked own and foreign too.
  const viewerLocation = `(SELECT location_id FROM (${viewerLocations}) v LIMIT 1)`;
  const owners = [
    { account: `(SELECT id FROM accounts WHERE number = '10001')`, location: viewerLocation, tag: "own" },
    { account: `(SELECT id FROM accounts WHERE number = '10004')`, location: "NULL::uuid", tag: "foreign" },
  ];
  for (const { account, location, tag } of owners) {
    await db.query(
      `INSERT INTO return_requests (account_id, location_id, number, reason)
       SELECT ${account}, ${location}, 'RMA-MATRIX-${tag}', 'other'
        WHERE NOT EXISTS (SELECT 1 FROM return_requests WHERE account_id = ${account} AND location_id IS NOT DISTINCT FROM ${location})`,
    );
    await db.query(
      `INSERT INTO support_tickets (account_id, location_id, number, subject)
       SELECT ${account}, ${location}, 'T-MATRIX-${tag}', 'Matrix'
        WHERE NOT EXISTS (SELECT 1 FROM support_tickets WHERE account_id = ${account} AND location_id IS NOT DISTINCT FROM ${location})`,
    );
  }
  // An attachment on a message of each of those tickets (the blob itself in the store, so "own" answers 200).
  const sha256 = await getBlobStore().write(new TextEncoder().encode("matrix attachment\n"));
  const tickets = [
    `SELECT id, account_id, location_id FROM support_tickets WHERE location_id IN (${viewerLocations}) LIMIT 1`,
    `SELECT t.id, t.account_id, t.location_id FROM support_tickets t JOIN accounts a ON a.id = t.account_id WHERE a.number = '10004' LIMIT 1`,
  ];
  for (const ticket of tickets) {
    await db.query(
      `WITH t AS (${ticket}),
            m AS (INSERT INTO ticket_messages (account_id, location_id, ticket_id, body) SELECT account_id, location_id, id, 'Matrix' FROM t RETURNING id, account_id, location_id)
       INSERT INTO attachments (account_id, location_id, ticket_message_id, file_name, media_type, byte_size, blob_sha256)
       SELECT account_id, location_id, id, 'matrix.txt', 'text/plain', 18, $1 FROM m`,
      [sha256],
    );
  }
  for (const [param, table] of Object.entries(PARAM_TABLES)) {
    const own = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE location_id IN (${viewerLocations}) LIMIT 1`);
    const foreign = await db.query<{ id: string }>(
      `SELECT t.id FROM ${table} t JOIN accounts a ON a.id = t.account_id WHERE a.number = '10004' LIMIT 1`,
    );
    if (own.rows[0] && foreign.rows[0]) PARAMS[param] = { own: own.rows[0].id, foreign: foreign.rows[0].id };
  }
  const accounts = await db.query<{ number: string; id: string }>(`SELECT number, id FROM accounts WHERE number IN ('10001','10004')`);
  const byNumber = Object.fromEntries(accounts.rows.map((a) => [a.number, a.id]));
  PARAMS.accountId = { own: byNumber["10001"], foreign: byNumber["10004"] };
  PARAMS.token = "token";
  // The shape gateway's parameter names a shape, not a record: scope is checked on its rows (electric/server tests).
  PARAMS.name = { own: "orders", foreign: "orders" };
  // An e-invoice format, not a record: the record is the :invoiceId beside it (EN 16931 works for every seeded invoice).
  PARAMS.format = { own: "facturx-en16931", foreign: "facturx-en16931" };
  // A queued mail belongs to no account (contacts never see one; every staff member who reads the queue sees all).
  const mail = await db.query<{ id: string }>(
    `INSERT INTO mail_queue (kind, reference, recipient, language, subject, body, status, attempts, last_error)
     VALUES ('ticket.answered', 'T-MATRIX', 'buyer@kessler.example', 'de', 'Matrix', 'Matrix', 'failed', 15, '550 matrix') RETURNING id`,
  );
  PARAMS.mailId = { own: mail.rows[0].id, foreign: mail.rows[0].id };
  // The ERP API's parameter names an entity; API routes answer by API key, not by record.
  PARAMS.entity = { own: "invoices", foreign: "invoices" };

  const build = await loadBuild();
  const routes = Object.values(build.routes);
  const parents = new Set(routes.map((r) => r.parentId));
  const fullPath = (id: string | undefined): string => {
    const route = id ? build.routes[id] : undefined;
    if (!route) return "";
    return [fullPath(route.parentId), route.path ?? ""].filter(Boolean).join("/");
  };
  for (const route of routes) {
    if (route.id === "root") continue;
    const module = route.module as { handle?: { access?: RouteAccess }; loader?: unknown; action?: unknown; default?: unknown };
    const access = module.handle?.access;
    if (!access) throw new Error(`${route.id} has no handle.access: declare who the route is for (app/modules/access/route-access.ts)`);
    if (parents.has(route.id) && !route.index) continue; // layouts are reached through their children
    const template = "/" + fullPath(route.id);
    const paramNames = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]);
    for (const name of paramNames) {
      if (!PARAMS[name]) throw new Error(`${route.id}: no way to fill :${name}; add its table to PARAM_TABLES`);
    }
    const fill = (record: "own" | "foreign") =>
      template.replace(/:(\w+)/g, (_, name: string) => {
        const value = PARAMS[name];
        return value === "token" ? "no-such-token-0000" : value[record];
      });
    const records: Case["record"][] = paramNames.length > 0 ? ["own", "foreign"] : ["none"];
    for (const record of records) {
      const url = record === "none" ? template : fill(record);
      if (module.loader || module.default) cases.push({ routeId: route.id, url, method: "GET", record, access });
      // Signing out would end the persona's session mid-matrix; test/auth.test.ts covers logout.
      if (module.action && route.id !== "routes/logout") cases.push({ routeId: route.id, url, method: "POST", record, access });
    }
  }
  cases = cases.sort((a, b) => a.url.localeCompare(b.url));
  for (const persona of PERSONAS) {
    if (persona.kind !== "anonymous") cookies.set(persona.name, await signIn(persona.email));
  }
});

function expected(persona: Persona, c: Case): { status: number; location?: RegExp } | "any-non-error" {
  const { access } = c;
  if (access.area === "public") return "any-non-error";
  if (access.area === "signed-in") {
    return persona.kind === "anonymous" ? { status: 302, location: /^\/login\?redirectTo=/ } : "any-non-error";
  }
  if (access.area === "api") return { status: 401 }; // a session is no API key: 401 JSON, whoever is signed in
  if (access.area === "sync") {
    if (c.method === "POST") return { status: 405 }; // the gateway offers no subset snapshots by POST
    if (persona.kind === "anonymous") return { status: 401 };
    if (persona.kind === "staff") return { status: 403 };
    return "any-non-error";
  }
  if (persona.kind === "anonymous") return { status: 302, location: /^\/login\?redirectTo=/ };
  if (access.area === "portal") {
    if (persona.kind === "staff") return { status: 302, location: /^\/admin$/ };
    if (c.record === "foreign" && persona.kind === "contact") return { status: 404 };
    if (c.record === "own" && persona.kind === "foreign-contact") return { status: 404 };
    if (access.permission && !contactCan(persona.role, access.permission)) return { status: 404 };
    return c.method === "POST" ? "any-non-error" : { status: 200 };
  }
  // admin area
  if (persona.kind !== "staff") return { status: 404 };
  const permission = c.method === "POST" ? (access.actionPermission ?? access.permission) : access.permission;
  if (permission && !staffCan(persona.role, permission)) return { status: 403 };
  return c.method === "POST" ? "any-non-error" : { status: 200 };
}

describe("authorization matrix", () => {
  it("covers every route of the manifest", () => {
    expect(cases.length).toBeGreaterThan(20);
    const routeIds = new Set(cases.map((c) => c.routeId));
    expect(routeIds).toContain("routes/_portal.orders.$orderId");
    expect(routeIds).toContain("routes/admin.accounts.$accountId");
  });

  for (const persona of PERSONAS) {
    it(`answers ${persona.name} as each route declares`, async () => {
      const failures: string[] = [];
      for (const c of cases) {
        const response = await request(c.url, {
          method: c.method,
          cookie: cookies.get(persona.name),
          form: c.method === "POST" ? {} : undefined,
        });
        const want = expected(persona, c);
        const location = response.headers.get("location") ?? "";
        const label = `${c.method} ${c.url} (${c.routeId}, ${c.record})`;
        const body = await response.text();
        if (response.status >= 500) failures.push(`${label}: ${response.status} ${body.slice(0, 200)}`);
        else if (want !== "any-non-error") {
          if (response.status !== want.status) failures.push(`${label}: got ${response.status}, want ${want.status}`);
          else if (want.location && !want.location.test(location)) failures.push(`${label}: redirected to ${location}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
