import { expect, test } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

test("staff take a ticket with 'Assign to me', hand it on, and find their own under 'Assigned to: Me'", async ({ page }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [ticket] = await sql<{ id: string; number: string }>(
    `INSERT INTO support_tickets (account_id, number, subject, category)
     SELECT a.id, $1, 'Lieferung unvollständig', 'delivery' FROM accounts a WHERE a.number = '10001' RETURNING id, number`,
    [`T-AS${suffix}`],
  );
  await signIn(page, "support@brandt-soehne.example");
  await page.goto("/admin/tickets");
  await page.getByLabel("Assigned to").selectOption({ label: "Nobody yet" });
  await expect(page).toHaveURL(/assigned=none/);
  await page.getByTestId("admin-tickets").getByRole("link", { name: ticket.number }).click();
  await expect(page.getByTestId("ticket-assignee")).toHaveText("Nobody");

  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.locator("main").getByRole("status")).toHaveText(`${ticket.number} is assigned to Aylin Demir.`);
  await expect(page.getByTestId("ticket-assignee")).toHaveText("Aylin Demir");
  await expect(page.getByRole("button", { name: "Assign to me" })).toHaveCount(0);
  await screenshots(page, "admin-ticket-assigned");

  await page.getByRole("link", { name: "← Support tickets" }).click();
  await page.getByLabel("Assigned to").selectOption({ label: "Me" });
  await expect(page).toHaveURL(/assigned=me/);
  const row = page.getByTestId("admin-tickets").getByRole("row", { name: new RegExp(ticket.number) });
  await expect(row).toContainText("Aylin Demir");
  // The status filter keeps the assignee filter.
  await page.getByLabel("Status").selectOption({ label: "All" });
  await expect(page).toHaveURL(/assigned=me/);
  await expect(row).toBeVisible();

  await row.getByRole("link", { name: ticket.number }).click();
  await page.getByLabel("Assign to", { exact: true }).selectOption({ label: "Florian Maier" });
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.locator("main").getByRole("status")).toHaveText(`${ticket.number} is assigned to Florian Maier, who gets a mail about it.`);
  await expect(page.getByTestId("ticket-assignee")).toHaveText("Florian Maier");
  const [stored] = await sql<{ assignee: string }>(
    `SELECT u.email AS assignee FROM support_tickets t JOIN users u ON u.id = t.assigned_to_user_id WHERE t.id = $1`,
    [ticket.id],
  );
  expect(stored.assignee).toBe("sales@brandt-soehne.example");
});

test("staff open a queued mail from the mail queue and read its text: the mail that told Florian Maier about the handed-over ticket", async ({ page }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const [ticket] = await sql<{ id: string; number: string }>(
    `INSERT INTO support_tickets (account_id, number, subject, category, priority)
     SELECT a.id, $1, 'Pumpe undicht', 'product', 'urgent' FROM accounts a WHERE a.number = '10001' RETURNING id, number`,
    [`T-MQ${suffix}`],
  );
  await signIn(page, "support@brandt-soehne.example");
  await page.goto(`/admin/tickets/${ticket.id}`);
  await page.getByLabel("Assign to", { exact: true }).selectOption({ label: "Florian Maier" });
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.locator("main").getByRole("status")).toContainText("who gets a mail about it");

  await page.goto("/admin/mail-queue");
  const row = page.getByTestId("mail-queue").getByRole("row").filter({ hasText: ticket.number });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("staff.ticket.assigned");
  await expect(row).toContainText("sales@brandt-soehne.example");
  // Keyboard: the subject is a link; focus it and press Enter.
  const link = row.getByRole("link", { name: new RegExp(`about ${ticket.number}`) });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/admin\/mail-queue\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Mail about ${ticket.number}`);
  await expect(page.getByTestId("mail-facts")).toContainText("sales@brandt-soehne.example");
  await expect(page.getByTestId("mail-text")).toContainText(`Aylin Demir hat Ihnen Ticket ${ticket.number} „Pumpe undicht“ von Kessler Haustechnik GmbH (10001) zugewiesen.`);
  await expect(page.getByTestId("mail-text")).toContainText(`/admin/tickets/${ticket.id}`);
  await screenshots(page, "admin-mail-queue-mail");
  await page.getByRole("link", { name: "← Mail queue" }).click();
  await expect(page).toHaveURL(/\/admin\/mail-queue$/);
});
