import { afterEach, describe, expect, it, vi } from "vitest";
import type { Queryable } from "~/db/db.server";

// getConfig() reads the environment once per module instance: each case imports a fresh one.
async function freshModules(supportMailTo: string | undefined) {
  vi.resetModules();
  if (supportMailTo === undefined) delete process.env.SUPPORT_MAIL_TO;
  else process.env.SUPPORT_MAIL_TO = supportMailTo;
  const { getConfig } = await import("~/config.server");
  const { colleagueRecipient, staffRecipients } = await import("./recipients.server");
  const { getDb } = await import("~/db/connection.server");
  return { getConfig, colleagueRecipient, staffRecipients, getDb };
}

afterEach(() => {
  delete process.env.SUPPORT_MAIL_TO;
});

describe("staff recipients (SUPPORT_MAIL_TO)", () => {
  it("unset: every active staff member whose role holds the permission, in their own language", async () => {
    const { staffRecipients, getDb } = await freshModules(undefined);
    const db = await getDb();
    expect(await staffRecipients(db, "tickets.answer")).toEqual([
      { email: "admin@brandt-soehne.example", name: expect.any(String), language: "de" },
      { email: "c.dubois@brandt-soehne.example", name: expect.any(String), language: "en" },
      { email: "sales@brandt-soehne.example", name: expect.any(String), language: "de" },
      { email: "support@brandt-soehne.example", name: expect.any(String), language: "de" },
    ]);
    await db.query(`UPDATE users SET status = 'disabled' WHERE email = 'c.dubois@brandt-soehne.example'`);
    expect((await staffRecipients(db, "returns.decide")).map((r) => r.email)).not.toContain("c.dubois@brandt-soehne.example");
    expect((await staffRecipients(db, "audit.read")).map((r) => r.email)).toEqual(["admin@brandt-soehne.example", "finance@brandt-soehne.example"]);
  });

  it("a list of addresses: those, in the supplier's default language; off: nobody; anything else stops the start naming the variable", async () => {
    const listed = await freshModules(" Support@Brandt-Soehne.example, returns@brandt-soehne.example ");
    expect(listed.getConfig().supportMailTo).toEqual(["support@brandt-soehne.example", "returns@brandt-soehne.example"]);
    const db = await listed.getDb();
    const { rows } = await db.query<{ language: string }>(`SELECT default_language AS language FROM supplier_settings`);
    expect(await listed.staffRecipients(db, "tickets.answer")).toEqual([
      { email: "support@brandt-soehne.example", name: null, language: rows[0].language },
      { email: "returns@brandt-soehne.example", name: null, language: rows[0].language },
    ]);

    const off = await freshModules("off");
    expect(await off.staffRecipients(await off.getDb(), "tickets.answer")).toEqual([]);

    const wrong = await freshModules("support@brandt-soehne.example; returns");
    expect(() => wrong.getConfig()).toThrow("SUPPORT_MAIL_TO: must be off or comma-separated email addresses");
  });

  it("a colleague addressed in person (a handed-over ticket): at their own address even with a shared inbox; not when off, disabled or not entitled", async () => {
    const id = async (db: Queryable, email: string) =>
      (await db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email])).rows[0].id;
    const unset = await freshModules(undefined);
    const db = await unset.getDb();
    const support = await id(db, "support@brandt-soehne.example");
    expect(await unset.colleagueRecipient(db, support, "tickets.answer")).toEqual({ email: "support@brandt-soehne.example", name: "Aylin Demir", language: "de" });
    // Finance staff do not answer tickets; a contact is no colleague.
    expect(await unset.colleagueRecipient(db, await id(db, "finance@brandt-soehne.example"), "tickets.answer")).toBeNull();
    expect(await unset.colleagueRecipient(db, await id(db, "buyer@kessler.example"), "tickets.answer")).toBeNull();

    const shared = await freshModules("support@brandt-soehne.example");
    const sales = await id(db, "sales@brandt-soehne.example");
    expect(await shared.colleagueRecipient(await shared.getDb(), sales, "tickets.answer")).toMatchObject({ email: "sales@brandt-soehne.example" });

    const off = await freshModules("off");
    expect(await off.colleagueRecipient(await off.getDb(), sales, "tickets.answer")).toBeNull();

    const later = await freshModules(undefined);
    const again = await later.getDb();
    await again.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [sales]);
    expect(await later.colleagueRecipient(again, sales, "tickets.answer")).toBeNull();
    await again.query(`UPDATE users SET status = 'active' WHERE id = $1`, [sales]);
  });
});
