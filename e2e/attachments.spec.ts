import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

/** A photo of "damaged goods" drawn on a canvas: real PNG bytes as a phone would send them. */
async function damagePhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 220;
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#e8e2d4";
    g.fillRect(0, 0, 320, 220);
    g.fillStyle = "#b08850";
    g.fillRect(50, 40, 220, 140);
    g.strokeStyle = "#3a2a10";
    g.lineWidth = 4;
    g.beginPath();
    g.moveTo(120, 40);
    g.lineTo(150, 100);
    g.lineTo(130, 130);
    g.lineTo(170, 180);
    g.stroke();
    g.fillStyle = "#c00";
    g.font = "bold 20px sans-serif";
    g.fillText("Riss", 190, 80);
    return canvas.toDataURL("image/png");
  });
  return Buffer.from(dataUrl.split(",")[1], "base64");
}

/** A delivery note with the driver's remark, printed by Chromium: real PDF bytes. */
async function deliveryNotePdf(page: Page): Promise<Buffer> {
  const printer = await page.context().newPage();
  await printer.setContent("<h1>Lieferschein LS-4711</h1><p>Vermerk des Fahrers: Karton beschädigt angenommen.</p>");
  const pdf = await printer.pdf({ format: "A5" });
  await printer.close();
  return pdf;
}

/** A staff member's own window on an admin page. */
async function staffPageOf(browser: Browser, email: string, url: string): Promise<Page> {
  const staff = await browser.newPage();
  await staff.setViewportSize({ width: 1366, height: 860 });
  await signIn(staff, email);
  await staff.goto(url);
  return staff;
}

const EXE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(126, 0x90), Buffer.from("PE\0\0"), Buffer.alloc(64, 0)]);

test("a buyer attaches a photo and a delivery note to a ticket, sees them in the thread and downloads the same bytes; staff attach a return label", async ({ page, browser }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1366, height: 860 });
  await signIn(page, "buyer@kessler.example"); // German
  const photo = await damagePhoto(page);
  const note = await deliveryNotePdf(page);

  await page.goto("/support/new");
  await page.getByLabel("Betreff").fill("Ware beschädigt angekommen");
  await page.getByLabel("Nachricht").fill("Karton eingedrückt, Fotos und Lieferschein anbei.");
  const files = page.getByLabel("Anhänge");
  // A program renamed .pdf is refused by its content; the typed text stays.
  await files.setInputFiles([
    { name: "schaden.png", mimeType: "image/png", buffer: photo },
    { name: "lieferschein.pdf", mimeType: "application/pdf", buffer: EXE },
  ]);
  await page.getByRole("button", { name: "Ticket senden" }).click();
  await expect(page.locator("#field-files-error")).toContainText("„lieferschein.pdf“ wird nicht angenommen: der Inhalt ist application/x-msdownload (.exe)");
  await expect(page.getByLabel("Betreff")).toHaveValue("Ware beschädigt angekommen");
  await expect(page.getByLabel("Nachricht")).toHaveValue("Karton eingedrückt, Fotos und Lieferschein anbei.");
  await screenshots(page, "attachments-refused");

  await files.setInputFiles([
    { name: "schaden.png", mimeType: "image/png", buffer: photo },
    { name: "lieferschein.pdf", mimeType: "application/pdf", buffer: note },
  ]);
  await page.getByRole("button", { name: "Ticket senden" }).click();
  await expect(page).toHaveURL(/\/support\/[0-9a-f-]{36}/);
  const thread = page.getByTestId("ticket-thread");
  await expect(thread.getByTestId("attachment")).toHaveCount(2);
  await expect(thread.getByRole("link", { name: "schaden.png herunterladen" })).toBeVisible();
  await expect(thread.getByRole("link", { name: "lieferschein.pdf herunterladen" })).toBeVisible();
  // The photo's thumbnail loads from the download route.
  const thumbnail = thread.locator(".thumb img");
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);

  // Download the PDF: the same bytes come back, under its name.
  const [download] = await Promise.all([page.waitForEvent("download"), thread.getByRole("link", { name: "lieferschein.pdf herunterladen" }).click()]);
  expect(download.suggestedFilename()).toBe("lieferschein.pdf");
  expect((await readFile(await download.path())).equals(note)).toBe(true);
  const href = await thread.getByRole("link", { name: "schaden.png herunterladen" }).getAttribute("href");
  const png = await page.request.get(href ?? "");
  expect(png.headers()["x-content-type-options"]).toBe("nosniff");
  expect((await png.body()).equals(photo)).toBe(true);
  const ticketUrl = page.url().replace(/\?.*$/, "");

  // Staff answer with a return label; the buyer sees it beside the answer.
  const staff = await staffPageOf(browser, "support@brandt-soehne.example", ticketUrl.replace("/support/", "/admin/tickets/"));
  await staff.getByLabel("Answer or note").fill("Bitte senden Sie die Ware mit dem beiliegenden Retourenlabel zurück.");
  await staff.getByLabel("Attachments (e.g. a return label)").setInputFiles([{ name: "retourenlabel.pdf", mimeType: "application/pdf", buffer: note }]);
  await staff.getByRole("button", { name: "Save" }).click();
  await expect(staff.getByRole("status")).toContainText("Saved.");
  await expect(staff.getByTestId("ticket-thread").getByTestId("attachment")).toHaveCount(3);
  await screenshots(staff, "attachments-admin-ticket");
  await staff.close();

  await page.goto(ticketUrl);
  await expect(thread.getByRole("link", { name: "retourenlabel.pdf herunterladen" })).toBeVisible();
  await screenshots(page, "attachments-ticket-thread");
});

