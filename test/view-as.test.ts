import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import type { RouteAccess } from "~/modules/access/route-access";
import { buildScope } from "~/modules/access/scope.server";
import { firstCustomerViews, listDownloadHistory, listRecentlyOpened } from "~/modules/documents/access-log.server";
import { loadBuild, request, signIn } from "./support/portal";

/**
 * Staff view the portal as a contact, read-only and audited (decision 035), through the production
 * build against real Postgres.
 */

let kessler: string;
let nordhavn: string;
const ids: Record<string, string> = {};

async function idOf(email: string): Promise<string> {
  const { rows } = await (await getDb()).query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email]);
  return rows[0].id;
}

async function auditRows(action: string, since: Date) {
  const { rows } = await (await getDb()).query<{ actor: string; impersonator: string | null; accountId: string | null; details: Record<string, unknown> }>(
    `SELECT actor_user_id AS actor, impersonator_user_id AS impersonator, account_id AS "accountId", details
       FROM audit_events WHERE action = $1 AND at >= $2 ORDER BY id`,
    [action, since],
  );
  return rows;
}

/** Signs staff in and starts viewing as `contactEmail` in Kessler; returns the staff session's cookie. */
async function viewAs(staffEmail: string, contactEmail: string, reason = ""): Promise<string> {
  const cookie = await signIn(staffEmail);
  const started = await request(`/admin/accounts/${kessler}/view-as`, { cookie, form: { contactId: ids[contactEmail], reason } });
  expect(started.status).toBe(302);
  expect(started.headers.get("location")).toBe("/overview");
  return cookie;
}

/** The URL of a route of the manifest, its parameters filled from `params`. */
function urlOf(build: ServerBuild, routeId: string, params: Record<string, string>): string {
  const fullPath = (id: string | undefined): string => {
    const route = id ? build.routes[id] : undefined;
    if (!route) return "";
    return [fullPath(route.parentId), route.path ?? ""].filter(Boolean).join("/");
  };
  return "/" + fullPath(routeId).replace(/:(\w+)/g, (_, name: string) => params[name] ?? "x");
}

/**
 * Kessler's own records for every URL parameter a portal route has; those with a form that writes
 * are picked where it shows (an open quote, an open ticket, a return that can still be cancelled).
 */
async function kesslerParams(): Promise<Record<string, string>> {
  const db = await getDb();
  const own = async (table: string, where = "true") =>
    (await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 AND ${where} ORDER BY id LIMIT 1`, [kessler])).rows[0]?.id ??
    (await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE account_id = $1 LIMIT 1`, [kessler])).rows[0]?.id ??
    "00000000-0000-4000-8000-000000000000";
  return {
    orderId: await own("sales_orders", "EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.sales_order_id = sales_orders.id AND l.quantity_shipped > 0)"),
    invoiceId: await own("invoices"),
    shipmentId: await own("shipments"),
    quoteId: await own("quotes", "status = 'sent' AND (valid_until IS NULL OR valid_until >= current_date)"),
    deliveryNoteId: await own("delivery_notes"),
    confirmationId: await own("order_confirmations"),
    returnId: await own("return_requests", "status = 'submitted'"),
    ticketId: await own("support_tickets", "status NOT IN ('closed', 'resolved')"),
    attachmentId: await own("attachments"),
    format: "facturx-en16931",
  };
}

beforeAll(async () => {
  const db = await getDb();
  const accounts = await db.query<{ number: string; id: string }>(`SELECT number, id FROM accounts WHERE number IN ('10001', '10004')`);
  kessler = accounts.rows.find((a) => a.number === "10001")!.id;
  nordhavn = accounts.rows.find((a) => a.number === "10004")!.id;
  for (const email of ["buyer@kessler.example", "viewer@kessler.example", "admin@kessler.example", "buyer@nordhavn.example", "admin@brandt-soehne.example"]) {
    ids[email] = await idOf(email);
  }
});

