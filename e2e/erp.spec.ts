import AxeBuilder from "@axe-core/playwright";
import { createHash, randomBytes } from "node:crypto";
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

test("an invoice marked paid through the REST API shows as paid in a signed-in contact's open page within a second", { tag: "@latency" }, async ({ page }) => {
  test.setTimeout(150_000);
  // The open invoice due soonest (sync.spec.ts pays the newest one): paying it in full settles it.
  const [invoice] = await sql<{ id: string; erp_id: string; number: string; amount_due: string; currency: string }>(
    `SELECT i.id, i.erp_id, i.number, i.amount_due::text, i.currency FROM invoices i JOIN accounts a ON a.id = i.account_id
      WHERE a.number = '10001' AND i.kind = 'invoice' AND i.status = 'open' AND i.amount_due > 0 AND i.due_date >= current_date
      ORDER BY i.due_date, i.number LIMIT 1`,
  );
  const key = `llk_${randomBytes(24).toString("base64url")}`;
  await sql(`INSERT INTO api_keys (name, key_prefix, key_hash, scopes, rate_limit_per_minute) VALUES ('e2e paid', $1, $2, '{erp:write:payments}', 1000)`, [
    key.slice(0, 12),
    createHash("sha256").update(key).digest("hex"),
  ]);

  await signIn(page, "buyer@kessler.example");
  await page.goto(`/invoices/${invoice.id}`);
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 90_000 });
  await expect(page.locator("h1")).toContainText(/Offen|Open/);
  // The page notes the moment its heading first says paid (no polling delay in the measurement).
  await page.evaluate(() => {
    const seen = window as unknown as { paidSeenAt?: number };
    const check = () => {
      if (seen.paidSeenAt === undefined && /Bezahlt|Paid/.test(document.querySelector("h1")?.textContent ?? "")) seen.paidSeenAt = Date.now();
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const sent = Date.now();
  const response = await page.request.post("/api/erp/v1/payments", {
    headers: { Authorization: `Bearer ${key}` },
    data: {
      records: [
        {
          erpId: `ZA-E2E-${invoice.erp_id}`,
          erpVersion: 1,
          invoiceErpId: invoice.erp_id,
          paidAt: new Date().toISOString().slice(0, 10),
          amount: invoice.amount_due,
          currency: invoice.currency,
          method: "sepa_credit_transfer",
          reference: invoice.number,
        },
      ],
    },
  });
  const answered = Date.now();
  expect(response.status()).toBe(200);
  expect((await response.json()).results[0]).toMatchObject({ status: "accepted", action: "inserted" });

  await page.waitForFunction(() => (window as unknown as { paidSeenAt?: number }).paidSeenAt !== undefined, null, { timeout: 10_000 });
  const seenAt = await page.evaluate(() => (window as unknown as { paidSeenAt: number }).paidSeenAt);
  console.log(`API answered in ${answered - sent} ms; the open page showed paid ${seenAt - answered} ms after the answer`);
  expect(seenAt - answered).toBeLessThan(1000);
  await expect(page.locator("h1")).toContainText(/Bezahlt|Paid/);
});
