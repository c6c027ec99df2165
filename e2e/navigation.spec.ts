import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn, sql } from "./support/fixtures";

/**
 * Once the replica has synced, the portal's lists, dashboards and detail pages read it in their
 * clientLoaders: navigating within the portal asks the server for no route data (`*.data`), and
 * every page shows what the server-rendered page shows. A contact of an account no other spec
 * writes to, so no live change revalidates a page in the middle of the measurement.
 */
const CONTACT = "buyer@nordhavn.example";

test.describe.configure({ mode: "serial" });

async function waitForReplica(page: Page) {
  await expect(page.getByTestId("sync-status")).toHaveAttribute("data-phase", "ready", { timeout: 90_000 });
}

/** The route-data requests (single fetch) a page makes from now on. */
function watchDataRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".data")) seen.push(request.url());
  });
  return seen;
}

/** The page's content (parts that load on their own, like download options, may settle a moment later: poll). */
// "What changed" starts at the previous sign-in, which moves with every sign-in of the test:
// the replica and the server agree on it (portal-queries.test.ts), but not across sessions.
const mainText = (page: Page) =>
  page.locator("main").evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelector("[data-testid=activity]")?.remove();
    // A list's preview pane follows the focused row after a moment and loads on its own.
    copy.querySelector("aside.preview")?.remove();
    return copy.innerText;
  });

type Action = { keys: string[] } | { link: RegExp; within: string };

/**
 * Navigates inside the page (keys on window, or a click on a link) and measures, in the page, the
 * time until the URL is `path` and the main heading shows `heading` (polled once per frame).
 */
async function timed(page: Page, path: RegExp, heading: RegExp, action: Action): Promise<number> {
  const ms = await page.evaluate(
    async ({ path, heading, keys, link, within }) => {
      const pathRe = new RegExp(path);
      const headingRe = new RegExp(heading);
      const started = performance.now();
      if (keys) {
        for (const key of keys) window.dispatchEvent(new KeyboardEvent("keydown", { key }));
      } else {
        const linkRe = new RegExp(link!);
        const anchor = [...document.querySelectorAll<HTMLAnchorElement>(`${within} a`)].find((a) => linkRe.test(a.textContent?.trim() ?? ""));
        if (!anchor) throw new Error(`no link ${link} in ${within}`);
        anchor.click();
      }
      const deadline = started + 15_000;
      while (!(pathRe.test(location.pathname) && headingRe.test(document.querySelector("main h1")?.textContent ?? ""))) {
        if (performance.now() > deadline) throw new Error(`still at ${location.pathname} after 15 s`);
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return Math.round(performance.now() - started);
    },
    {
      path: path.source,
      heading: heading.source,
      keys: "keys" in action ? action.keys : null,
      link: "link" in action ? action.link.source : null,
      within: "within" in action ? action.within : null,
    },
  );
  await expect(page).toHaveURL(path);
  return ms;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const SECTIONS = [
  { path: "/overview", key: "o", heading: /Overview|Übersicht/ },
  { path: "/shipments", key: "s", heading: /Shipments|Lieferungen/ },
  { path: "/invoices", key: "i", heading: /Invoices|Rechnungen/ },
  { path: "/documents", key: "d", heading: /Documents|Dokumente/ },
  { path: "/quotes", key: "q", heading: /Quotes|Angebote/ },
  { path: "/orders", key: "r", heading: /Orders|Aufträge/ },
];

interface Reference {
  sections: Map<string, string>;
  order: { id: string; number: string; text: string };
  invoice: { id: string; number: string; text: string };
}

/** What the server renders (full page loads), to compare the client-side navigations with. */
async function serverRendered(page: Page): Promise<Reference> {
  const [order] = await sql<{ id: string; number: string }>(
    `SELECT o.id, o.number FROM sales_orders o JOIN accounts a ON a.id = o.account_id WHERE a.number = '10004'
      ORDER BY o.order_date DESC, o.number DESC LIMIT 1`,
  );
  const [invoice] = await sql<{ id: string; number: string }>(
    `SELECT i.id, i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10004'
      ORDER BY i.issue_date DESC, i.number DESC LIMIT 1`,
  );
  const sections = new Map<string, string>();
  for (const section of SECTIONS) {
    await page.goto(section.path);
    sections.set(section.path, await mainText(page));
  }
  await page.goto(`/orders/${order.id}`);
  const orderText = await mainText(page);
  await page.goto(`/invoices/${invoice.id}`);
  const invoiceText = await mainText(page);
  return { sections, order: { ...order, text: orderText }, invoice: { ...invoice, text: invoiceText } };
}

/**
 * From /orders: every section by its "g" shortcut (no hover, so no prefetch), then list → detail →
 * list for an order and an invoice by the links in the tables. Checks each page against the
 * server-rendered text; returns the navigation times.
 */
async function browse(page: Page, reference: Reference): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const section of SECTIONS) {
    times[section.path] = await timed(page, new RegExp(`${section.path}$`), section.heading, { keys: ["g", section.key] });
    await expect.poll(() => mainText(page)).toBe(reference.sections.get(section.path));
  }
  for (const doc of [
    { list: "/orders", key: "r", table: "orders-table", back: /Orders|Aufträge/, ...reference.order, path: `/orders/${reference.order.id}` },
    { list: "/invoices", key: "i", table: "invoices-table", back: /Invoices|Rechnungen/, ...reference.invoice, path: `/invoices/${reference.invoice.id}` },
  ]) {
    if (!page.url().endsWith(doc.list)) await timed(page, new RegExp(`${doc.list}$`), doc.back, { keys: ["g", doc.key] });
    times[`${doc.list} → detail`] = await timed(page, new RegExp(`${doc.path}$`), new RegExp(escape(doc.number)), {
      link: new RegExp(`^${escape(doc.number)}$`),
      within: `[data-testid="${doc.table}"]`,
    });
    await expect.poll(() => mainText(page)).toBe(doc.text);
    times[`detail → ${doc.list}`] = await timed(page, new RegExp(`${doc.list}$`), doc.back, { link: new RegExp(`^← (${doc.back.source})$`), within: "main" });
    await expect.poll(() => mainText(page)).toBe(reference.sections.get(doc.list));
  }
  return times;
}

