import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDb, type Db } from "../../app/db/db.server";
import { migrateDatabase } from "../../app/db/migrate.server";
import { verifyPassword } from "../../app/modules/auth/password.server";
import { isValidGermanVatId, isValidIban, isValidLeitwegId } from "./identifiers";
import { countDocuments, scaleAccount, type ScaleResult } from "./scale";
import { DEMO_LOGINS, DEMO_PASSWORD, isSeeded, seedDemo, type SeedResult } from "./seed";

// Real Postgres (TEST_DATABASE_URL names a server and an admin database); this file creates and
// drops its own databases.
const ADMIN_URL = process.env.TEST_DATABASE_URL;
const AS_OF = "2025-06-15"; // a Sunday: weekend handling of the calendar is exercised too

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const suffix = randomBytes(4).toString("hex");
const names = [`ll_seed_${suffix}_a`, `ll_seed_${suffix}_b`];
let db: Db;
let twin: Db;
let seeded: SeedResult;
let twinSeeded: SeedResult;

async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = [], on: Db = db): Promise<T[]> {
  return (await on.query<T>(sql, params)).rows;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = await rows<{ n: number }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(r[0].n);
}

beforeAll(async () => {
  if (!ADMIN_URL) {
    throw new Error(
      "TEST_DATABASE_URL is not set. Point it at a Postgres server, e.g. " +
        "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run db/",
    );
  }
  for (const name of names) await admin(`CREATE DATABASE ${name}`);
  db = createPostgresDb(databaseUrl(names[0]), { max: 4 });
  twin = createPostgresDb(databaseUrl(names[1]), { max: 4 });
  await Promise.all([migrateDatabase(db), migrateDatabase(twin)]);
  seeded = await seedDemo(db, { asOf: AS_OF });
  twinSeeded = await seedDemo(twin, { asOf: AS_OF });
}, 180_000);

afterAll(async () => {
  await db?.close();
  await twin?.close();
  if (ADMIN_URL) for (const name of names) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}, 60_000);

