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
