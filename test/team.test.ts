import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { listOutbox } from "~/modules/mail/mailer.server";
import { request, signIn } from "./support/portal";

describe("team management by a contact admin", () => {
  it("invites a colleague into the admin's own account and names bad fields", async () => {
    const cookie = await signIn("admin@kessler.example");
    const bad = await request("/team", { cookie, form: { intent: "invite", name: "X", email: "nope", role: "owner" } });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("is not a valid email address");
    expect(html).toContain("must be one of admin, buyer, finance, viewer");

    const ok = await request("/team", { cookie, form: { intent: "invite", name: "Petra Neu", email: "petra.neu@kessler.example", role: "finance", language: "de" } });
    expect(ok.status).toBe(200);
    const db = await getDb();
    const { rows } = await db.query<{ number: string; role: string; status: string }>(
      `SELECT a.number, m.role, u.status FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
        WHERE u.email = 'petra.neu@kessler.example'`,
    );
    expect(rows).toEqual([{ number: "10001", role: "finance", status: "invited" }]);
    const mail = (await listOutbox()).find((m) => m.to === "petra.neu@kessler.example");
    expect(mail?.subject).toContain("Kundenportal");
    expect(mail?.text).toMatch(/\/invite\/[\w-]{20,}/);
  });

  it("removes a colleague's access to this account only; their next request is refused", async () => {
    const group = await signIn("group@kessler.example");
    expect((await request("/overview", { cookie: group })).status).toBe(200);
    const db = await getDb();
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'group@kessler.example'`);
    const admin = await signIn("admin@kessler.example");
    const removed = await request("/team", { cookie: admin, form: { intent: "remove", userId: rows[0].id } });
    expect(removed.status).toBe(200);
    const left = await db.query<{ number: string }>(
      `SELECT a.number FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1`,
      [rows[0].id],
    );
    expect(left.rows.map((r) => r.number)).toEqual(["10003"]);
    const overview = await request("/overview", { cookie: group });
    expect(overview.status).toBe(200);
    expect(await overview.text()).not.toContain("Kessler Haustechnik GmbH (10001)");
  });

  it("cannot touch a contact of another account", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'buyer@nordhavn.example'`);
    const admin = await signIn("admin@kessler.example");
    const response = await request("/team", { cookie: admin, form: { intent: "remove", userId: rows[0].id } });
    expect(response.status).toBe(404);
  });
});
