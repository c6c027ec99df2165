import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { quantityField } from "~/modules/returns/schemas";
import { unreturnedShippedLine } from "~/modules/returns/test-support";
import { request, signIn } from "./support/portal";

/**
 * Through the production build: the return form and the ticket pages as a browser without
 * JavaScript posts them, and another account's contact answered 404 on every one of them
 * (including the query parameter the authorization matrix cannot fill).
 */
describe("return requests and tickets over HTTP", () => {
  it("a buyer files a return from an order page; a refusal keeps the typed values; another account's contact gets 404", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ orderId: string; lineId: string; shipped: string }>(
      `SELECT o.id AS "orderId", l.id AS "lineId", l.quantity_shipped::text AS shipped FROM sales_orders o JOIN accounts a ON a.id = o.account_id
         JOIN sales_order_lines l ON l.sales_order_id = o.id
        WHERE a.number = '10001' AND o.status = 'completed' AND l.quantity_shipped >= 1
          AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.sales_order_id = o.id) LIMIT 1`,
    );
    const { orderId, lineId } = rows[0];
    const buyer = await signIn("buyer@kessler.example");
    const foreign = await signIn("buyer@nordhavn.example");
    const page = await request(`/orders/${orderId}/return`, { cookie: buyer });
    expect(page.status).toBe(200);
    const html = await page.text();
    const mutation = html.match(/name="clientMutationId" value="([^"]+)"/)?.[1] ?? "";
    expect(mutation).toMatch(/^[0-9a-f-]{36}$/);

    const tooMany = await request(`/orders/${orderId}/return`, {
      cookie: buyer,
      form: { clientMutationId: mutation, reason: "defective", comment: "Pumpe läuft nicht an", [quantityField(lineId)]: "99999" },
    });
    expect(tooMany.status).toBe(400);
    const refused = await tooMany.text();
    expect(refused).toContain("Pumpe läuft nicht an"); // kept
    expect(refused).toContain("must be at most");

    const posted = await request(`/orders/${orderId}/return`, {
      cookie: buyer,
      form: { clientMutationId: mutation, reason: "defective", comment: "Pumpe läuft nicht an", [quantityField(lineId)]: "1" },
    });
    expect(posted.status).toBe(302);
    const location = posted.headers.get("location") ?? "";
    expect(location).toMatch(/^\/returns\/[0-9a-f-]{36}\?submitted=1$/);
    expect((await request(location, { cookie: buyer })).status).toBe(200);
    expect((await request(location, { cookie: foreign })).status).toBe(404);
    expect((await request(`/orders/${orderId}/return`, { cookie: foreign })).status).toBe(404);
    expect((await request(`/orders/${orderId}/return`, { cookie: foreign, form: { clientMutationId: crypto.randomUUID(), reason: "other", [quantityField(lineId)]: "1" } })).status).toBe(404);
    // The same form again (a double click): the same request, no second one.
    const again = await request(`/orders/${orderId}/return`, {
      cookie: buyer,
      form: { clientMutationId: mutation, reason: "defective", [quantityField(lineId)]: "1" },
    });
    expect(again.headers.get("location")).toBe(location);
  });

  it("tickets: new (with an order of the account), reply, close; another account's contact gets 404 everywhere", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; number: string }>(
      `SELECT o.id, o.number FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10001' LIMIT 1`,
    );
    const order = rows[0];
    const buyer = await signIn("buyer@kessler.example");
    const foreign = await signIn("buyer@nordhavn.example");
    expect((await request(`/support/new?order=${order.id}`, { cookie: buyer })).status).toBe(200);
    expect((await request(`/support/new?order=${order.id}`, { cookie: foreign })).status).toBe(404);

    const created = await request("/support/new", {
      cookie: buyer,
      form: { clientMutationId: crypto.randomUUID(), subject: "Rückfrage", category: "order", priority: "normal", message: "Bitte um Rückruf.", related: order.number },
    });
    expect(created.status).toBe(302);
    const ticketPath = (created.headers.get("location") ?? "").replace(/\?.*$/, "");
    expect(ticketPath).toMatch(/^\/support\/[0-9a-f-]{36}$/);
    expect((await request(ticketPath, { cookie: foreign })).status).toBe(404);
    const forms: Record<string, string>[] = [{ intent: "close" }, { intent: "reply", clientMutationId: crypto.randomUUID(), body: "x" }];
    for (const form of forms) {
      expect((await request(ticketPath, { cookie: foreign, form })).status).toBe(404);
    }
    const viewer = await signIn("viewer@kessler.example");
    expect((await request(ticketPath, { cookie: viewer, form: { intent: "close" } })).status).toBe(404);

    expect((await request(ticketPath, { cookie: buyer, form: { intent: "reply", clientMutationId: crypto.randomUUID(), body: "Nachtrag" } })).status).toBe(200);
    expect((await request(ticketPath, { cookie: buyer, form: { intent: "close" } })).status).toBe(200);
    const { rows: ticket } = await db.query<{ status: string; messages: number }>(
      `SELECT t.status, (SELECT count(*) FROM ticket_messages m WHERE m.ticket_id = t.id)::int AS messages FROM support_tickets t WHERE t.id = $1`,
      [ticketPath.split("/").pop()],
    );
    expect(ticket[0]).toEqual({ status: "closed", messages: 2 });
  });

  it("cancel: the buyer cancels a submitted request from its page (twice is fine, a decided one answers 409); another account's contact and a contact outside the location get 404", async () => {
    const db = await getDb();
    const line = await unreturnedShippedLine({ locationCode: "EBJ" });
    const buyer = await signIn("buyer@nordhavn.example"); // English
    const posted = await request(`/orders/${line.orderId}/return`, {
      cookie: buyer,
      form: { clientMutationId: crypto.randomUUID(), reason: "not_needed", [quantityField(line.lineId)]: "1" },
    });
    const path = (posted.headers.get("location") ?? "").replace(/\?.*$/, "");
    expect(path).toMatch(/^\/returns\/[0-9a-f-]{36}$/);
    expect(await (await request(path, { cookie: buyer })).text()).toContain("Cancel this request…");

    // Kessler's buyer (another account) and Lars (Nordhavn, restricted to Aarhus; this is Esbjerg's) see nothing.
    for (const email of ["buyer@kessler.example", "lars.bertelsen@nordhavn.example"]) {
      const other = await signIn(email);
      expect((await request(path, { cookie: other })).status, email).toBe(404);
      expect((await request(path, { cookie: other, form: { intent: "cancel" } })).status, email).toBe(404);
    }
    expect((await request(path, { cookie: buyer, form: { intent: "delete" } })).status).toBe(400);

    const cancelled = await request(path, { cookie: buyer, form: { intent: "cancel" } });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.text()).toMatch(/Return request RMA-\d+ cancelled\./);
    expect((await request(path, { cookie: buyer, form: { intent: "cancel" } })).status).toBe(200);
    const page = await (await request(path, { cookie: buyer })).text();
    expect(page).toContain("Cancelled");
    expect(page).not.toContain("Cancel this request…");

    // Staff see it as cancelled; a decided request cannot be cancelled.
    const staff = await signIn("support@brandt-soehne.example");
    const id = path.split("/").pop();
    expect(await (await request("/admin/returns?status=cancelled", { cookie: staff })).text()).toContain(`/admin/returns/${id}`);
    await db.query(`UPDATE return_requests SET status = 'approved', decided_at = now() WHERE id = $1`, [id]);
    const late = await request(path, { cookie: buyer, form: { intent: "cancel" } });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("is Approved now and can no longer be cancelled");
  });

  it("settings: the contact switches the ticket and return mails off and on; a wrong value is refused by name", async () => {
    const cookie = await signIn("group@kessler.example");
    const stored = async () =>
      (await (await getDb()).query<{ on: boolean }>(`SELECT notify_by_email AS on FROM users WHERE email = 'group@kessler.example'`)).rows[0].on;
    const page = await request("/settings", { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Mich per E-Mail über meine Tickets und Retouren informieren");
    expect(html).toMatch(/name="notifyByEmail"[^>]*checked/);
    const off = await request("/settings", { cookie, form: { language: "de" } });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain("Einstellungen gespeichert.");
    expect(await stored()).toBe(false);
    const wrong = await request("/settings", { cookie, form: { language: "de", notifyByEmail: "yes" } });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("notifyByEmail must be on or absent");
    expect(await stored()).toBe(false);
    const noLanguage = await request("/settings", { cookie, form: { notifyByEmail: "on" } });
    expect(noLanguage.status).toBe(400);
    expect(await noLanguage.text()).toContain("language must be en or de");
    expect(await stored()).toBe(false);
    expect((await request("/settings", { cookie, form: { language: "de", notifyByEmail: "on" } })).status).toBe(200);
    expect(await stored()).toBe(true);
    // The language is the contact's own: the portal (and its mails) speak it from the next answer on.
    const english = await request("/settings", { cookie, form: { language: "en", notifyByEmail: "on" } });
    expect(await english.text()).toContain("Settings saved.");
    expect(await (await request("/settings", { cookie })).text()).toContain("Email me about my tickets and returns");
    const language = await (await getDb()).query<{ language: string }>(`SELECT language FROM users WHERE email = 'group@kessler.example'`);
    expect(language.rows[0].language).toBe("en");
    // Staff have no portal settings page (the admin area is theirs).
    expect((await request("/settings", { cookie: await signIn("support@brandt-soehne.example") })).headers.get("location")).toBe("/admin");
  });
});
