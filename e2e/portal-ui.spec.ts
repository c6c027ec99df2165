import { expect, test } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

// What a customer reads: words in their language, never the codes the database stores.
const RAW_CODES = /\b(sent|accepted|rejected|expired|damaged|approved|waiting_on_supplier|waiting on supplier|resolved|delivery|invoice)\b/;

test("quotes: a buyer accepts an open quote with a PO number; a bad PO number names the field", async ({ page }) => {
  test.setTimeout(60_000);
  const [quote] = await sql<{ id: string; number: string }>(
    `SELECT q.id, q.number FROM quotes q JOIN accounts a ON a.id = q.account_id
      WHERE a.number = '10001' AND q.status = 'sent' AND q.valid_until >= current_date ORDER BY q.issue_date DESC LIMIT 1`,
  );
  await signIn(page, "buyer@kessler.example"); // German
  await page.goto("/quotes");
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 45_000 });
  const table = page.getByTestId("quotes-table");
  const row = table.getByRole("row", { name: new RegExp(quote.number) });
  await expect(row).toContainText("Zur Entscheidung");
  await expect(table).not.toContainText(RAW_CODES);
  await row.click();
  const pane = page.getByTestId("quote-preview");
  await expect(pane).toContainText(quote.number);

  const po = pane.getByLabel("Ihre Bestellnummer");
  await po.fill("P".repeat(36));
  await pane.getByRole("button", { name: "Angebot annehmen" }).click();
  await expect(pane.getByRole("alert")).toHaveText("Ihre Bestellnummer darf höchstens 35 Zeichen haben");
  expect((await sql<{ status: string }>(`SELECT status FROM quotes WHERE id = $1`, [quote.id]))[0].status).toBe("sent");

  await po.fill("PO-E2E-4711");
  await pane.getByRole("button", { name: "Angebot annehmen" }).click();
  await expect(pane.getByRole("status")).toContainText(`Angebot ${quote.number} angenommen`);
  // A live change to another record re-reads the page (routes/_portal.tsx); the notice stays. React
  // Router drops action data on such a revalidation, and the notice used to vanish with it.
  const sync = page.getByTestId("sync-status");
  const commits = Number(await sync.getAttribute("data-commits"));
  await sql(
    `UPDATE shipments SET gross_weight_kg = coalesce(gross_weight_kg, 0) + 0.001 WHERE id = (
       SELECT s.id FROM shipments s JOIN accounts a ON a.id = s.account_id WHERE a.number = '10001' ORDER BY s.shipped_at NULLS LAST, s.number LIMIT 1)`,
  );
  await expect.poll(async () => Number(await sync.getAttribute("data-commits")), { timeout: 10_000 }).toBeGreaterThan(commits);
  await page.waitForTimeout(500); // the shell revalidates 16 ms after a commit; the loaders then read the replica
  await expect(pane.getByRole("status")).toContainText(`Angebot ${quote.number} angenommen`);
  // The list says so at once (the server's answer), not only once the replica has the change.
  await expect(row).toContainText("Angenommen");
  await expect(row).toContainText("PO-E2E-4711");
  await expect(pane.getByRole("button", { name: "Angebot annehmen" })).toHaveCount(0);
  const [stored] = await sql<{ status: string; ref: string; decisions: string }>(
    `SELECT status, customer_reference AS ref, (SELECT count(*) FROM quote_decisions d WHERE d.quote_id = q.id)::text AS decisions FROM quotes q WHERE id = $1`,
    [quote.id],
  );
  expect(stored).toEqual({ status: "accepted", ref: "PO-E2E-4711", decisions: "1" });

  // The replica has it too, not only after its next 15 s catch-up round (quotes are not a live shape
  // over HTTP/1.1): away and back, the list is read from the replica and shows the decision at once.
  await page.getByRole("link", { name: "Übersicht" }).first().click();
  await expect(page).toHaveURL(/\/overview$/);
  await page.getByRole("link", { name: "Angebote" }).first().click();
  await expect(page.getByTestId("quotes-table").getByRole("row", { name: new RegExp(quote.number) })).toContainText("Angenommen", { timeout: 1_000 });
});

test("returns, support and the sidebar show statuses, reasons, categories and roles in words", async ({ page }) => {
  await signIn(page, "admin@kessler.example");
  await page.goto("/returns");
  const returns = page.getByTestId("returns-table");
  await expect(returns).toContainText("Beschädigt");
  await expect(returns).toContainText("Genehmigt");
  await expect(returns).not.toContainText(RAW_CODES);
  await expect(returns.getByRole("columnheader", { name: "Grund" })).toBeVisible();
  await page.goto("/support");
  const tickets = page.getByTestId("tickets-table");
  await expect(tickets).toContainText("In Bearbeitung");
  await expect(tickets).toContainText("Lieferung");
  await expect(tickets).not.toContainText(RAW_CODES);
  await expect(page.locator(".sidebar .who")).toContainText("· Admin");
  // A cell's tooltip (and the CSV export) carries the same words, not the status code.
  await page.goto("/orders");
  const orders = page.getByTestId("orders-table");
  await expect(orders.locator('td[title="Teilgeliefert"]').first()).toBeAttached();
  await expect(orders.locator('td[title="partially_shipped"], td[title="completed"]')).toHaveCount(0);
});

