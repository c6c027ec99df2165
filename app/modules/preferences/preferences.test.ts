import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { getPreferences, savePreference } from "./preferences.server";

describe("view preferences", () => {
  it("stores a list's view per user and names bad fields", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'buyer@kessler.example'`);
    const userId = rows[0].id;
    expect(await savePreference(userId, { kind: "view", key: "view.orders", value: { widths: { number: 140 }, sort: "date:desc" } })).toEqual({ ok: true });
    expect(await savePreference(userId, { kind: "theme", key: "theme", value: "dark" })).toEqual({ ok: true });
    expect(await getPreferences(userId)).toEqual({ "view.orders": { widths: { number: 140 }, sort: "date:desc" }, theme: "dark" });

    const bad = await savePreference(userId, { kind: "view", key: "view.orders", value: { widths: { number: 5 }, sort: "date;drop" } });
    expect(bad).toEqual({
      ok: false,
      errors: { "value.widths.number": "must be at least 40 px", "value.sort": "must be column:asc or column:desc" },
    });
    expect((await getPreferences(userId))["view.orders"]).toEqual({ widths: { number: 140 }, sort: "date:desc" });
  });
});
