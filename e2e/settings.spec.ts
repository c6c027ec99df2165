import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { screenshots, signIn, sql } from "./support/fixtures";

// A contact no other spec signs in as: its password changes here and is put back afterwards.
let email = "";

test.beforeAll(async () => {
  const [contact] = await sql<{ email: string }>(
    `SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
      WHERE a.number = '10003' AND u.kind = 'contact' AND u.status = 'active' ORDER BY u.email LIMIT 1`,
  );
  email = contact.email;
  await sql(`UPDATE users SET language = 'de' WHERE email = $1`, [email]);
});

test.afterAll(async () => {
  await sql(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = 'buyer@kessler.example') WHERE email = $1`, [email]);
});

test("a contact with two accounts chooses a weekly digest for one of them; the choice stays after a reload", async ({ page }) => {
  // The accessibility scan at the end took the test past 30 s in a CI run where another worker's 100k sync shared the cores.
  test.setTimeout(60_000);
  const group = "group@kessler.example"; // buyer of 10001, finance of 10003
  try {
    await signIn(page, group);
    await page.goto("/settings");
    const lang = (await page.locator("html").getAttribute("lang")) ?? "en";
    const label = lang === "de" ? /Übersicht für Kessler Haustechnik GmbH \(10001\)/ : /Digest for Kessler Haustechnik GmbH \(10001\)/;
    const digest = page.getByLabel(label);
    await expect(digest).toHaveValue("off");
    await expect(page.locator('select[name^="digest."]')).toHaveCount(2);
    await digest.selectOption("weekly");
    await page.getByRole("button", { name: lang === "de" ? "Einstellungen speichern" : "Save settings" }).click();
    await expect(page.locator("main").getByRole("status")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(label)).toHaveValue("weekly");
    const [stored] = await sql<{ frequency: string }>(
      `SELECT d.frequency FROM contact_digests d JOIN memberships m ON m.id = d.membership_id JOIN users u ON u.id = m.user_id
         JOIN accounts a ON a.id = m.account_id WHERE u.email = $1 AND a.number = '10001'`,
      [group],
    );
    expect(stored.frequency).toBe("weekly");
    const a11y = await new AxeBuilder({ page }).analyze();
    expect(a11y.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
    await screenshots(page, "settings-digest");
  } finally {
    await sql(`DELETE FROM contact_digests WHERE membership_id IN (SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1)`, [group]);
  }
});

test("a contact changes their password on the settings page; a wrong current password is named; the new one signs in", async ({ page }) => {
  await signIn(page, email);
  await page.getByRole("link", { name: "Einstellungen" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  const current = page.getByLabel("Aktuelles Passwort");
  const next = page.getByLabel("Neues Passwort");
  const again = page.getByLabel("Passwort wiederholen");

  await current.fill("not-my-password");
  await next.fill("brand-new-secret");
  await again.fill("brand-new-secret");
  await page.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "ist nicht Ihr aktuelles Passwort" })).toBeVisible();
  await expect(current).toHaveAttribute("aria-invalid", "true");
  const a11y = await new AxeBuilder({ page }).analyze();
  expect(a11y.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await screenshots(page, "settings-password-refused");

  await current.fill("ledgerlight-demo");
  await next.fill("brand-new-secret");
  await again.fill("brand-new-secret");
  await again.press("Control+Enter");
  await expect(page.locator("main").getByRole("status")).toContainText("Passwort geändert.");
  await expect(page.getByLabel("Aktuelles Passwort")).toHaveValue(""); // a new, empty form
  const [audited] = await sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM audit_events e JOIN users u ON u.id = e.actor_user_id WHERE u.email = $1 AND e.action = 'auth.password_changed'`,
    [email],
  );
  expect(Number(audited.n)).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, email, "brand-new-secret");
  await expect(page.locator("main h1")).toBeVisible();
});
