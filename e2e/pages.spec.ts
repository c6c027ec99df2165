import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { screenshots, signIn } from "./support/fixtures";

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")})`)).toEqual([]);
}

test("sign-in and password pages are accessible and look right", async ({ page }) => {
  await page.goto("/login");
  await expectNoSeriousA11yViolations(page);
  await screenshots(page, "login");
  await page.getByRole("button", { name: /Anmelden|Sign in/ }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await screenshots(page, "login-errors");
  await page.goto("/forgot-password");
  await expectNoSeriousA11yViolations(page);
});

test("portal pages are accessible for a contact", async ({ page }) => {
  test.setTimeout(240_000); // axe walks every row of the long lists (up to 300 rows each), on a loaded machine
  await signIn(page, "admin@kessler.example");
  for (const path of ["/overview", "/orders", "/invoices", "/shipments", "/documents", "/quotes", "/returns", "/support", "/team"]) {
    await page.goto(path);
    await expectNoSeriousA11yViolations(page);
  }
  await screenshots(page, "team");
  await page.goto("/shipments");
  await screenshots(page, "shipments");
  await page.goto("/documents");
  await screenshots(page, "documents");
});

test("admin pages are accessible for staff", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, "admin@brandt-soehne.example");
  await expectNoSeriousA11yViolations(page);
  await screenshots(page, "admin-accounts");
  for (const path of ["/admin/signups", "/admin/outbox"]) {
    await page.goto(path);
    await expectNoSeriousA11yViolations(page);
  }
});

test("g then a letter jumps between sections without the mouse", async ({ page }) => {
  await signIn(page, "buyer@kessler.example");
  // The shortcuts listen once the page is hydrated; until then a key press does nothing.
  await expect(async () => {
    await page.keyboard.press("g");
    await page.keyboard.press("i");
    await expect(page).toHaveURL(/\/invoices$/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.keyboard.press("g");
  await page.keyboard.press("r");
  await expect(page).toHaveURL(/\/orders$/);
});
