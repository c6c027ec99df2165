import { expect, test } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

test("a contact sees exactly their own account's orders and invoices", async ({ page }) => {
  // Four pages and their screenshots; as the first spec of a CI run on a slow machine it took over 30 s.
  test.setTimeout(90_000);
  await signIn(page, "buyer@kessler.example");
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Übersicht|Overview/);
  await screenshots(page, "overview");

  const [kessler] = await sql<{ id: string }>(`SELECT id FROM accounts WHERE number = '10001'`);
  const expectedOrders = await sql<{ number: string }>(`SELECT number FROM sales_orders WHERE account_id = $1 ORDER BY number`, [kessler.id]);
  await page.goto("/orders");
  const shownOrders = (await page.getByTestId("orders-table").locator("tbody tr td:first-child").allTextContents()).sort();
  expect(shownOrders).toEqual(expectedOrders.map((o) => o.number).sort());
  await screenshots(page, "orders");

  const expectedInvoices = await sql<{ number: string }>(`SELECT number FROM invoices WHERE account_id = $1`, [kessler.id]);
  await page.goto("/invoices");
  const shownInvoices = await page.getByTestId("invoices-table").locator("tbody tr td:first-child a").allTextContents();
  expect(shownInvoices.sort()).toEqual(expectedInvoices.map((i) => i.number).sort());

  const [open] = await sql<{ amount: string }>(
    `SELECT coalesce(sum(amount_due), 0)::numeric(14,2)::text AS amount FROM invoices
      WHERE account_id = $1 AND kind = 'invoice' AND status IN ('open','partially_paid') AND currency = 'EUR'`,
    [kessler.id],
  );
  await page.goto("/overview");
  const shown = await page.getByTestId("open-balance-EUR").textContent();
  expect(Number(shown!.replace(/[^\d,.-]/g, "").replace(/\./g, "").replace(",", "."))).toBeCloseTo(Number(open.amount), 2);

  // Open credit notes are shown apart, and the balance is open invoices minus them.
  const [credit] = await sql<{ amount: string }>(
    `SELECT coalesce(sum(amount_due), 0)::numeric(14,2)::text AS amount FROM invoices
      WHERE account_id = $1 AND kind = 'credit_note' AND status IN ('open','partially_paid') AND currency = 'EUR'`,
    [kessler.id],
  );
  expect(Number(credit.amount)).toBeGreaterThan(0);
  const creditLine = await page.getByTestId("credit-EUR").textContent();
  const amounts = [...creditLine!.matchAll(/-?[\d.]+,\d{2}/g)].map((m) => Number(m[0].replace(/\./g, "").replace(",", ".")));
  expect(amounts[0]).toBeCloseTo(-Number(credit.amount), 2);
  expect(amounts[1]).toBeCloseTo(Number(open.amount) - Number(credit.amount), 2);

  // The month chart's last column: this month's invoices minus its credit notes (gross), as Postgres
  // sums them. Polled: another spec's ERP import may add this month's invoices meanwhile, and the
  // page follows them live.
  await expect
    .poll(async () => {
      const [month] = await sql<{ amount: string }>(
        `SELECT coalesce(sum(CASE WHEN kind = 'credit_note' THEN -gross_amount ELSE gross_amount END), 0)::numeric(14,2)::text AS amount
           FROM invoices WHERE account_id = $1 AND currency = 'EUR' AND kind IN ('invoice', 'credit_note')
            AND issue_date >= date_trunc('month', current_date) AND issue_date <= current_date`,
        [kessler.id],
      );
      const chart = await page.getByTestId("invoiced-EUR").getAttribute("aria-label");
      const lastMonth = chart!.split(", ").at(-1)!.match(/(-?[\d.]+,\d{2})/)![1];
      return Number(lastMonth.replace(/\./g, "").replace(",", ".")).toFixed(2) === Number(month.amount).toFixed(2);
    }, { timeout: 15_000 })
    .toBe(true);

  const [invoice] = await sql<{ id: string }>(`SELECT id FROM invoices WHERE account_id = $1 ORDER BY issue_date DESC LIMIT 1`, [kessler.id]);
  await page.goto(`/invoices/${invoice.id}`);
  await expect(page.getByTestId("amount-due")).toBeVisible();
  await screenshots(page, "invoice");
});

test("another account's order answers 404, exactly like one that does not exist", async ({ page }) => {
  await signIn(page, "buyer@kessler.example");
  const [foreign] = await sql<{ id: string }>(
    `SELECT o.id FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10004' LIMIT 1`,
  );
  const foreignResponse = await page.goto(`/orders/${foreign.id}`);
  expect(foreignResponse?.status()).toBe(404);
  const foreignText = await page.locator("h1").textContent();
  const missingResponse = await page.goto(`/orders/00000000-0000-4000-8000-000000000000`);
  expect(missingResponse?.status()).toBe(404);
  expect(await page.locator("h1").textContent()).toBe(foreignText);
  expect((await page.goto(`/orders/not-a-uuid`))?.status()).toBe(404);
  // Inside the portal's shell: the contact keeps the navigation and goes on from there.
  await expect(page.getByTestId("error-page")).toHaveAttribute("data-status", "404");
  await expect(page.locator("h1")).toHaveText("Nicht gefunden");
  await page.getByRole("complementary", { name: "Main" }).getByRole("link", { name: /Aufträge/ }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByTestId("error-page")).toHaveCount(0);
});

test("a contact with two accounts switches between them", async ({ page }) => {
  await signIn(page, "group@kessler.example");
  const switcher = page.getByLabel(/Switch account|Konto wechseln/);
  await expect(switcher).toBeVisible();
  const [lumiere] = await sql<{ id: string; name: string }>(`SELECT id, name FROM accounts WHERE number = '10003'`);
  await switcher.selectOption(lumiere.id);
  await expect(page.locator(".topbar strong")).toHaveText(lumiere.name);
  const expected = await sql<{ number: string }>(`SELECT number FROM sales_orders WHERE account_id = $1`, [lumiere.id]);
  await page.goto("/orders");
  const shown = await page.getByTestId("orders-table").locator("tbody tr td:first-child").allTextContents();
  expect(shown.sort()).toEqual(expected.map((o) => o.number).sort());
});

test("a contact cannot reach the admin area", async ({ page }) => {
  await signIn(page, "admin@kessler.example");
  expect((await page.goto("/admin"))?.status()).toBe(404);
});