test("a buyer attaches a photo to a return request; staff approve it with a return label; both show on the request's page", async ({ page, browser }) => {
  test.setTimeout(60_000);
  const [line] = await sql<{ orderId: string }>(
    `SELECT o.id AS "orderId" FROM sales_orders o JOIN accounts a ON a.id = o.account_id JOIN sales_order_lines l ON l.sales_order_id = o.id
      WHERE a.number = '10004' AND o.status IN ('shipped', 'completed') AND l.line_no = 1 AND l.quantity_shipped >= 1
        AND NOT EXISTS (SELECT 1 FROM return_requests r WHERE r.sales_order_id = o.id)
        -- returns-tickets.spec.ts cancels a request of an Esbjerg order, maybe at the same time: take another location's.
        AND o.location_id IS NOT NULL AND o.location_id NOT IN (SELECT id FROM locations WHERE code = 'EBJ')
      ORDER BY o.order_date DESC LIMIT 1`,
  );
  await page.setViewportSize({ width: 1366, height: 860 });
  await signIn(page, "buyer@nordhavn.example"); // English
  const photo = await damagePhoto(page);
  const label = await deliveryNotePdf(page);
  await page.goto(`/orders/${line.orderId}/return`);
  await page.getByLabel("Line 1 quantity to return", { exact: true }).fill("1");
  await page.getByLabel("Reason").selectOption({ label: "Damaged" });
  await page.getByLabel("Comment").fill("Housing cracked on arrival, photo attached.");
  await page.getByLabel("Attachments").setInputFiles([{ name: "crack.png", mimeType: "image/png", buffer: photo }]);
  await page.getByRole("button", { name: "Submit return request" }).click();
  await expect(page).toHaveURL(/\/returns\/[0-9a-f-]{36}/);
  const list = page.getByRole("list", { name: "Attachments" });
  await expect(list.getByTestId("attachment")).toHaveCount(1);
  await expect(list).toContainText("crack.png");
  await expect(list).toContainText("PNG");
  await expect.poll(() => list.locator(".thumb img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  const returnUrl = page.url().replace(/\?.*$/, "");

  const staff = await staffPageOf(browser, "sales@brandt-soehne.example", returnUrl.replace("/returns/", "/admin/returns/"));
  await staff.getByLabel("Note to the customer").fill("Approved: please use the attached return label.");
  await staff.getByLabel("Attachments for the customer (e.g. a return label)").setInputFiles([
    { name: "return-label.pdf", mimeType: "application/pdf", buffer: label },
  ]);
  await staff.getByRole("button", { name: "Approve" }).click();
  await expect(staff.getByRole("status")).toContainText("approved");
  await expect(staff.getByRole("list", { name: "Attachments" }).getByTestId("attachment")).toHaveCount(2);
  await staff.close();

  await page.goto(returnUrl);
  await expect(list.getByTestId("attachment")).toHaveCount(2);
  await expect(list.getByTestId("attachment").nth(1)).toContainText("return-label.pdf");
  await expect(list.getByTestId("attachment").nth(1)).toContainText("from us");
  await screenshots(page, "attachments-return-page");
});