async function signedIn(browser: Browser, options: { replica: boolean }): Promise<Page> {
  const context = await browser.newContext();
  // Without the worker script the replica never opens, and every clientLoader asks the server.
  if (!options.replica) await context.route("**/replica/worker.js", (route) => route.abort());
  const page = await context.newPage();
  await signIn(page, CONTACT);
  return page;
}

test("once synced, navigating the portal asks the server for no route data and shows the same pages", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await signedIn(browser, { replica: true });
  await waitForReplica(page);
  const reference = await serverRendered(page);
  await page.goto("/orders");
  await waitForReplica(page);
  const dataRequests = watchDataRequests(page);
  const times = await browse(page, reference);
  // The sidebar prefetches on hover ("intent"): for these pages there is nothing to prefetch.
  for (const section of SECTIONS) {
    await page.locator(`nav a[href="${section.path}"]`).hover();
    await page.waitForTimeout(250);
  }
  expect(dataRequests).toEqual([]);

  // The same walk once more with the server answering (no replica): the same pages, and the
  // request watcher does see route data then.
  const serverPage = await signedIn(browser, { replica: false });
  await serverPage.goto("/orders");
  await expect(serverPage.getByTestId("sync-status")).toHaveAttribute("data-phase", "error"); // hydrated, no replica
  const serverRequests = watchDataRequests(serverPage);
  const serverTimes = await browse(serverPage, reference);
  expect(serverRequests.length).toBeGreaterThanOrEqual(Object.keys(serverTimes).length);

  console.log("navigation (ms)   replica   server");
  for (const name of Object.keys(times)) console.log(`${name.padEnd(20)} ${String(times[name]).padStart(6)}   ${String(serverTimes[name]).padStart(6)}`);
  await page.context().close();
  await serverPage.context().close();
});

test("after an account switch the pages show the new account, from the server and then from its own replica", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "group@kessler.example");
  await waitForReplica(page);
  await page.goto("/orders");
  await waitForReplica(page);
  const [lumiere] = await sql<{ id: string; name: string }>(`SELECT id, name FROM accounts WHERE number = '10003'`);
  await page.getByLabel(/Switch account|Konto wechseln/).selectOption(lumiere.id);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.locator(".topbar strong")).toHaveText(lumiere.name);
  const afterSwitch = await mainText(page);
  await page.reload();
  await expect.poll(() => mainText(page)).toBe(afterSwitch); // not the previous account's replica
  await waitForReplica(page);
  const dataRequests = watchDataRequests(page);
  await timed(page, /\/orders$/, /Orders|Aufträge/, { keys: ["g", "r"] });
  const numbers = await page.getByTestId("orders-table").locator("tbody tr td:first-child").allTextContents();
  const expected = await sql<{ number: string }>(`SELECT number FROM sales_orders WHERE account_id = $1`, [lumiere.id]);
  expect(numbers.sort()).toEqual(expected.map((o) => o.number).sort());
  expect(dataRequests).toEqual([]);
});
