import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { DEMO_PASSWORD, request, signIn } from "./support/portal";

/** Through the production build, as a browser without JavaScript posts the settings page. */
describe("a contact changes their password on the settings page", () => {
  const email = "finance@kessler.example";
  const form = (fields: Record<string, string>) => ({ intent: "password", ...fields });

  it("refuses a wrong current password, a mismatch and a reused one by name; a change ends the other sign-ins only", async () => {
    const current = await signIn(email, DEMO_PASSWORD, "10.0.0.1");
    const other = await signIn(email, DEMO_PASSWORD, "10.0.0.2");

    const wrong = await request("/settings", { cookie: current, ip: "10.0.0.1", form: form({ currentPassword: "not-it", password: "brand-new-secret", confirmPassword: "brand-new-secret" }) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("ist nicht Ihr aktuelles Passwort");
    const mismatch = await request("/settings", { cookie: current, form: form({ currentPassword: DEMO_PASSWORD, password: "brand-new-secret", confirmPassword: "brand-new-secrex" }) });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("stimmt nicht mit dem Passwort überein");
    const same = await request("/settings", { cookie: current, form: form({ currentPassword: DEMO_PASSWORD, password: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }) });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain("muss sich vom aktuellen Passwort unterscheiden");
    const short = await request("/settings", { cookie: current, form: form({ currentPassword: DEMO_PASSWORD, password: "short", confirmPassword: "short" }) });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("muss mindestens 10 Zeichen haben");

    const changed = await request("/settings", { cookie: current, ip: "10.0.0.1", form: form({ currentPassword: DEMO_PASSWORD, password: "brand-new-secret", confirmPassword: "brand-new-secret" }) });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain("Passwort geändert.");

    // This sign-in goes on; the other one is over; the old password no longer signs in, the new one does.
    expect((await request("/overview", { cookie: current })).status).toBe(200);
    expect((await request("/overview", { cookie: other })).headers.get("location")).toMatch(/^\/login/);
    expect((await request("/login", { form: { email, password: DEMO_PASSWORD } })).status).toBe(401);
    await signIn(email, "brand-new-secret");

    const { rows } = await (await getDb()).query<{ action: string }>(
      `SELECT e.action FROM audit_events e JOIN users u ON u.id = e.actor_user_id WHERE u.email = $1 AND e.action LIKE 'auth.password_change%' ORDER BY e.at, e.id`,
      [email],
    );
    expect(rows.map((r) => r.action)).toEqual(["auth.password_change_failed", "auth.password_changed"]);
  });

  it("counts wrong current passwords as failed sign-ins: the sixth try is throttled with Retry-After", async () => {
    const cookie = await signIn("buyer@kessler.example", DEMO_PASSWORD, "10.0.0.9");
    const attempt = () =>
      request("/settings", { cookie, ip: "10.0.0.9", form: form({ currentPassword: "guess", password: "brand-new-secret", confirmPassword: "brand-new-secret" }) });
    for (let i = 0; i < 5; i += 1) expect((await attempt()).status).toBe(400);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("is there only for the contact signed in: without a session it is the sign-in page", async () => {
    const response = await request("/settings", { form: form({ currentPassword: DEMO_PASSWORD, password: "brand-new-secret", confirmPassword: "brand-new-secret" }) });
    expect(response.headers.get("location")).toMatch(/^\/login/);
  });
});
