import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

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
  for (const path of ["/overview", "/orders", "/invoices", "/shipments", "/documents", "/quotes", "/returns", "/support", "/settings", "/team"]) {
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
  const [mail] = await sql<{ id: string }>(
    `INSERT INTO mail_queue (kind, reference, recipient, language, subject, body, status, attempts, last_error)
     VALUES ('ticket.answered', 'T-A11Y', 'buyer@kessler.example', 'de', 'T-A11Y: neue Antwort', 'Hallo,\n\nText.', 'failed', 15, '550 Mailbox unavailable')
     RETURNING id`,
  );
  for (const path of ["/admin/signups", "/admin/outbox", "/admin/mail-queue", `/admin/mail-queue/${mail.id}`]) {
    await page.goto(path);
    await expectNoSeriousA11yViolations(page);
  }
  await screenshots(page, "admin-mail-queue-failed-mail");
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

/** Nothing on the page is wider than the viewport (a table may scroll inside its own box). */
async function expectNoHorizontalOverflow(page: Page, path: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${path} is ${width} px wide at 390 px`).toBeLessThanOrEqual(390);
}

test("every portal page fits a phone (390 px) and looks right at phone and desktop width", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "admin@kessler.example");
  const [ids] = await sql<{ order: string; invoice: string; shipment: string }>(
    `SELECT (SELECT o.id FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10001' ORDER BY o.order_date DESC LIMIT 1) AS order,
            (SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' ORDER BY i.issue_date DESC LIMIT 1) AS invoice,
            (SELECT s.id FROM shipments s JOIN accounts a ON a.id = s.account_id WHERE a.number = '10001' ORDER BY s.shipped_at DESC NULLS LAST LIMIT 1) AS shipment`,
  );
  const pages = [
    "/overview", "/orders", "/invoices", "/shipments", "/documents", "/quotes", "/returns", "/support", "/statements", "/team", "/settings",
    `/orders/${ids.order}`, `/invoices/${ids.invoice}`, `/shipments/${ids.shipment}`, "/documents/history",
  ];
  for (const path of pages) {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    await expectNoHorizontalOverflow(page, path);
    // The top bar's last control (the theme toggle) is inside the screen.
    const toggle = await page.locator(".theme-toggle").boundingBox();
    expect(toggle && toggle.x + toggle.width, path).toBeLessThanOrEqual(390);
    await screenshots(page, `page${path.replace(/\/[0-9a-f-]{36}/, "-detail").replace(/\//g, "-")}`);
  }
});

test("a contact with several accounts fits a phone too: the account switcher takes its own row", async ({ page }) => {
  await signIn(page, "group@kessler.example");
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ["/overview", "/orders", "/invoices"]) {
    await page.goto(path);
    await expect(page.locator("main h1")).toBeVisible();
    await expectNoHorizontalOverflow(page, path);
  }
  const switcher = await page.locator("#account-switcher").boundingBox();
  const toggle = await page.locator(".theme-toggle").boundingBox();
  expect(switcher && toggle && switcher.y).toBeGreaterThan(toggle!.y + toggle!.height - 1);
  expect(switcher && switcher.x + switcher.width).toBeLessThanOrEqual(390);
  await screenshots(page, "page-phone-several-accounts");
});

test("the orders filters offer every location, cost center and buyer of the account, not only those shown", async ({ page }) => {
  await signIn(page, "buyer@nordhavn.example");
  await page.goto("/orders?state=cancelled"); // one order shown
  const offered = async (name: string) => (await page.locator(`#filter-${name} option`).allTextContents()).slice(1).sort();
  const of = (rows: { name: string }[]) => rows.map((r) => r.name).sort((a, b) => a.localeCompare(b, "en"));
  const account = `(SELECT id FROM accounts WHERE number = '10004')`;
  const locations = await sql<{ name: string }>(`SELECT name FROM locations WHERE account_id = ${account}`);
  const costCenters = await sql<{ name: string }>(`SELECT name FROM cost_centers WHERE account_id = ${account}`);
  const buyers = await sql<{ name: string }>(`SELECT DISTINCT buyer_name AS name FROM sales_orders WHERE account_id = ${account} AND buyer_name IS NOT NULL`);
  expect(buyers.length).toBeGreaterThan(2);
  expect(await offered("location")).toEqual(of(locations).sort());
  expect(await offered("costCenter")).toEqual(of(costCenters).sort());
  expect(await offered("buyer")).toEqual(of(buyers).sort());
});

test("the invoice and documents lists offer one CSV export", async ({ page }) => {
  await signIn(page, "finance@kessler.example");
  for (const list of ["invoices", "documents"]) {
    await page.goto(`/${list}`);
    await expect(page.getByTestId(`${list}-table`)).toBeVisible();
    await expect(page.getByRole("button", { name: /CSV/ }).or(page.getByRole("link", { name: /CSV/ }))).toHaveCount(1);
  }
});
