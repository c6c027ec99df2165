import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { listOutbox } from "~/modules/mail/mailer.server";
import { request, signIn } from "./support/portal";

describe("self-signup", () => {
  it("is off by default: the page does not exist", async () => {
    const db = await getDb();
    const column = await db.query<{ default: string }>(
      `SELECT column_default AS default FROM information_schema.columns WHERE table_name = 'supplier_settings' AND column_name = 'self_signup_enabled'`,
    );
    expect(column.rows[0].default).toBe("false");
    await db.query(`UPDATE supplier_settings SET self_signup_enabled = false`);
    expect((await request("/signup")).status).toBe(404);
    expect((await request("/signup", { form: { name: "Eve", email: "eve@example.com", companyName: "Evil" } })).status).toBe(404);
  });

  it("when on, files a request that grants nothing until staff approve it by inviting", async () => {
    const db = await getDb();
    await db.query(`UPDATE supplier_settings SET self_signup_enabled = true`);
    const bad = await request("/signup", { form: { name: "J", email: "x", companyName: "", vatId: "123" } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    for (const reason of ["is not a valid email address", "is not a VAT id", "is required"]) expect(html).toContain(reason);

    const filed = await request("/signup", {
      form: { name: "Jana Jansen", email: "jana@newcustomer.example", companyName: "Jansen Bau GmbH", vatId: "de811223344" },
    });
    expect(filed.status).toBe(200);
    const { rows } = await db.query<{ id: string; status: string; vatId: string }>(
      `SELECT id, status, vat_id AS "vatId" FROM signup_requests WHERE email = 'jana@newcustomer.example'`,
    );
    expect(rows).toEqual([{ id: expect.any(String), status: "pending", vatId: "DE811223344" }]);
    const user = await db.query(`SELECT 1 FROM users WHERE email = 'jana@newcustomer.example'`);
    expect(user.rowCount).toBe(0);

    const sales = await signIn("sales@brandt-soehne.example");
    const account = (await db.query<{ id: string }>(`SELECT id FROM accounts WHERE number = '10004'`)).rows[0];
    const approved = await request("/admin/signups", { cookie: sales, form: { intent: "approve", requestId: rows[0].id, accountId: account.id, role: "buyer" } });
    expect(approved.status).toBe(200);
    const member = await db.query<{ status: string; role: string }>(
      `SELECT u.status, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = 'jana@newcustomer.example' AND m.account_id = $1`,
      [account.id],
    );
    expect(member.rows).toEqual([{ status: "invited", role: "buyer" }]);
    // The request's confirmation, then the invitation (in the supplier's default language, German here).
    const subjects = (await listOutbox()).filter((m) => m.to === "jana@newcustomer.example").map((m) => m.subject);
    expect(subjects.sort()).toEqual(["Ihr Zugang zum Kundenportal von Brandt & Söhne", "Wir haben Ihre Zugangsanfrage erhalten"]);

    const again = await request("/admin/signups", { cookie: sales, form: { intent: "approve", requestId: rows[0].id, accountId: account.id, role: "buyer" } });
    expect(again.status).toBe(404);
  });
});
