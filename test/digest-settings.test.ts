import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { request, signIn } from "./support/portal";

async function accountId(number: string): Promise<string> {
  return (await (await getDb()).query<{ id: string }>(`SELECT id FROM accounts WHERE number = $1`, [number])).rows[0].id;
}

async function digestsOf(email: string): Promise<Record<string, string>> {
  const { rows } = await (await getDb()).query<{ number: string; frequency: string }>(
    `SELECT a.number, d.frequency FROM contact_digests d JOIN memberships m ON m.id = d.membership_id
       JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id WHERE u.email = $1`,
    [email],
  );
  return Object.fromEntries(rows.map((r) => [r.number, r.frequency]));
}

/** Through the production build, as a browser without JavaScript posts the settings page. */
describe("a contact chooses their digest of new documents on the settings page", () => {
  it("shows one choice per account, stores it per account, and answers 404 for another account's digest", async () => {
    const email = "group@kessler.example"; // buyer of 10001, finance of 10003
    const cookie = await signIn(email);
    const page = await (await request("/settings", { cookie })).text();
    expect(page).toContain(`name="digest.${await accountId("10001")}"`);
    expect(page).toContain(`name="digest.${await accountId("10003")}"`);
    expect(page).not.toContain(`name="digest.${await accountId("10004")}"`);

    const saved = await request("/settings", {
      cookie,
      form: { language: "en", notifyByEmail: "on", [`digest.${await accountId("10001")}`]: "daily", [`digest.${await accountId("10003")}`]: "weekly" },
    });
    expect(saved.status).toBe(200);
    expect(await digestsOf(email)).toEqual({ "10001": "daily", "10003": "weekly" });
    const shown = await (await request("/settings", { cookie })).text();
    expect(shown).toMatch(/<option value="daily" selected="">/);

    // Nordhavn (10004) is another customer's account: not found, and nothing of the post is stored.
    const foreign = await request("/settings", {
      cookie,
      form: { language: "de", [`digest.${await accountId("10001")}`]: "off", [`digest.${await accountId("10004")}`]: "daily" },
    });
    expect(foreign.status).toBe(404);
    expect(await digestsOf(email)).toEqual({ "10001": "daily", "10003": "weekly" });
    expect(await digestsOf("buyer@nordhavn.example")).toEqual({});

    const wrong = await request("/settings", { cookie, form: { language: "en", [`digest.${await accountId("10001")}`]: "hourly" } });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("must be off, daily or weekly");

    const off = await request("/settings", { cookie, form: { language: "en", [`digest.${await accountId("10001")}`]: "off" } });
    expect(off.status).toBe(200);
    expect(await digestsOf(email)).toEqual({ "10003": "weekly" });
  });
});