describe("view as a contact", () => {
  it("starts from the admin account page, audits who, whom and why, and shows the contact's portal with a banner", async () => {
    const since = new Date();
    const db = await getDb();
    const before = await db.query(`SELECT last_login_at, previous_login_at FROM users WHERE email = 'buyer@kessler.example'`);
    const staff = await signIn("support@brandt-soehne.example");
    const page = await request(`/admin/accounts/${kessler}`, { cookie: staff });
    expect(await page.text()).toContain(`action="/admin/accounts/${kessler}/view-as"`);

    const started = await request(`/admin/accounts/${kessler}/view-as`, { cookie: staff, form: { contactId: ids["buyer@kessler.example"], reason: "Ticket T-1: cannot find invoice" } });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toBe("/overview");
    const audit = await auditRows("impersonation.started", since);
    expect(audit).toEqual([
      {
        actor: await idOf("support@brandt-soehne.example"),
        impersonator: null,
        accountId: kessler,
        details: { contactId: ids["buyer@kessler.example"], contactEmail: "buyer@kessler.example", accountId: kessler, reason: "Ticket T-1: cannot find invoice" },
      },
    ]);

    for (const path of ["/overview", "/orders", "/quotes", "/support"]) {
      const response = await request(path, { cookie: staff });
      expect(response.status, path).toBe(200);
      const html = await response.text();
      expect(html, path).toContain('data-testid="view-as-banner"');
      expect(html, path).toMatch(/Viewing as <strong>[^<]+<\/strong> \(<!-- -->buyer@kessler.example<!-- -->\), <!-- -->Kessler/);
      expect(html, path).toContain('action="/view-as/exit"');
    }
    // The contact's own sign-in state ("new since your last visit") is untouched.
    const after = await db.query(`SELECT last_login_at, previous_login_at FROM users WHERE email = 'buyer@kessler.example'`);
    expect(after.rows).toEqual(before.rows);
    // One identity at a time: the admin area waits until Exit.
    const admin = await request("/admin", { cookie: staff });
    expect(admin.status).toBe(302);
    expect(admin.headers.get("location")).toBe("/overview");
  });

  it("refuses contacts (404), finance staff (403), another account's contact, staff users and inactive contacts (404), bad input by field (400)", async () => {
    const path = `/admin/accounts/${kessler}/view-as`;
    const form = { contactId: ids["buyer@kessler.example"] };
    expect((await request(path, { cookie: await signIn("admin@kessler.example"), form })).status).toBe(404);
    expect((await request(path, { cookie: await signIn("buyer@nordhavn.example"), form })).status).toBe(404);
    expect((await request(path, { cookie: await signIn("finance@brandt-soehne.example"), form })).status).toBe(403);

    const sales = await signIn("sales@brandt-soehne.example");
    const since = new Date();
    expect((await request(path, { cookie: sales, form: { contactId: ids["buyer@nordhavn.example"] } })).status).toBe(404);
    expect((await request(`/admin/accounts/${nordhavn}/view-as`, { cookie: sales, form })).status).toBe(404);
    expect((await request(path, { cookie: sales, form: { contactId: ids["admin@brandt-soehne.example"] } })).status).toBe(404);
    const db = await getDb();
    const invited = await db.query<{ id: string }>(
      `SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.account_id = $1 AND u.status <> 'active' LIMIT 1`,
      [kessler],
    );
    if (invited.rows[0]) expect((await request(path, { cookie: sales, form: { contactId: invited.rows[0].id } })).status).toBe(404);

    const bad = await request(path, { cookie: sales, form: { contactId: "nope", reason: "x".repeat(301) } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      fieldErrors: { contactId: "must be a contact of this account", reason: "must be at most 300 characters" },
      values: { contactId: "nope" },
    });
    expect(await auditRows("impersonation.started", since)).toEqual([]);
    // Nothing started: the admin area is still the admin area.
    expect((await request("/admin", { cookie: sales })).status).toBe(200);
  });

  it("is read-only: every portal and signed-in action of the route manifest answers 403 and changes nothing, but for actions that declare they only read", async () => {
    const db = await getDb();
    const staff = await viewAs("admin@brandt-soehne.example", "admin@kessler.example");
    const build = await loadBuild();
    const params = await kesslerParams();
    const tables = ["quote_decisions", "return_requests", "support_tickets", "ticket_messages", "memberships", "invitations", "user_preferences", "contact_einvoice_preferences", "attachments"];
    const counts = async () => {
      const result: Record<string, number> = {};
      for (const table of tables) {
        const exists = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = $1`, [table]);
        if (exists.rowCount) result[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
      }
      const users = await db.query(`SELECT id, status, password_hash, language, last_login_at, previous_login_at, updated_at FROM users ORDER BY id`);
      const quotes = await db.query(`SELECT id, status FROM quotes ORDER BY id`);
      const sessions = await db.query(`SELECT id, active_account_id FROM sessions ORDER BY id`);
      return { result, users: users.rows, quotes: quotes.rows, sessions: sessions.rows };
    };
    const before = await counts();
    const posted: string[] = [];
    const allowed: string[] = [];
    const failures: string[] = [];
    for (const route of Object.values(build.routes)) {
      const module = route.module as { handle?: { access?: RouteAccess }; action?: unknown };
      const access = module.handle?.access;
      if (!module.action || (access?.area !== "portal" && access?.area !== "signed-in")) continue;
      if (route.id === "routes/view-as.exit") continue; // ends the view: tested below
      const url = urlOf(build, route.id, params);
      // The fields a real form would send, so a route cannot pass by refusing empty input.
      const form = { intent: "accept", decision: "accept", subject: "Read-only?", body: "Should not land", accountId: kessler, currentPassword: "ledgerlight-demo", newPassword: "another-long-password-1", confirmPassword: "another-long-password-1", name: "X Y", email: "x@kessler.example", role: "buyer" };
      const response = await request(url, { cookie: staff, form });
      const text = await response.text();
      const refused = response.status === 403 && text.includes("Read-only while viewing as");
      // A route that declares its action only reads (decision 038) must answer it, whatever it answers
      // to these fields (the ZIP download: 400, no documents selected); every other one is refused.
      if (access.area === "portal" && access.actionReadsOnly) {
        allowed.push(url);
        if (refused || response.headers.get("X-Ledgerlight-Read-Only")) failures.push(`POST ${url} (${route.id}) declares it only reads, but was refused`);
        continue;
      }
      posted.push(url);
      if (!refused) failures.push(`POST ${url} (${route.id}): ${response.status} ${text.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
    expect(posted).toEqual(expect.arrayContaining(["/preferences", "/account/switch", "/settings", "/team", "/support/new", "/quotes", `/quotes/${params.quoteId}`, `/orders/${params.orderId}/return`]));
    expect(posted.length + allowed.length).toBeGreaterThan(10);
    expect(allowed).toEqual(["/documents/download"]);
    expect(await counts()).toEqual(before);
  });

  it("renders every portal form that writes disabled, with the read-only note, and the contact's own enabled", async () => {
    const staff = await viewAs("admin@brandt-soehne.example", "admin@kessler.example");
    const contact = await signIn("admin@kessler.example");
    const build = await loadBuild();
    const params = await kesslerParams();
    // Forms that stay usable while viewing as: Exit, sign-out (ends the view too), the ZIP download (only reads).
    const usable = new Set(["/view-as/exit", "/logout", "/documents/download"]);
    /** Each POST form of the page: its action and whether a disabled fieldset holds all it has. */
    const postForms = (html: string) =>
      [...html.matchAll(/<form\b[^>]*>/g)]
        .filter((m) => /method="post"/i.test(m[0]))
        .map((m) => ({ action: /action="([^"]*)"/.exec(m[0])?.[1] ?? "", disabled: html.slice(m.index + m[0].length).startsWith('<fieldset disabled=""') }))
        .filter((f) => !usable.has(f.action));
    const disabledOn: string[] = [];
    const failures: string[] = [];
    for (const route of Object.values(build.routes)) {
      const module = route.module as { handle?: { access?: RouteAccess }; default?: unknown };
      if (!module.default || module.handle?.access?.area !== "portal") continue;
      const url = urlOf(build, route.id, params);
      const response = await request(url, { cookie: staff });
      if (response.status !== 200 || !response.headers.get("content-type")?.includes("text/html")) continue;
      const html = await response.text();
      for (const form of postForms(html)) {
        if (!form.disabled) failures.push(`${url}: the form posting to ${form.action || "itself"} is not disabled`);
        else disabledOn.push(url);
      }
      if (postForms(html).length > 0 && !html.includes(`data-testid="read-only-note"`) && !html.includes(`title="Read-only while viewing as`)) failures.push(`${url}: no read-only note`);
    }
    expect(failures).toEqual([]);
    expect([...new Set(disabledOn)]).toEqual(
      expect.arrayContaining(["/support/new", "/settings", "/team", `/quotes/${params.quoteId}`, `/support/${params.ticketId}`, `/orders/${params.orderId}/return`]),
    );
    const note = await (await request("/support/new", { cookie: staff })).text();
    expect(note).toMatch(/<p class="read-only-note" data-testid="read-only-note">Read-only while viewing as [^<]+<\/p>/);
    // The contact's own session: the same forms, enabled, no note.
    for (const url of ["/support/new", "/settings", "/team", `/quotes/${params.quoteId}`]) {
      const html = await (await request(url, { cookie: contact })).text();
      const forms = postForms(html);
      expect(forms.length, url).toBeGreaterThan(0);
      expect(forms.filter((f) => f.disabled), url).toEqual([]);
      expect(html, url).not.toContain("Read-only while viewing as");
    }
  });

  it("sees exactly the contact's scope, in pages and in the sync gateway (location restriction and role apply)", async () => {
    const viewer = await signIn("viewer@kessler.example");
    const staff = await viewAs("sales@brandt-soehne.example", "viewer@kessler.example");
    const rowIds = async (shape: string, cookie: string) => {
      const response = await request(`/sync/shapes/${shape}?offset=-1`, { cookie });
      expect(response.status).toBe(200);
      return ((await response.json()) as { value?: { id: string } }[]).filter((m) => m.value).map((m) => m.value!.id).sort();
    };
    const own = await rowIds("orders", viewer);
    expect(own.length).toBeGreaterThan(0);
    expect(await rowIds("orders", staff)).toEqual(own);
    expect(await rowIds("shipments", staff)).toEqual(await rowIds("shipments", viewer));
    expect(await rowIds("invoices", staff)).toEqual([]); // viewers do not see money
    // The viewer may not open invoices: neither may staff viewing as them.
    expect((await request("/invoices", { cookie: staff })).status).toBe(404);
    // Another account's shape is not theirs.
    expect((await request(`/sync/shapes/orders?offset=-1&account=${nordhavn}`, { cookie: staff })).status).toBe(404);
  });

  it("audits document views as the contact's with the staff member as impersonator, outside the contact's own history", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; number: string }>(`SELECT id, number FROM invoices WHERE account_id = $1 ORDER BY issue_date DESC LIMIT 1`, [kessler]);
    const invoice = rows[0];
    const staffId = await idOf("support@brandt-soehne.example");
    await db.query(`DELETE FROM audit_events WHERE entity_id = $1`, [invoice.id]);
    const since = new Date();
    const staff = await viewAs("support@brandt-soehne.example", "buyer@kessler.example");
    const pdf = await request(`/invoices/${invoice.id}/pdf`, { cookie: staff });
    expect(pdf.status).toBe(200);
    const einvoice = await request(`/invoices/${invoice.id}/einvoice/facturx-en16931`, { cookie: staff });
    expect(einvoice.status).toBe(200);
    const views = await auditRows("document.view", since);
    expect(views).toEqual([expect.objectContaining({ actor: ids["buyer@kessler.example"], impersonator: staffId, accountId: kessler })]);
    expect(await auditRows("document.download", since)).toEqual([expect.objectContaining({ actor: ids["buyer@kessler.example"], impersonator: staffId })]);
    // The contact's remembered e-invoice format stays theirs.
    const remembered = await db.query(`SELECT 1 FROM contact_einvoice_preferences WHERE user_id = $1 AND updated_at >= $2`, [ids["buyer@kessler.example"], since]);
    expect(remembered.rowCount).toBe(0);
    // The staff view is not "first viewed by the customer", nor in the contact's own download history.
    expect((await firstCustomerViews("invoice", [invoice.id])).get(invoice.id)).toBeUndefined();
    const buyer = await signIn("buyer@kessler.example");
    const history = await (await request("/documents/history", { cookie: buyer })).text();
    expect(history).not.toContain(invoice.number);
    // ... while the staff member, viewing as them, sees the same (their own) history: without it either.
    expect(await (await request("/documents/history", { cookie: staff })).text()).not.toContain(invoice.number);
  });

  it("downloads a ZIP of documents while viewing as, audited with the staff member as impersonator, outside the contact's own history", async () => {
    const db = await getDb();
    const { rows: invoices } = await db.query<{ id: string; kind: string; number: string }>(
      `SELECT id, kind, number FROM invoices WHERE account_id = $1 AND kind = 'invoice' ORDER BY issue_date DESC LIMIT 2`,
      [kessler],
    );
    expect(invoices).toHaveLength(2);
    const staffId = await idOf("sales@brandt-soehne.example");
    await db.query(`DELETE FROM audit_events WHERE entity_id = ANY($1::text[])`, [invoices.map((i) => i.id)]);
    const signInsBefore = await db.query(`SELECT last_login_at, previous_login_at FROM users WHERE id = $1`, [ids["buyer@kessler.example"]]);
    const since = new Date();
    const staff = await viewAs("sales@brandt-soehne.example", "buyer@kessler.example");
    const job = `view-as-${Date.now()}`;
    const form = new FormData();
    form.set("include", "pdf");
    form.set("job", job);
    for (const invoice of invoices) form.append("ids", `invoice:${invoice.id}`);
    const response = await request("/documents/download", { cookie: staff, multipart: form });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("x-document-count")).toBe("2");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");

    // Recorded like the single downloads of a view: the contact's events, the staff member as impersonator.
    const downloads = (await auditRows("document.download", since)).filter((row) => row.details.bulk === job);
    expect(downloads).toHaveLength(2);
    for (const row of downloads) expect(row).toMatchObject({ actor: ids["buyer@kessler.example"], impersonator: staffId, accountId: kessler });
    const summary = (await auditRows("document.bulk_download", since)).filter((row) => row.details.job === job);
    expect(summary).toEqual([expect.objectContaining({ actor: ids["buyer@kessler.example"], impersonator: staffId, accountId: kessler, details: expect.objectContaining({ count: 2, files: 2 }) })]);

    // Not the contact's: not in their download history, not "recently opened", not "first viewed by the customer".
    const buyer = await buildScope(db, { id: ids["buyer@kessler.example"], language: "de" }, kessler);
    const history = await listDownloadHistory(buyer!);
    expect(history.filter((h) => h.at >= since)).toEqual([]);
    const recent = await listRecentlyOpened(buyer!);
    expect(recent.filter((r) => invoices.some((i) => i.id === r.documentId))).toEqual([]);
    const first = await firstCustomerViews("invoice", invoices.map((i) => i.id));
    expect(first.size).toBe(0);
    // Nor "new since your last visit": the contact's sign-in times stay theirs.
    expect((await db.query(`SELECT last_login_at, previous_login_at FROM users WHERE id = $1`, [ids["buyer@kessler.example"]])).rows).toEqual(signInsBefore.rows);
    // The session stays read-only for writes.
    expect((await request("/support/new", { cookie: staff, form: { subject: "Read-only?", message: "Should not land" } })).status).toBe(403);
  });

  it("Exit ends the view, audits it and returns to the account's admin page; the admin area works again", async () => {
    const since = new Date();
    const staff = await viewAs("admin@brandt-soehne.example", "buyer@kessler.example", "demo");
    const exit = await request("/view-as/exit", { cookie: staff, form: {} });
    expect(exit.status).toBe(302);
    expect(exit.headers.get("location")).toBe(`/admin/accounts/${kessler}`);
    const ended = await auditRows("impersonation.ended", since);
    expect(ended).toEqual([
      expect.objectContaining({ actor: ids["admin@brandt-soehne.example"], accountId: kessler, details: expect.objectContaining({ contactId: ids["buyer@kessler.example"], why: "exit" }) }),
    ]);
    expect((await request(`/admin/accounts/${kessler}`, { cookie: staff })).status).toBe(200);
    const portal = await request("/overview", { cookie: staff });
    expect(portal.status).toBe(302);
    expect(portal.headers.get("location")).toBe("/admin");
    expect((await request("/sync/shapes/orders?offset=-1", { cookie: staff })).status).toBe(403);
    // Exit again: nothing to end, back to the admin area.
    const again = await request("/view-as/exit", { cookie: staff, form: {} });
    expect(again.headers.get("location")).toBe("/admin");
    expect(await auditRows("impersonation.ended", since)).toHaveLength(1);
  });

  it("ends by itself after 60 minutes, and when the staff member signs out", async () => {
    const db = await getDb();
    const since = new Date();
    const staff = await viewAs("sales@brandt-soehne.example", "buyer@kessler.example");
    await db.query(
      `UPDATE sessions SET view_as_started_at = now() - interval '61 minutes'
        WHERE view_as_user_id = $1 AND user_id = (SELECT id FROM users WHERE email = 'sales@brandt-soehne.example')`,
      [ids["buyer@kessler.example"]],
    );
    const portal = await request("/overview", { cookie: staff });
    expect(portal.status).toBe(302);
    expect(portal.headers.get("location")).toBe("/admin");
    expect((await request("/admin", { cookie: staff })).status).toBe(200);
    const expired = await auditRows("impersonation.ended", since);
    expect(expired).toEqual([expect.objectContaining({ actor: await idOf("sales@brandt-soehne.example"), details: expect.objectContaining({ why: "expired" }) })]);

    const other = await viewAs("support@brandt-soehne.example", "buyer@kessler.example");
    const logout = await request("/logout", { cookie: other, form: {} });
    expect(logout.status).toBe(302);
    const ends = await auditRows("impersonation.ended", since);
    expect(ends.at(-1)?.details).toMatchObject({ why: "sign-out" });
    const logouts = await auditRows("auth.logout", since);
    expect(logouts.at(-1)?.actor).toBe(await idOf("support@brandt-soehne.example"));
  });
});