test("invoice and shipment pages: titles, labels and carrier read right; rows span the table", async ({ page }) => {
  const [ids] = await sql<{ invoice: string; number: string; shipment: string }>(
    `SELECT (SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice' AND i.payment_terms IS NOT NULL ORDER BY i.issue_date DESC LIMIT 1) AS invoice,
            (SELECT i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice' AND i.payment_terms IS NOT NULL ORDER BY i.issue_date DESC LIMIT 1) AS number,
            (SELECT s.id FROM shipments s JOIN accounts a ON a.id = s.account_id WHERE a.number = '10001' AND s.service LIKE s.carrier || '%' ORDER BY s.shipped_at DESC NULLS LAST LIMIT 1) AS shipment`,
  );
  await signIn(page, "finance@kessler.example");
  await page.goto(`/invoices/${ids.invoice}`);
  await expect(page.locator("main h1")).toContainText(`Rechnung ${ids.number}`);
  const facts = page.locator("main dl.facts");
  await expect(facts).toContainText("Zahlungsbedingungen");
  await expect(facts).not.toContainText(/Terms|Nummer/);
  await expect(page.locator("main")).toContainText("Regelsteuersatz"); // VAT category S in words
  await expect(page.locator("main")).toContainText("19 %");

  await page.goto(`/shipments/${ids.shipment}`);
  const carrier = page.locator("main dl.facts dd").nth(1);
  const [shipment] = await sql<{ carrier: string; service: string }>(`SELECT carrier, service FROM shipments WHERE id = $1`, [ids.shipment]);
  await expect(carrier).toHaveText(shipment.service);
  await expect(page.getByRole("link", { name: /^DN-/ }).first()).toHaveAttribute("href", /^\/documents\/delivery-notes\/[0-9a-f-]{36}\/pdf$/);
  await page.getByRole("link", { name: /^SO-/ }).first().click();
  const shipmentsPanel = page.locator("section.panel", { has: page.getByRole("heading", { name: "Lieferungen" }) });
  await expect(shipmentsPanel.getByRole("columnheader")).toHaveText(["Lieferung", "Spediteur", "Sendungsnummer", "Status", "Versandt"]);

  await page.goto("/invoices");
  const scroller = page.getByTestId("invoices-table");
  const firstRow = scroller.locator("tbody tr[role=row]").first();
  await expect(firstRow).toBeVisible();
  const [box, rowBox] = [await scroller.boundingBox(), await firstRow.boundingBox()];
  // The row (and its highlight) reaches the table's right edge; before, it stopped after the last column.
  expect(rowBox!.x + rowBox!.width).toBeGreaterThan(box!.x + box!.width - 20);

  // The order number links to its order; Enter on the table still opens the focused invoice.
  const orderLink = scroller.locator("tbody").getByRole("link", { name: /^SO-/ }).first();
  await expect(orderLink).toHaveAttribute("href", /^\/orders\/[0-9a-f-]{36}$/);
  await scroller.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await page.goBack();
  const orderNumber = await orderLink.innerText();
  await orderLink.click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.locator("main h1")).toContainText(orderNumber);
});

test("overview: counts in singular and plural, a link to every overdue invoice", async ({ page }) => {
  await signIn(page, "finance@kessler.example");
  await page.goto("/overview");
  const heading = page.getByTestId("activity").locator("h2");
  await expect(heading).toContainText(/\d+ (Auftrag|Aufträge), \d+ (Rechnung|Rechnungen), \d+ (Lieferung|Lieferungen)/);
  await expect(heading).not.toContainText(/\b1 (Aufträge|Rechnungen|Lieferungen)\b/);
  await expect(heading).not.toContainText(/\b([02-9]|\d\d+) (Auftrag|Rechnung|Lieferung)\b/);
  // The EUR card counts every overdue invoice; the list below shows the first 8 of them.
  const badge = await page.getByTestId("overdue-EUR").innerText();
  const count = Number(/\((\d+)\)/.exec(badge)?.[1]);
  expect(count).toBeGreaterThan(8);
  await expect(page.locator("section", { has: page.getByTestId("all-overdue") }).locator("tbody tr")).toHaveCount(8);
  await expect(page.getByTestId("all-overdue")).toHaveText(`alle ${count} →`);
  await page.getByTestId("all-overdue").click();
  await expect(page).toHaveURL(/\/invoices\?state=overdue$/);
});

