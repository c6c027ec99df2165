import { expect, test, type Page } from "@playwright/test";
import { screenshots, signIn, sql } from "./support/fixtures";

/** Waits until the local replica has synced every shape and built its search index. */
async function waitForReplica(page: Page) {
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 90_000 });
}

/** The palette's result list (its filter selects have options too). */
function results(page: Page) {
  return page.getByRole("listbox").getByRole("option");
}

async function paletteSearch(page: Page, text: string) {
  await page.keyboard.press("Control+k");
  const box = page.getByRole("searchbox", { name: /Search documents|Dokumente suchen/ });
  await box.fill(text);
  return box;
}

test.describe.configure({ mode: "serial" });

test("the replica syncs, and search finds an invoice by number prefix, by PO and by SKU", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "buyer@kessler.example");
  await waitForReplica(page);
  const [invoice] = await sql<{ id: string; number: string }>(
    `SELECT i.id, i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice'
      ORDER BY i.issue_date DESC LIMIT 1`,
  );
  const box = await paletteSearch(page, invoice.number.slice(0, -1));
  await expect(page.getByTestId("palette-source")).toHaveText(/local|lokal/);
  await expect(results(page).filter({ hasText: invoice.number })).toBeVisible();
  await screenshots(page, "search-palette");

  const [order] = await sql<{ customer_reference: string; number: string; sku: string }>(
    `SELECT o.customer_reference, o.number, l.sku FROM sales_orders o JOIN accounts a ON a.id = o.account_id
       JOIN sales_order_lines l ON l.sales_order_id = o.id
      WHERE a.number = '10001' AND o.customer_reference IS NOT NULL ORDER BY o.order_date DESC LIMIT 1`,
  );
  await box.fill(order.customer_reference);
  await expect(results(page).filter({ hasText: order.number }).first()).toBeVisible();
  await box.fill(order.sku);
  await expect(results(page).first()).toBeVisible();
  await box.fill(invoice.number);
  await expect(results(page).first()).toContainText(invoice.number);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/invoices/${invoice.id}$`));
});

test("a change committed in Postgres appears in the open page without a reload", { tag: "@latency" }, async ({ page }) => {
  test.setTimeout(120_000);
  // The replica worker keeps live shapes over Server-Sent Events (electric/replica/sync.ts).
  const liveRequests: URL[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === "/sync/shapes/invoices" && url.searchParams.get("live") === "true") liveRequests.push(url);
  });
  await signIn(page, "buyer@kessler.example");
  await waitForReplica(page);
  const [invoice] = await sql<{ id: string; number: string; gross: string }>(
    `SELECT i.id, i.number, i.gross_amount::text AS gross FROM invoices i JOIN accounts a ON a.id = i.account_id
      WHERE a.number = '10001' AND i.kind = 'invoice' AND i.status = 'open' AND i.prepaid_amount = 0 ORDER BY i.issue_date DESC LIMIT 1`,
  );
  await page.goto(`/invoices/${invoice.id}`);
  await waitForReplica(page);
  await expect(page.locator("h1")).toContainText(/Offen|Open/);
  // The page re-reads the replica; the server is not asked for any loader data (root.tsx's
  // shouldRevalidate skips replica revalidations).
  const serverDataRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".data")) serverDataRequests.push(request.url());
  });
  // The page notes when its heading first says paid: Playwright's polling (100, 250, 500 ms …) would
  // otherwise round the measurement up.
  await page.evaluate(() => {
    const seen = window as unknown as { paidSeenAt?: number };
    new MutationObserver(() => {
      if (seen.paidSeenAt === undefined && /Bezahlt|Paid/.test(document.querySelector("h1")?.textContent ?? "")) seen.paidSeenAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const started = Date.now();
  await sql(`UPDATE invoices SET paid_amount = gross_amount, amount_due = 0, status = 'paid' WHERE id = $1`, [invoice.id]);
  await expect(page.locator("h1")).toContainText(/Bezahlt|Paid/, { timeout: 10_000 });
  const seenAt = await page.evaluate(() => (window as unknown as { paidSeenAt: number }).paidSeenAt);
  console.log(`paid status visible ${seenAt - started} ms after commit`);
  expect(seenAt - started).toBeLessThan(1000);
  expect(serverDataRequests).toEqual([]);
  expect(liveRequests.length).toBeGreaterThan(0);
  expect(liveRequests.every((url) => url.searchParams.get("live_sse") === "true")).toBe(true);
});

test("offline, a reload still lists and searches from the replica", async ({ page, context }) => {
  test.setTimeout(150_000);
  await signIn(page, "buyer@kessler.example");
  await waitForReplica(page);
  await page.goto("/orders");
  await waitForReplica(page);
  const count = await page.getByTestId("orders-table").locator("tbody tr").count();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "offline");
  await expect(page.getByTestId("orders-table").locator("tbody tr")).toHaveCount(count);
  const [invoice] = await sql<{ number: string }>(
    `SELECT i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' ORDER BY i.issue_date LIMIT 1`,
  );
  await expect(async () => {
    await page.keyboard.press("Escape");
    await paletteSearch(page, invoice.number);
    await expect(page.getByTestId("palette-source")).toHaveText(/local|lokal/, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(results(page).filter({ hasText: invoice.number })).toBeVisible();
  await screenshots(page, "offline");
  await context.setOffline(false);
});

test("two tabs use the replica at once", async ({ context }) => {
  test.setTimeout(150_000);
  const first = await context.newPage();
  await signIn(first, "finance@kessler.example");
  await waitForReplica(first);
  const second = await context.newPage();
  await second.goto("/overview");
  await waitForReplica(second);
  const [order] = await sql<{ number: string }>(
    `SELECT o.number FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10001' ORDER BY o.order_date DESC LIMIT 1`,
  );
  for (const page of [first, second]) {
    await page.bringToFront();
    await paletteSearch(page, order.number);
    await expect(page.getByTestId("palette-source")).toHaveText(/local|lokal/);
    await expect(results(page).filter({ hasText: order.number }).first()).toBeVisible();
    await page.keyboard.press("Escape");
  }
});

test("a PDF opened online opens offline too, and sign-out deletes the copies", async ({ page, context }) => {
  test.setTimeout(150_000);
  await signIn(page, "finance@kessler.example");
  await waitForReplica(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const [invoice] = await sql<{ id: string }>(
    `SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' ORDER BY i.issue_date DESC LIMIT 1`,
  );
  const fetchPdf = (url: string) =>
    page.evaluate(async (u) => {
      const response = await fetch(u);
      return { status: response.status, type: response.headers.get("content-type"), bytes: (await response.arrayBuffer()).byteLength };
    }, url);
  const online = await fetchPdf(`/invoices/${invoice.id}/pdf`);
  expect(online.status).toBe(200);
  expect(online.type).toContain("application/pdf");
  await context.setOffline(true);
  const offline = await fetchPdf(`/invoices/${invoice.id}/pdf`);
  expect(offline).toEqual(online);
  await context.setOffline(false);
  await page.getByRole("button", { name: /Abmelden|Sign out/ }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await page.evaluate(() => caches.has("ledgerlight-pdfs-v1"))).toBe(false);
});

test("a replica whose storage a closed page left half made (one slot) still opens and syncs", async ({ page }) => {
  test.setTimeout(120_000);
  const [ids] = await sql<{ userId: string; accountId: string }>(
    `SELECT u.id AS "userId", a.id AS "accountId" FROM users u, accounts a WHERE u.email = 'buyer@kessler.example' AND a.number = '10001'`,
  );
  await page.goto("/login");
  // What a page closed while sqlite-wasm was creating the pool's slot files leaves: the pool's
  // directory with fewer slots than it asked for (here one, empty).
  await page.evaluate(async ({ key }) => {
    let dir = await navigator.storage.getDirectory();
    for (const part of [".ledgerlight-replicas", key, ".opaque"]) dir = await dir.getDirectoryHandle(part, { create: true });
    await dir.getFileHandle("slot-left-by-a-closed-page", { create: true });
  }, { key: `${ids.userId}-${ids.accountId}` });
  await signIn(page, "buyer@kessler.example");
  await waitForReplica(page);
});
