import { expect, test, type Browser } from "@playwright/test";
import { firstLink, waitForMail } from "./support/mail";
import { screenshots, signIn } from "./support/fixtures";

async function inviteContact(browser: Browser, email: string, name: string) {
  const staff = await browser.newPage();
  await signIn(staff, "admin@brandt-soehne.example");
  await expect(staff).toHaveURL(/\/admin$/);
  await staff.getByRole("searchbox").fill("Kessler Haustechnik GmbH");
  await staff.keyboard.press("Enter");
  await staff.getByRole("link", { name: "Kessler Haustechnik GmbH", exact: true }).click();
  await screenshots(staff, "admin-account");
  await staff.getByLabel("Name", { exact: true }).fill(name);
  await staff.getByLabel("Email", { exact: true }).fill(email);
  await staff.getByLabel("Role").selectOption("viewer");
  await staff.getByLabel("Language").selectOption("en");
  await staff.getByRole("button", { name: "Send invitation" }).click();
  await expect(staff.getByRole("status")).toContainText(`Invitation sent to ${email}`);
  return staff;
}

test("staff invites a contact; the mail arrives over SMTP; the link sets a password; the contact signs in", async ({ browser }) => {
  // Two browser contexts, an SMTP round trip and screenshots at three widths: 25–31 s on a loaded CI machine.
  test.setTimeout(90_000);
  const email = `new.viewer.${Date.now()}@kessler.example`;
  const staff = await inviteContact(browser, email, "Nina Neu");
  await staff.close();

  const mail = await waitForMail(email);
  expect(mail.subject).toContain("customer portal");
  const contact = await browser.newPage();
  await contact.goto(firstLink(mail.text));
  await expect(contact.getByText("Nina Neu, set a password")).toBeVisible();
  await contact.getByLabel("New password").fill("short");
  await contact.getByLabel("Repeat the password").fill("short");
  await contact.getByRole("button", { name: "Activate access" }).click();
  await expect(contact.getByRole("alert").first()).toContainText("New password must be at least 10 characters");

  await contact.getByLabel("New password").fill("correct horse battery");
  await contact.getByLabel("Repeat the password").fill("correct horse battery");
  await contact.getByRole("button", { name: "Activate access" }).click();
  await expect(contact).toHaveURL(/\/overview$/);
  await contact.getByRole("button", { name: "Sign out" }).click();
  await expect(contact).toHaveURL(/\/login$/);

  await signIn(contact, email, "correct horse battery");
  await expect(contact).toHaveURL(/\/overview$/);
  // The link is single-use.
  await contact.goto(firstLink(mail.text));
  await expect(contact.getByRole("heading", { level: 1 })).toContainText("invalid");
});

test("disabling a signed-in contact ends their session on the next request", async ({ browser }) => {
  // Two browser contexts, an SMTP round trip and screenshots at three widths: 25–31 s on a loaded CI machine.
  test.setTimeout(90_000);
  const email = `disable.me.${Date.now()}@kessler.example`;
  const staff = await inviteContact(browser, email, "Dora Disabled");
  const contactContext = await browser.newContext();
  const contact = await contactContext.newPage();
  await contact.goto(firstLink((await waitForMail(email)).text));
  await contact.getByLabel("New password").fill("another long password");
  await contact.getByLabel("Repeat the password").fill("another long password");
  await contact.getByRole("button", { name: "Activate access" }).click();
  await expect(contact).toHaveURL(/\/overview$/);

  await staff.reload();
  const row = staff.locator(`tr[data-email="${email}"]`);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(staff.getByRole("status")).toContainText("disabled");

  await contact.goto("/orders");
  await expect(contact).toHaveURL(/\/login\?redirectTo=%2Forders/);
  await signIn(contact, email, "another long password").catch(() => undefined);
  await expect(contact.getByRole("alert")).toContainText("Email or password is incorrect");
  await contactContext.close();
  await staff.close();
});
