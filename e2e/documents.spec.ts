import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { readZip } from "../app/modules/documents/test-support";
import { screenshots, signIn, sql } from "./support/fixtures";

test("a finance contact downloads a ZUGFeRD PDF and an XRechnung UBL for an invoice", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "finance@kessler.example");
  const [invoice] = await sql<{ id: string; number: string }>(
    `SELECT i.id, i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice' ORDER BY i.issue_date DESC LIMIT 1`,
  );
  await page.goto(`/invoices/${invoice.id}`);
  const panel = page.getByTestId("invoice-downloads");
  // Kessler has no Leitweg-ID yet: XRechnung is disabled and says why.
  await expect(panel.getByTestId("einvoice-xrechnung-ubl")).toBeDisabled();
  await expect(panel.getByTestId("einvoice-xrechnung-ubl-reason")).toContainText("BR-DE-15");
  // Kessler reads German: the reason too, not the validator's English.
  await expect(panel.getByTestId("einvoice-xrechnung-ubl-reason")).toContainText("Käuferreferenz");
  await expect(panel.getByTestId("einvoice-xrechnung-ubl-reason")).not.toContainText("Buyer reference");
  await screenshots(page, "invoice-downloads");

  const zugferdDownload = page.waitForEvent("download");
  await panel.getByTestId("einvoice-zugferd-en16931").click();
  const zugferd = await zugferdDownload;
  expect(zugferd.suggestedFilename()).toBe(`${invoice.number}_invoice_zugferd-en16931.pdf`);
  const pdf = readFileSync((await zugferd.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.toString("latin1")).toContain("factur-x.xml");

  await sql(`UPDATE accounts SET buyer_reference = '08111000-12345-67' WHERE number = '10001'`);
  try {
    await page.reload();
    await expect(panel.getByTestId("einvoice-xrechnung-ubl")).toBeEnabled();
    const ublDownload = page.waitForEvent("download");
    await panel.getByTestId("einvoice-xrechnung-ubl").click();
    const ubl = await ublDownload;
    expect(ubl.suggestedFilename()).toBe(`${invoice.number}_invoice_xrechnung-ubl.xml`);
    const xml = readFileSync((await ubl.path())!, "utf8");
    expect(xml).toContain("<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>");
    expect(xml).toContain("<cbc:BuyerReference>08111000-12345-67</cbc:BuyerReference>");
    expect(xml).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
  } finally {
    await sql(`UPDATE accounts SET buyer_reference = NULL WHERE number = '10001'`);
  }

  const audited = await sql<{ format: string }>(
    `SELECT e.details->>'format' AS format FROM audit_events e JOIN users u ON u.id = e.actor_user_id
      WHERE u.email = 'finance@kessler.example' AND e.entity_id = $1 AND e.action = 'document.download' ORDER BY e.id`,
    [invoice.id],
  );
  expect(audited.map((a) => a.format)).toEqual(["zugferd-en16931", "xrechnung-ubl"]);
});

test("a finance contact bulk-downloads 50 invoices from search results as one ZIP", async ({ page }) => {
  // 50 first renders on a shared 2-core machine: allow more than the default 30 s.
  test.setTimeout(180_000);
  await signIn(page, "finance@kessler.example");
  await page.goto("/invoices");
  await page.getByRole("searchbox").fill("INV-");
  await page.getByRole("button", { name: /^(Search|Suchen)$/ }).click();
  await expect(page).toHaveURL(/q=INV-/);
  const boxes = page.getByTestId("invoices-table").locator('tbody input[type="checkbox"][name="ids"]');
  expect(await boxes.count()).toBeGreaterThanOrEqual(50);
  for (let i = 0; i < 50; i++) await boxes.nth(i).check();
  const button = page.getByTestId("download-selected");
  await expect(button).toContainText("50");
  // The checked ones, not the first 50: a live change (another spec's ERP import) can add rows above them meanwhile.
  const selected = await boxes.evaluateAll((els) => (els as HTMLInputElement[]).filter((el) => el.checked).map((el) => el.value));
  expect(selected).toHaveLength(50);

  const download = page.waitForEvent("download");
  await button.click();
  const zip = await download;
  expect(zip.suggestedFilename()).toMatch(/^documents_\d+\.zip$/);
  const entries = readZip(readFileSync((await zip.path())!));
  const pdfs = entries.filter((e) => e.name.endsWith(".pdf"));
  expect(pdfs).toHaveLength(50);
  const manifest = entries.find((e) => e.name === "manifest.csv")!.data.toString("utf8").trim().split("\n");
  expect(manifest).toHaveLength(51);
  const numbers = await sql<{ number: string }>(`SELECT number FROM invoices WHERE id = ANY($1::uuid[])`, [selected.map((v) => v.split(":")[1])]);
  for (const { number } of numbers) expect(pdfs.some((p) => p.name.startsWith(`${number}_`))).toBe(true);
  await expect(page.getByTestId("bulk-progress")).toContainText("50");
  await screenshots(page, "invoices-bulk");
});
