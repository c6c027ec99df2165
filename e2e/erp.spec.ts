import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

/** ERP connectivity in admin, in the browser: accessible pages, a key shown once, a CSV upload followed to its end. */

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(" ")})`)).toEqual([]);
}

test("ERP admin pages are accessible", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "admin@brandt-soehne.example");
  for (const path of ["/admin/erp/runs", "/admin/erp/rejected", "/admin/erp/upload", "/admin/erp/sources", "/admin/erp/keys", "/admin/erp/webhooks"]) {
    await page.goto(path);
    await expectNoSeriousA11yViolations(page);
  }
  await screenshots(page, "admin-erp-webhooks");
});

test("a new API key is shown once", async ({ page }) => {
  await signIn(page, "admin@brandt-soehne.example");
  await page.goto("/admin/erp/keys");
  await page.getByLabel("Name").fill("E2E key");
  await page.getByRole("button", { name: "Create key" }).click();
  const notice = page.getByTestId("new-api-key");
  await expect(notice).toContainText(/llk_[A-Za-z0-9_-]{32}/);
  const key = (await notice.locator("pre").textContent())!.trim();
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.getByTestId("api-keys")).toContainText(key.slice(0, 12));
  await expect(page.getByTestId("api-keys")).not.toContainText(key);
});

test("a CSV upload shows its run until it is done", async ({ page }) => {
  await signIn(page, "admin@brandt-soehne.example");
  await page.goto("/admin/erp/upload");
  const rows = ["Beleg-ID;Version;Debitor;Rechnungsnummer;Rechnungsdatum;Währung;Position;Bezeichnung;Menge;Einzelpreis;USt-Kategorie;USt-Satz"];
  for (let i = 1; i <= 40; i++) rows.push(`E2E-${i};1;0000010001;E2E-INV-${i};31.01.2026;EUR;1;Pumpe groß;1.000;1.234,56;S;19`);
  rows.push("E2E-BAD;1;0000010001;E2E-INV-BAD;31.02.2026;EUR;1;Pumpe;1;1,00;S;19");
  await page.getByLabel("Column mapping").selectOption("german");
  await page.getByLabel("CSV file").setInputFiles({ name: "rechnungen.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\r\n"), "latin1") });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(page).toHaveURL(/\/admin\/erp\/runs\?run=/);
  const detail = page.getByTestId("run-detail");
  await expect(detail).toContainText("partial", { timeout: 20_000 });
  await expect(detail).toContainText("inserted 40");
  await expect(detail.locator("progress")).toHaveAttribute("value", "1");
  await expect(page.getByRole("link", { name: /Download the rejected rows/ })).toBeVisible();
  const stored = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM invoices WHERE erp_id LIKE 'E2E-%'`);
  expect(stored[0].n).toBe(40);
});
