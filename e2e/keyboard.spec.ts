import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD, screenshots, signIn, sql } from "./support/fixtures";

/** Presses `key` until `target` has the focus (at most `max` times): Tab-walking, no mouse. */
async function pressUntilFocused(page: Page, key: string, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(target).toBeFocused();
}

test("keyboard only: find an overdue invoice and download its PDF", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/login");
  await page.getByLabel(/^(Email|E-Mail)$/).focus();
  await page.keyboard.type("finance@kessler.example");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(/^(Password|Passwort)$/)).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).not.toHaveURL(/\/login/);

  // The shortcuts listen once the page is hydrated; until then a key press does nothing.
  await expect(async () => {
    await page.keyboard.press("g");
    await page.keyboard.press("i");
    await expect(page).toHaveURL(/\/invoices$/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const table = page.getByTestId("invoices-table");
  await expect(table).toBeFocused();

  // Back from the table to the state filter, pick "overdue", Tab to the search button, Enter.
  const state = page.locator("#list-state");
  await pressUntilFocused(page, "Shift+Tab", state);
  for (let i = 0; i < 6 && (await state.inputValue()) !== "overdue"; i++) await page.keyboard.press("ArrowDown");
  await expect(state).toHaveValue("overdue");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/state=overdue/);
  await expect(table).toBeFocused();
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await table.locator("tbody tr td:nth-child(4)").allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(/overdue|überfällig/)]),
  );

  await page.keyboard.press("j");
  await page.keyboard.press("k");
  const number = (await rows.first().locator("td").first().locator("a").textContent())!;
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await expect(page.locator("h1")).toContainText(number);

  const pdf = page.getByTestId("pdf-download");
  await pressUntilFocused(page, "Tab", pdf, 80);
  const download = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  const saved = await download;
  // The browser hands a download no response object: ask the same URL for its content type.
  const head = await page.request.get(saved.url());
  expect(head.headers()["content-type"]).toBe("application/pdf");
  expect(head.headers()["content-disposition"]).toMatch(/^attachment;/);
  expect(saved.suggestedFilename()).toMatch(new RegExp(`^${number.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\\.pdf$`));
});

test("the lists are accessible and look right at desktop and phone width", async ({ page }) => {
  test.setTimeout(240_000); // axe walks every row (up to 300) of each list on a loaded machine
  await signIn(page, "admin@kessler.example");
  for (const list of ["orders", "invoices", "shipments", "documents", "quotes"]) {
    await page.goto(`/${list}`);
    await expect(page.getByTestId(`${list}-table`)).toBeFocused();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${list}: ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")})`)).toEqual([]);
    await screenshots(page, `list-${list}`);
  }
});

test("orders split view: j/k moves the focus, the preview pane follows, Enter opens the order", async ({ page }) => {
  test.setTimeout(90_000);
  // The narrowest width that still shows the pane (SplitView hides it below 1100 px).
  await page.setViewportSize({ width: 1120, height: 860 });
  await signIn(page, "buyer@nordhavn.example");
  await page.goto("/orders");
  const table = page.getByTestId("orders-table");
  await expect(table).toBeFocused(); // hydrated: the keys work from now on
  const numbers = await table.locator("tbody tr td:first-child").allTextContents();
  expect(numbers.length).toBeGreaterThan(3);
  const preview = page.getByTestId("order-preview");
  await expect(preview.locator("h2")).toContainText(numbers[0]);
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(preview.locator("h2")).toContainText(numbers[2]);
  // The lines come from the order page's own loaders (the replica once synced, the server before).
  await expect(preview.getByTestId("order-preview-lines").locator("tbody tr").first()).toBeVisible();
  // The lines fit the pane: no column runs past its right edge.
  const pane = await preview.boundingBox();
  const lines = await preview.getByTestId("order-preview-lines").boundingBox();
  expect(lines!.x + lines!.width).toBeLessThanOrEqual(pane!.x + pane!.width);
  await screenshots(page, "orders-split-view");
  await page.keyboard.press("k");
  await expect(preview.locator("h2")).toContainText(numbers[1]);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.locator("main h1")).toContainText(numbers[1]);
});

test("the palette opens a ticket, a return and a shipment on their own pages", async ({ page }) => {
  test.setTimeout(120_000);
  const [order] = await sql<{ id: string; accountId: string; locationId: string | null; shipmentId: string; shipmentNumber: string }>(
    `SELECT o.id, o.account_id AS "accountId", o.location_id AS "locationId", s.id AS "shipmentId", s.number AS "shipmentNumber"
       FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN shipments s ON s.sales_order_id = o.id
      WHERE a.number = '10001' ORDER BY o.order_date DESC LIMIT 1`,
  );
  const suffix = Date.now().toString(36).toUpperCase();
  const [ticket] = await sql<{ id: string; number: string }>(
    `INSERT INTO support_tickets (account_id, location_id, number, subject, category, related_entity_type, related_entity_id)
     VALUES ($1, $2, $3, 'Palette test', 'order', 'sales_order', $4) RETURNING id, number`,
    [order.accountId, order.locationId, `T-KB${suffix}`, order.id],
  );
  const [request] = await sql<{ id: string; number: string }>(
    `INSERT INTO return_requests (account_id, location_id, number, sales_order_id, reason) VALUES ($1, $2, $3, $4, 'damaged') RETURNING id, number`,
    [order.accountId, order.locationId, `RMA-KB${suffix}`, order.id],
  );
  await signIn(page, "admin@kessler.example");
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 90_000 });
  for (const [number, path] of [
    [ticket.number, `/support/${ticket.id}`],
    [request.number, `/returns/${request.id}`],
    [order.shipmentNumber, `/shipments/${order.shipmentId}`],
  ]) {
    await page.keyboard.press("Control+k");
    await page.getByRole("searchbox", { name: /Search documents|Dokumente suchen/ }).fill(number);
    await expect(page.getByRole("listbox").getByRole("option").first()).toContainText(number);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.locator("main h1")).toContainText(number);
  }
});