test("the statement of account is a section of its own for roles that may read it (g a), not for buyers", async ({ page, browser }) => {
  await signIn(page, "finance@kessler.example");
  await expect(page.locator(".sidebar nav")).toContainText("Kontoauszug");
  await expect(async () => {
    await page.keyboard.press("g");
    await page.keyboard.press("a");
    await expect(page).toHaveURL(/\/statements$/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });

  const buyer = await (await browser.newContext()).newPage();
  await signIn(buyer, "buyer@kessler.example");
  await expect(buyer.locator(".sidebar nav")).not.toContainText("Kontoauszug");
  await buyer.keyboard.press("g");
  await buyer.keyboard.press("a");
  await buyer.waitForTimeout(500);
  await expect(buyer).not.toHaveURL(/\/statements/);
});

test("a viewer's overview says nothing about invoices (they cannot see any)", async ({ page }) => {
  await signIn(page, "viewer@kessler.example");
  await page.goto("/overview");
  await expect(page.getByRole("heading", { name: "Neueste Aufträge" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/Überfällige Rechnungen|Nichts überfällig/);
});

test("quotes: the pane shows a quote's lines, Enter opens its page with all of them, and the buyer declines it there", async ({ page }) => {
  test.setTimeout(90_000);
  // A fresh open quote with 14 lines (more than the pane shows), made before signing in: the first sync brings it.
  const suffix = Date.now().toString(36).toUpperCase();
  const [quote] = await sql<{ id: string; number: string }>(
    `INSERT INTO quotes (erp_id, account_id, location_id, number, issue_date, valid_until, currency, net_amount, tax_amount, gross_amount, note)
     SELECT $1, a.id, (SELECT q2.location_id FROM quotes q2 WHERE q2.account_id = a.id AND q2.status = 'sent' ORDER BY q2.issue_date DESC LIMIT 1), $2, current_date, current_date + 30,
            'EUR', 1400.00, 266.00, 1666.00, 'Lieferung in zwei Abrufen möglich.'
       FROM accounts a WHERE a.number = '10001' RETURNING id, number`,
    [`E2E-QT-${suffix}`, `QT-E2E-${suffix}`],
  );
  await sql(
    `INSERT INTO quote_lines (account_id, location_id, quote_id, line_no, sku, description, quantity, unit, unit_price, discount_percent, vat_rate, net_amount)
     SELECT q.account_id, q.location_id, q.id, n, 'SKU-E2E-' || n, 'Position ' || n, 10, 'C62', 10.00, CASE WHEN n = 1 THEN 5 ELSE 0 END, 19, 100.00
       FROM quotes q, generate_series(1, 14) n WHERE q.id = $1`,
    [quote.id],
  );
  await signIn(page, "buyer@kessler.example"); // German
  await page.goto("/quotes");
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 45_000 });
  const table = page.getByTestId("quotes-table");
  await table.getByRole("row", { name: new RegExp(quote.number) }).getByRole("gridcell", { name: "Zur Entscheidung" }).click();
  const pane = page.getByTestId("quote-preview");
  await expect(pane.getByRole("row", { name: /SKU-E2E-8\b/ })).toBeVisible();
  await expect(pane.getByRole("row", { name: /SKU-E2E-9\b/ })).toHaveCount(0);
  await expect(pane).toContainText("6 weitere auf der Seite des Angebots");
  await screenshots(page, "quote-pane");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/quotes/${quote.id}$`));
  await expect(page.locator("main h1")).toContainText(`Angebot ${quote.number}`);
  await expect(page.locator("main").getByRole("row", { name: /SKU-E2E-14\b/ })).toBeVisible();
  await expect(page.locator("main").getByRole("row", { name: /SKU-E2E-1\b/ })).toContainText("5 %");
  await expect(page.locator("main")).toContainText("Lieferung in zwei Abrufen möglich.");
  await screenshots(page, "quote-page");

  await page.getByLabel("Hinweis an unseren Vertrieb").fill("Preis zu hoch.");
  await page.getByRole("button", { name: "Ablehnen" }).click();
  await expect(page.locator("main").getByRole("status")).toContainText(`Angebot ${quote.number} abgelehnt`);
  await expect(page.locator("main h1")).toContainText("Abgelehnt");
  await expect(page.getByRole("button", { name: "Ablehnen" })).toHaveCount(0);
  const [stored] = await sql<{ status: string; comment: string }>(
    `SELECT q.status, d.comment FROM quotes q JOIN quote_decisions d ON d.quote_id = q.id WHERE q.id = $1`,
    [quote.id],
  );
  expect(stored).toEqual({ status: "rejected", comment: "Preis zu hoch." });
});
