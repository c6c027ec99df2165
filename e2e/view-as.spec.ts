import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { screenshots, signIn, sql } from "./support/fixtures";

test("staff view the portal as a buyer: banner, the buyer's data synced, read-only, Exit back to the admin page", async ({ page }) => {
  test.setTimeout(90_000);
  const [kessler] = await sql<{ id: string }>(`SELECT id FROM accounts WHERE number = '10001'`);
  // An open quote of its own: the quotes specs decide the seed's open ones, in either order.
  const suffix = Date.now().toString(36).toUpperCase();
  const [quote] = await sql<{ id: string; number: string; status: string }>(
    `INSERT INTO quotes (erp_id, account_id, location_id, number, issue_date, valid_until, currency, net_amount, tax_amount, gross_amount)
     SELECT $1, a.id, (SELECT q.location_id FROM quotes q WHERE q.account_id = a.id ORDER BY q.issue_date DESC LIMIT 1), $2,
            current_date, current_date + 30, 'EUR', 100.00, 19.00, 119.00
       FROM accounts a WHERE a.number = '10001' RETURNING id, number, status`,
    [`E2E-VA-${suffix}`, `QT-VA-${suffix}`],
  );
  await signIn(page, "support@brandt-soehne.example");
  await page.setViewportSize({ width: 1366, height: 860 });
  await page.goto(`/admin/accounts/${kessler.id}`);
  const row = page.getByTestId("contacts-table").locator('tr[data-email="buyer@kessler.example"]');
  await row.getByLabel(/Reason for viewing as/).fill("E2E: customer cannot find a quote");
  await screenshots(page, "view-as-admin-account");
  await row.getByRole("button", { name: "View as" }).click();

  // The buyer's portal (German, as the buyer reads it), under the banner.
  await expect(page).toHaveURL(/\/overview$/);
  const banner = page.getByTestId("view-as-banner");
  await expect(banner).toContainText(/Viewing as .+ \(buyer@kessler\.example\), Kessler.* — read-only/);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 45_000 });
  await screenshots(page, "view-as-overview");
  const serious = (await new AxeBuilder({ page }).include('[data-testid="view-as-banner"]').analyze()).violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(serious.map((v) => v.id)).toEqual([]);
  await page.getByRole("link", { name: "Aufträge" }).first().click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(banner).toBeVisible();
  const [orders] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM sales_orders WHERE account_id = $1`, [kessler.id]);
  expect(orders.n).toBeGreaterThan(0);
  await expect(page.locator("main table tbody tr").first()).toBeVisible();
  await screenshots(page, "view-as-orders");

  // Read-only: the quote's decision is disabled, with the note, instead of a form that ends on a 403 page.
  await page.goto(`/quotes/${quote.id}`);
  await expect(banner).toBeVisible();
  const decision = page.getByRole("form", { name: "Ihre Entscheidung" }).first();
  const accept = page.getByRole("button", { name: "Angebot annehmen" }).first();
  await expect(accept).toBeDisabled();
  await expect(page.getByRole("button", { name: "Ablehnen" }).first()).toBeDisabled();
  await expect(page.getByLabel("Ihre Bestellnummer").first()).toBeDisabled();
  await expect(page.getByTestId("read-only-note").first()).toHaveText(/^Read-only while viewing as .+/);
  await screenshots(page, "view-as-read-only");
  // The server still refuses: a form submitted regardless ends on the read-only page, the quote as it was.
  await decision.evaluate((form: HTMLFormElement) => form.requestSubmit());
  await expect(page.getByTestId("error-page")).toContainText("Read-only while viewing as");
  await expect(page.getByTestId("error-page")).toHaveAttribute("data-status", "403");
  await expect(banner).toBeVisible();
  expect((await sql<{ status: string }>(`SELECT status FROM quotes WHERE id = $1`, [quote.id]))[0].status).toBe(quote.status);

  // So is filing a ticket.
  await page.goto("/support/new");
  await expect(page.getByRole("button", { name: "Ticket senden" })).toBeDisabled();
  await expect(page.getByLabel("Betreff")).toBeDisabled();
  await expect(page.getByLabel("Nachricht")).toBeDisabled();
  await expect(page.getByTestId("read-only-note")).toHaveText(/^Read-only while viewing as .+/);

  // Exit by keyboard: back on the account's admin page, the replica of the view gone.
  const exit = banner.getByRole("button", { name: "Exit" });
  await exit.focus();
  await expect(exit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/admin/accounts/${kessler.id}$`));
  await expect(page.getByTestId("view-as-banner")).toHaveCount(0);
  await expect(page.getByTestId("contacts-table")).toBeVisible();
  const replicaFiles = await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const replicas = await root.getDirectoryHandle(".ledgerlight-replicas").catch(() => null);
    const names: string[] = [];
    if (replicas) for await (const name of (replicas as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  });
  expect(replicaFiles).toEqual([]);
  await screenshots(page, "view-as-exited");

  const audit = await sql<{ action: string; details: Record<string, unknown> }>(
    `SELECT e.action, e.details FROM audit_events e JOIN users u ON u.id = e.actor_user_id
      WHERE u.email = 'support@brandt-soehne.example' AND e.action LIKE 'impersonation.%' ORDER BY e.id DESC LIMIT 2`,
  );
  expect(audit.map((a) => a.action)).toEqual(["impersonation.ended", "impersonation.started"]);
  expect(audit[1].details).toMatchObject({ reason: "E2E: customer cannot find a quote" });
  // That the buyer's own last sign-in stays as it was is test/view-as.test.ts's to check: here other
  // specs sign in as the buyer at the same time (CI caught this spec comparing their sign-ins).

  // The same forms for the buyer themself, in this browser after Exit: enabled, no note.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "buyer@kessler.example");
  await page.goto(`/quotes/${quote.id}`);
  await expect(page.getByRole("button", { name: "Angebot annehmen" }).first()).toBeEnabled();
  await expect(page.getByLabel("Ihre Bestellnummer").first()).toBeEnabled();
  await expect(page.getByTestId("read-only-note")).toHaveCount(0);
  await page.goto("/support/new");
  await expect(page.getByRole("button", { name: "Ticket senden" })).toBeEnabled();
  await expect(page.getByLabel("Betreff")).toBeEnabled();
  await expect(page.getByTestId("read-only-note")).toHaveCount(0);
});