describe("schema", () => {
  // Every customer-data table carries its own account_id so a shape can filter it without joins.
  const customerTables = [
    "locations", "cost_centers", "sales_orders", "sales_order_lines", "order_milestones", "order_confirmations",
    "shipments", "shipment_lines", "tracking_events", "delivery_notes", "delivery_note_lines", "invoices",
    "invoice_lines", "invoice_allowance_charges", "invoice_tax_breakdown", "payments", "quotes", "quote_lines",
    "quote_decisions", "statements", "document_files", "return_requests", "return_request_lines",
    "support_tickets", "ticket_messages",
  ];

  it("gives every customer-data table a NOT NULL account_id referencing accounts, directly or through its parent", async () => {
    const found = await rows<{ table_name: string; is_nullable: string }>(
      `SELECT table_name, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'account_id' AND table_name = ANY($1)`,
      [customerTables],
    );
    expect(found.map((r) => r.table_name).sort()).toEqual([...customerTables].sort());
    expect(found.every((r) => r.is_nullable === "NO")).toBe(true);
    const fks = await rows<{ table_name: string }>(
      `SELECT DISTINCT c.conrelid::regclass::text AS table_name
         FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = 'accounts'::regclass
          AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = c.conrelid AND attname = 'account_id')]::int2[]`,
    );
    const direct = new Set(fks.map((r) => r.table_name));
    // A child row's (parent_id, account_id) → parent(id, account_id), both NOT NULL, implies the
    // account through the parent's own FK (migration 041 dropped the child's direct one).
    const viaParent = await rows<{ table_name: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS parent
         FROM pg_constraint c
        WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 2
          AND (SELECT attnum FROM pg_attribute WHERE attrelid = c.conrelid AND attname = 'account_id') = ANY(c.conkey)
          AND (SELECT attnum FROM pg_attribute WHERE attrelid = c.confrelid AND attname = 'account_id') = ANY(c.confkey)
          AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) AND NOT a.attnotnull)`,
    );
    for (const t of customerTables) {
      const reaches = direct.has(t) || viaParent.some((r) => r.table_name === t && direct.has(r.parent));
      expect(reaches, `${t}.account_id references accounts`).toBe(true);
    }
  });

  it("gives the children of located documents a location_id", async () => {
    const located = [
      "sales_order_lines", "order_milestones", "order_confirmations", "shipment_lines", "tracking_events",
      "delivery_note_lines", "invoice_lines", "invoice_allowance_charges", "invoice_tax_breakdown", "payments",
      "quote_lines", "quote_decisions", "document_files", "return_request_lines", "ticket_messages",
    ];
    const found = await rows<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'location_id' AND table_name = ANY($1)`,
      [located],
    );
    expect(found.map((r) => r.table_name).sort()).toEqual([...located].sort());
  });

  it("keeps updated_at current on UPDATE", async () => {
    const [r] = await rows<{ created_at: Date; updated_at: Date }>(
      `UPDATE accounts SET phone = phone WHERE number = '10001' RETURNING created_at, updated_at`,
    );
    expect(r.updated_at.getTime()).toBeGreaterThan(r.created_at.getTime());
    const triggers = await rows<{ n: number }>(`SELECT count(*) AS n FROM pg_trigger WHERE tgname LIKE '%\\_set\\_updated\\_at'`);
    expect(Number(triggers[0].n)).toBeGreaterThan(20);
  });

  it("rejects inconsistent money and a child pointing at another account's parent", async () => {
    const [inv] = await rows<{ id: string; account_id: string }>(`SELECT id, account_id FROM invoices WHERE kind = 'invoice' LIMIT 1`);
    await expect(db.query(`UPDATE invoices SET gross_amount = gross_amount + 1 WHERE id = $1`, [inv.id])).rejects.toThrow(/check constraint/);
    const [other] = await rows<{ id: string }>(`SELECT id FROM accounts WHERE id <> $1 LIMIT 1`, [inv.account_id]);
    await expect(
      db.query(
        `INSERT INTO payments (erp_id, account_id, invoice_id, paid_at, amount, currency) VALUES ('x-1', $1, $2, '2025-01-01', 1, 'EUR')`,
        [other.id, inv.id],
      ),
    ).rejects.toThrow(/foreign key/);
    await expect(
      db.query(`INSERT INTO users (email, name, kind, status) VALUES ('Upper@Example.com', 'X', 'contact', 'active')`),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.query(`INSERT INTO users (email, name, kind, status) VALUES ('staff-without-role@example.com', 'X', 'staff', 'active')`),
    ).rejects.toThrow(/check constraint/);
  });
});

describe("seedDemo", () => {
  it("fills every table it is responsible for and says so", async () => {
    expect(await isSeeded(db)).toBe(true);
    expect(seeded.asOf).toBe(AS_OF);
    expect(seeded.counts.accounts).toBeGreaterThanOrEqual(38);
    expect(seeded.counts.accounts).toBeLessThanOrEqual(45);
    for (const [table, n] of Object.entries(seeded.counts)) {
      const [{ c }] = await rows<{ c: number }>(`SELECT count(*) AS c FROM ${table}`);
      expect(Number(c), table).toBe(n);
      expect(n, table).toBeGreaterThan(0);
    }
  });

  it("refuses to seed a database twice", async () => {
    await expect(seedDemo(db, { asOf: AS_OF })).rejects.toThrow(/already/);
  });

  it("is deterministic for the same asOf", async () => {
    const fingerprint = async (on: Db) => {
      const [r] = await rows<{ invoices: string; orders: string; users: string; lines: string }>(
        `SELECT
           (SELECT md5(string_agg(concat_ws('|', id, number, issue_date, gross_amount, amount_due, status), ',' ORDER BY number)) FROM invoices) AS invoices,
           (SELECT md5(string_agg(concat_ws('|', id, number, order_date, status, gross_amount), ',' ORDER BY number)) FROM sales_orders) AS orders,
           (SELECT md5(string_agg(concat_ws('|', id, email, name, status), ',' ORDER BY email)) FROM users) AS users,
           (SELECT md5(string_agg(concat_ws('|', erp_id, quantity, net_amount), ',' ORDER BY erp_id)) FROM invoice_lines) AS lines`,
        [],
        on,
      );
      return r;
    };
    expect(await fingerprint(twin)).toEqual(await fingerprint(db));
    expect(twinSeeded.counts).toEqual(seeded.counts);
  });

  it("signs in every demo login with the demo password", async () => {
    const users = await rows<{ email: string; status: string; password_hash: string; kind: string; staff_role: string | null }>(
      `SELECT email, status, password_hash, kind, staff_role FROM users WHERE email = ANY($1)`,
      [DEMO_LOGINS.map((l) => l.email)],
    );
    expect(users).toHaveLength(DEMO_LOGINS.length);
    expect(users.every((u) => u.status === "active")).toBe(true);
    expect(await verifyPassword(users[0].password_hash, DEMO_PASSWORD)).toBe(true);
    expect(users.filter((u) => u.kind === "staff").map((u) => u.staff_role).sort()).toEqual(["admin", "finance", "sales", "support"]);
  });

  it("sets up the Kessler access cases", async () => {
    const memberships = await rows<{ email: string; number: string; role: string; include_subsidiaries: boolean; locations: string[] }>(
      `SELECT u.email, a.number, m.role, m.include_subsidiaries,
              coalesce((SELECT array_agg(l.code) FROM membership_locations ml JOIN locations l ON l.id = ml.location_id WHERE ml.membership_id = m.id), '{}') AS locations
         FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id
        WHERE u.email LIKE '%@kessler.example' OR u.email = 'buyer@nordhavn.example' ORDER BY u.email, a.number`,
    );
    const by = (email: string) => memberships.filter((m) => m.email === email);
    expect(by("admin@kessler.example")).toEqual([{ email: "admin@kessler.example", number: "10001", role: "admin", include_subsidiaries: true, locations: [] }]);
    expect(by("finance@kessler.example")[0]).toMatchObject({ role: "finance", include_subsidiaries: true });
    expect(by("viewer@kessler.example")[0]).toMatchObject({ role: "viewer", locations: ["LNU"] });
    expect(by("group@kessler.example").map((m) => [m.number, m.role])).toEqual([["10001", "buyer"], ["10003", "finance"]]);
    expect(by("buyer@nordhavn.example").map((m) => m.number)).toEqual(["10004"]);
    const accounts = await rows<{ number: string; name: string; parent: string | null; country_code: string; locations: number }>(
      `SELECT a.number, a.name, p.number AS parent, a.country_code, (SELECT count(*)::int FROM locations l WHERE l.account_id = a.id) AS locations
         FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id WHERE a.number IN ('10001','10002','10003','10004') ORDER BY a.number`,
    );
    expect(accounts).toEqual([
      { number: "10001", name: "Kessler Haustechnik GmbH", parent: null, country_code: "DE", locations: 3 },
      { number: "10002", name: "Kessler Haustechnik Austria GmbH", parent: "10001", country_code: "AT", locations: 2 },
      { number: "10003", name: "Lumière Équipements SARL", parent: null, country_code: "FR", locations: 2 },
      { number: "10004", name: "Nordhavn Marine A/S", parent: null, country_code: "DK", locations: 2 },
    ]);
    const statuses = await rows<{ status: string; n: number }>(
      `SELECT u.status, count(*)::int AS n FROM users u WHERE u.kind = 'contact' GROUP BY 1`,
    );
    expect(statuses.find((s) => s.status === "invited")?.n).toBeGreaterThanOrEqual(1);
    expect(statuses.find((s) => s.status === "disabled")?.n).toBeGreaterThanOrEqual(1);
    expect(await count(`SELECT 1 FROM users WHERE status = 'invited' AND password_hash IS NOT NULL`)).toBe(0);
  });

  it("gives Kessler every document state the demo walks through", async () => {
    const k = `(SELECT id FROM accounts WHERE number = '10001')`;
    const inv = (where: string) => count(`SELECT 1 FROM invoices WHERE account_id = ${k} AND ${where}`);
    expect(await inv(`kind = 'invoice' AND status = 'open' AND due_date < $1`.replace("$1", `'${AS_OF}'`))).toBeGreaterThan(0);
    expect(await inv(`kind = 'invoice' AND status = 'open' AND due_date >= '${AS_OF}'`)).toBeGreaterThan(0);
    expect(await inv(`kind = 'invoice' AND status = 'partially_paid' AND due_date < '${AS_OF}'`)).toBeGreaterThan(0);
    expect(await inv(`kind = 'invoice' AND status = 'partially_paid' AND due_date >= '${AS_OF}'`)).toBeGreaterThan(0);
    expect(await inv(`kind = 'invoice' AND status = 'paid'`)).toBeGreaterThan(5);
    expect(await inv(`kind = 'credit_note' AND type_code = '381' AND preceding_invoice_id IS NOT NULL`)).toBeGreaterThanOrEqual(2);
    expect(await inv(`kind = 'credit_note' AND status = 'open'`)).toBeGreaterThan(0);
    expect(await inv(`EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = invoices.id AND l.vat_rate = 7)`)).toBeGreaterThan(0);
    expect(
      await count(
        `SELECT 1 FROM sales_orders o JOIN sales_order_lines l ON l.sales_order_id = o.id
          WHERE o.account_id = ${k} AND o.status = 'partially_shipped' AND l.quantity_backordered > 0`,
      ),
    ).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM shipments WHERE account_id = ${k} AND status = 'in_transit'`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM quotes WHERE account_id = ${k} AND status = 'accepted' AND sales_order_id IS NOT NULL`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM quotes WHERE account_id = ${k} AND status = 'sent' AND valid_until >= '${AS_OF}'`)).toBeGreaterThan(0);
    for (const status of ["open", "confirmed", "in_production", "partially_shipped", "completed", "cancelled", "on_hold"]) {
      expect(await count(`SELECT 1 FROM sales_orders WHERE account_id = ${k} AND status = $1`, [status]), status).toBeGreaterThan(0);
    }
    // The location-restricted viewer still sees an overdue invoice at their location.
    expect(
      await count(
        `SELECT 1 FROM invoices i JOIN locations l ON l.id = i.location_id
          WHERE i.account_id = ${k} AND l.code = 'LNU' AND i.status IN ('open','partially_paid') AND i.due_date < '${AS_OF}'`,
      ),
    ).toBeGreaterThan(0);
  });

  it("covers other currencies, countries and VAT treatments", async () => {
    const currencies = await rows<{ currency: string }>(`SELECT DISTINCT currency FROM accounts ORDER BY 1`);
    expect(currencies.map((c) => c.currency)).toEqual(["CHF", "EUR", "GBP", "USD"]);
    const countries = await rows<{ c: string }>(`SELECT DISTINCT country_code AS c FROM accounts ORDER BY 1`);
    expect(countries.map((c) => c.c)).toEqual(["AT", "CH", "DE", "DK", "ES", "FR", "GB", "IT", "NL", "PL", "SE", "US"]);
    const categories = await rows<{ country: string; cat: string }>(
      `SELECT DISTINCT a.country_code AS country, b.vat_category AS cat FROM invoice_tax_breakdown b JOIN accounts a ON a.id = b.account_id`,
    );
    for (const { country, cat } of categories) {
      if (country === "DE") expect(cat).toBe("S");
      else if (["CH", "GB", "US"].includes(country)) expect(cat).toBe("G");
      else expect(["K", "AE"]).toContain(cat);
    }
    expect(await count(`SELECT 1 FROM accounts WHERE parent_id IS NOT NULL`)).toBeGreaterThanOrEqual(5);
    const leitweg = await rows<{ buyer_reference: string }>(`SELECT buyer_reference FROM accounts WHERE buyer_reference IS NOT NULL`);
    expect(leitweg.length).toBeGreaterThanOrEqual(2);
    for (const l of leitweg) expect(isValidLeitwegId(l.buyer_reference), l.buyer_reference).toBe(true);
    const deVat = await rows<{ vat_id: string }>(`SELECT vat_id FROM accounts WHERE country_code = 'DE' UNION ALL SELECT vat_id FROM supplier_settings`);
    for (const v of deVat) expect(isValidGermanVatId(v.vat_id), v.vat_id).toBe(true);
    const [supplier] = await rows<{ iban: string; legal_name: string; default_language: string; bic: string; phone: string; email: string; contact_name: string }>(
      `SELECT iban, legal_name, default_language, bic, phone, email, contact_name FROM supplier_settings`,
    );
    expect(isValidIban(supplier.iban)).toBe(true);
    expect(supplier).toMatchObject({ legal_name: "Brandt & Söhne Industrietechnik GmbH", default_language: "de" });
    expect(supplier.bic && supplier.phone && supplier.email && supplier.contact_name).toBeTruthy();
    expect(await count(`SELECT 1 FROM invoices WHERE currency <> 'EUR' AND (tax_currency <> 'EUR' OR tax_amount_in_tax_currency IS NULL)`)).toBe(0);
    expect(await count(`SELECT 1 FROM shipments s JOIN sales_orders o ON o.id = s.sales_order_id GROUP BY o.id HAVING count(*) > 1`)).toBeGreaterThan(0);
    expect(await count(`SELECT DISTINCT carrier FROM shipments`)).toBeGreaterThanOrEqual(5);
  });
});

/**
 * Invariants of any data the generators write (the demo seed and scaleAccount): each query lists the
 * rows that break the rule, so it must return none.
 */
const INVARIANTS: Record<string, string> = {
  "order header net = sum of line nets": `
    SELECT o.id FROM sales_orders o JOIN sales_order_lines l ON l.sales_order_id = o.id
     GROUP BY o.id HAVING sum(l.net_amount) <> min(o.net_amount)`,
  "order tax = per-rate rounded tax of the lines; gross = net + tax": `
    SELECT o.id FROM sales_orders o
      JOIN LATERAL (SELECT sum(round(s * r / 100, 2)) AS tax
                      FROM (SELECT vat_rate AS r, sum(net_amount) AS s FROM sales_order_lines WHERE sales_order_id = o.id GROUP BY vat_rate) g) t ON true
     WHERE t.tax <> o.tax_amount OR o.gross_amount <> o.net_amount + o.tax_amount`,
  "order line net = round(qty × price) − discount": `
    SELECT 1 FROM sales_order_lines
     WHERE net_amount <> round(quantity_ordered * unit_price, 2) - round(round(quantity_ordered * unit_price, 2) * discount_percent / 100, 2)`,
  "order confirmation totals = order totals": `
    SELECT 1 FROM order_confirmations c JOIN sales_orders o ON o.id = c.sales_order_id
     WHERE (c.net_amount, c.tax_amount, c.gross_amount) <> (o.net_amount, o.tax_amount, o.gross_amount)`,
  "quote net = sum of quote lines": `
    SELECT q.id FROM quotes q JOIN quote_lines l ON l.quote_id = q.id GROUP BY q.id HAVING sum(l.net_amount) <> min(q.net_amount)`,
  "invoice line net = round(qty × price / base) − allowance + charge": `
    SELECT 1 FROM invoice_lines
     WHERE net_amount <> round(quantity * unit_price / price_base_quantity, 2) - line_allowance_amount + line_charge_amount`,
  "invoice totals = lines − allowances + charges; gross = net + tax (BR-CO-10…15)": `
    SELECT i.id FROM invoices i
      LEFT JOIN LATERAL (SELECT coalesce(sum(net_amount), 0) AS s FROM invoice_lines WHERE invoice_id = i.id) l ON true
      LEFT JOIN LATERAL (SELECT coalesce(sum(amount) FILTER (WHERE NOT is_charge), 0) AS a, coalesce(sum(amount) FILTER (WHERE is_charge), 0) AS c
                           FROM invoice_allowance_charges WHERE invoice_id = i.id) ac ON true
     WHERE i.line_net_total <> l.s OR i.allowance_total <> ac.a OR i.charge_total <> ac.c
        OR i.net_amount <> i.line_net_total - i.allowance_total + i.charge_total
        OR i.gross_amount <> i.net_amount + i.tax_amount`,
  "VAT breakdown = per category and rate: lines − allowances + charges, tax rounded once": `
    WITH parts AS (
      SELECT invoice_id, vat_category, vat_rate, net_amount AS amount FROM invoice_lines
      UNION ALL
      SELECT invoice_id, vat_category, vat_rate, CASE WHEN is_charge THEN amount ELSE -amount END FROM invoice_allowance_charges
    ), expected AS (
      SELECT invoice_id, vat_category, vat_rate, sum(amount) AS taxable FROM parts GROUP BY 1, 2, 3
    )
    SELECT 1 FROM expected e FULL JOIN invoice_tax_breakdown b USING (invoice_id, vat_category, vat_rate)
     WHERE b.id IS NULL OR e.taxable IS NULL OR b.taxable_amount <> e.taxable
        OR b.tax_amount <> round(b.taxable_amount * b.vat_rate / 100, 2)`,
  "breakdown sums to the invoice's net and tax": `
    SELECT i.id FROM invoices i LEFT JOIN invoice_tax_breakdown b ON b.invoice_id = i.id
     GROUP BY i.id HAVING coalesce(sum(b.tax_amount), -1) <> min(i.tax_amount) OR coalesce(sum(b.taxable_amount), -1) <> min(i.net_amount)`,
  "exempt VAT categories carry a VATEX code": `
    SELECT 1 FROM invoice_tax_breakdown WHERE vat_category <> 'S' AND exemption_reason_code IS NULL`,
  "paid_amount = sum of payments; amount_due = gross − prepaid − paid": `
    SELECT i.id FROM invoices i LEFT JOIN payments p ON p.invoice_id = i.id
     GROUP BY i.id HAVING coalesce(sum(p.amount), 0) <> min(i.paid_amount)
         OR min(i.amount_due) <> min(i.gross_amount) - min(i.prepaid_amount) - min(i.paid_amount)`,
  "invoice status follows amount_due": `
    SELECT 1 FROM invoices WHERE status <> CASE WHEN amount_due <= 0 THEN 'paid' WHEN paid_amount > 0 THEN 'partially_paid' ELSE 'open' END`,
  "payments fall between issue date and as-of, in the invoice currency": `
    SELECT 1 FROM payments p JOIN invoices i ON i.id = p.invoice_id
     WHERE p.paid_at < i.issue_date OR p.paid_at >= '${AS_OF}' OR p.currency <> i.currency`,
  "nothing is issued on or after the as-of day": `
    SELECT 1 FROM invoices WHERE issue_date >= '${AS_OF}'
    UNION ALL SELECT 1 FROM delivery_notes WHERE issue_date >= '${AS_OF}'
    UNION ALL SELECT 1 FROM order_confirmations WHERE issue_date >= '${AS_OF}'
    UNION ALL SELECT 1 FROM sales_orders WHERE order_date >= '${AS_OF}'`,
  "foreign-currency invoices state the VAT in EUR": `
    SELECT 1 FROM invoices WHERE currency <> 'EUR' AND (tax_currency <> 'EUR' OR tax_amount_in_tax_currency IS NULL)`,
  "credit notes correct an earlier invoice of the same account, by at most its amount": `
    SELECT 1 FROM invoices c LEFT JOIN invoices i ON i.id = c.preceding_invoice_id
     WHERE c.kind = 'credit_note' AND (i.id IS NULL OR i.kind <> 'invoice' OR c.gross_amount > i.gross_amount
        OR c.issue_date < i.issue_date OR c.account_id <> i.account_id)`,
  "shipped = sum of shipment lines, invoiced = sum of invoice lines, never more than ordered": `
    SELECT l.id FROM sales_order_lines l
      LEFT JOIN LATERAL (SELECT coalesce(sum(quantity), 0) AS q FROM shipment_lines WHERE sales_order_line_id = l.id) s ON true
      LEFT JOIN LATERAL (SELECT coalesce(sum(il.quantity), 0) AS q FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id
                          WHERE il.sales_order_line_id = l.id AND i.kind = 'invoice') v ON true
     WHERE (l.unit NOT IN ('HUR', 'DAY') AND s.q <> l.quantity_shipped) OR v.q <> l.quantity_invoiced
        OR l.quantity_shipped + l.quantity_backordered + l.quantity_cancelled > l.quantity_ordered`,
  "partially shipped orders have a backorder": `
    SELECT 1 FROM sales_orders o WHERE o.status = 'partially_shipped'
       AND NOT EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.sales_order_id = o.id AND l.quantity_backordered > 0)`,
  "shipped and completed orders shipped everything": `
    SELECT 1 FROM sales_orders o WHERE o.status IN ('shipped', 'completed')
       AND EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.sales_order_id = o.id AND l.quantity_shipped <> l.quantity_ordered)`,
  "orders not yet shipped have no shipments; open orders no confirmation": `
    SELECT 1 FROM sales_orders o WHERE o.status IN ('open', 'confirmed', 'in_production', 'on_hold', 'cancelled')
       AND EXISTS (SELECT 1 FROM shipments s WHERE s.sales_order_id = o.id)
    UNION ALL
    SELECT 1 FROM order_confirmations c JOIN sales_orders o ON o.id = c.sales_order_id WHERE o.status = 'open'`,
  "every delivery note has lines": `
    SELECT 1 FROM delivery_notes d WHERE NOT EXISTS (SELECT 1 FROM delivery_note_lines l WHERE l.delivery_note_id = d.id)`,
  "milestones follow the order status": `
    SELECT 1 FROM sales_orders o WHERE NOT EXISTS (SELECT 1 FROM order_milestones m WHERE m.sales_order_id = o.id AND m.kind = 'received' AND m.occurred_at IS NOT NULL)
    UNION ALL
    SELECT 1 FROM sales_orders o WHERE o.status = 'completed' AND NOT EXISTS (SELECT 1 FROM order_milestones m WHERE m.sales_order_id = o.id AND m.kind = 'delivered' AND m.occurred_at IS NOT NULL)
    UNION ALL
    SELECT 1 FROM sales_orders o WHERE o.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM order_milestones m WHERE m.sales_order_id = o.id AND m.kind = 'cancelled')`,
  "nothing has happened after the as-of moment": `
    SELECT 1 FROM order_milestones WHERE occurred_at >= '${AS_OF}T06:00:00Z'
    UNION ALL SELECT 1 FROM tracking_events WHERE occurred_at >= '${AS_OF}T06:00:00Z'
    UNION ALL SELECT 1 FROM shipments WHERE shipped_at >= '${AS_OF}T06:00:00Z' OR delivered_at >= '${AS_OF}T06:00:00Z'`,
  "a shipment is delivered exactly when it has a delivery time": `
    SELECT 1 FROM shipments WHERE (status = 'delivered') <> (delivered_at IS NOT NULL)`,
  "every document's location belongs to its account": ["sales_orders", "shipments", "delivery_notes", "invoices", "quotes", "order_confirmations", "sales_order_lines", "invoice_lines", "payments"]
    .map((t) => `SELECT 1 FROM ${t} d JOIN locations l ON l.id = d.location_id WHERE l.account_id <> d.account_id`)
    .join(" UNION ALL "),
};

// child table, its reference, the parent: the child's account_id and location_id equal the parent's.
const CHILDREN: [string, string, string][] = [
  ["sales_order_lines", "sales_order_id", "sales_orders"],
  ["order_milestones", "sales_order_id", "sales_orders"],
  ["order_confirmations", "sales_order_id", "sales_orders"],
  ["shipment_lines", "shipment_id", "shipments"],
  ["tracking_events", "shipment_id", "shipments"],
  ["delivery_note_lines", "delivery_note_id", "delivery_notes"],
  ["invoice_lines", "invoice_id", "invoices"],
  ["invoice_allowance_charges", "invoice_id", "invoices"],
  ["invoice_tax_breakdown", "invoice_id", "invoices"],
  ["payments", "invoice_id", "invoices"],
  ["quote_lines", "quote_id", "quotes"],
  ["quote_decisions", "quote_id", "quotes"],
  ["return_request_lines", "return_request_id", "return_requests"],
  ["ticket_messages", "ticket_id", "support_tickets"],
  // Documents that point at their order belong to the order's account and location.
  ["shipments", "sales_order_id", "sales_orders"],
  ["delivery_notes", "sales_order_id", "sales_orders"],
  ["delivery_notes", "shipment_id", "shipments"],
  ["invoices", "sales_order_id", "sales_orders"],
  ["quotes", "sales_order_id", "sales_orders"],
  ["document_files", "sales_order_id", "sales_orders"],
];
for (const [child, fk, parent] of CHILDREN) {
  INVARIANTS[`${child}.account_id/location_id = ${parent}'s (via ${fk})`] = `
    SELECT 1 FROM ${child} c JOIN ${parent} p ON p.id = c.${fk}
     WHERE c.account_id <> p.account_id OR c.location_id IS DISTINCT FROM p.location_id`;
}

describe("seeded data invariants", () => {
  it.each(Object.entries(INVARIANTS))("%s", async (_name, sql) => {
    expect(await count(sql)).toBe(0);
  });

  it("has rows for every parent/child pair it checks", async () => {
    for (const [child, fk] of CHILDREN) expect(await count(`SELECT 1 FROM ${child} WHERE ${fk} IS NOT NULL`), child).toBeGreaterThan(0);
  });

  it("exercises allowances, charges, prepayments, partial deliveries and backorders", async () => {
    expect(await count(`SELECT 1 FROM invoice_allowance_charges WHERE is_charge`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM invoice_allowance_charges WHERE NOT is_charge`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM invoices WHERE prepaid_amount > 0`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM invoice_tax_breakdown GROUP BY invoice_id HAVING count(*) > 1`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM delivery_note_lines WHERE quantity_backordered > 0`)).toBeGreaterThan(0);
    expect(await count(`SELECT 1 FROM shipments s JOIN sales_orders o ON o.id = s.sales_order_id GROUP BY o.id HAVING count(*) > 1`)).toBeGreaterThan(0);
  });
});

describe("scaleAccount", () => {
  let result: ScaleResult;
  beforeAll(async () => {
    result = await scaleAccount(db, { accountNumber: "10004", documents: 2503, asOf: AS_OF });
  }, 120_000);

  it("grows the account to exactly the requested number of documents", async () => {
    expect(result.after).toBe(2503);
    expect(await countDocuments(db, result.accountId)).toBe(2503);
    expect(result.added.sales_orders).toBe(Math.floor((2503 - result.before) / 5) + ((2503 - result.before) % 5));
    const again = await scaleAccount(db, { accountNumber: "10004", documents: 2503, asOf: AS_OF });
    expect(again.after).toBe(2503);
    expect(again.added).toEqual({});
    const more = await scaleAccount(db, { accountNumber: "10004", documents: 2513, asOf: AS_OF });
    expect(more.after).toBe(2513);
  });

  it("keeps every invariant of the seeded data", async () => {
    for (const [name, sql] of Object.entries(INVARIANTS)) expect(await count(sql), name).toBe(0);
  });

  it("refuses an unknown account", async () => {
    await expect(scaleAccount(db, { accountNumber: "99999", documents: 10, asOf: AS_OF })).rejects.toThrow(/no account with number 99999/);
  });
});
