import { createHash } from "node:crypto";
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFStream, decodePDFRawStream } from "pdf-lib";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { request, signIn } from "../../../test/support/portal";
import { buildScope } from "~/modules/access/scope.server";
import { getBulkProgress, resolveSelection, streamBulkZip } from "./bulk-zip.server";
import { readZip } from "./test-support";

/**
 * The document routes end to end through the production build: PDFs, e-invoices, refusals, the
 * bulk ZIP with its manifest, CSV export, statements, preferences and the audit trail.
 */

const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function one(sql: string): Promise<string> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string }>(sql);
  if (!rows[0]) throw new Error(`nothing for ${sql}`);
  return rows[0].id;
}

beforeAll(async () => {
  for (const email of ["finance@kessler.example", "buyer@kessler.example", "viewer@kessler.example", "buyer@nordhavn.example", "admin@brandt-soehne.example"]) {
    cookies[email] = await signIn(email);
  }
  ids.invoice = await one(`SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.kind = 'invoice' ORDER BY i.issue_date DESC LIMIT 1`);
  ids.viewerInvoice = await one(
    `SELECT i.id FROM invoices i JOIN memberships m ON m.account_id = i.account_id JOIN users u ON u.id = m.user_id
       JOIN membership_locations ml ON ml.membership_id = m.id AND ml.location_id = i.location_id
      WHERE u.email = 'viewer@kessler.example' LIMIT 1`,
  );
  ids.viewerDeliveryNote = await one(
    `SELECT d.id FROM delivery_notes d JOIN memberships m ON m.account_id = d.account_id JOIN users u ON u.id = m.user_id
       JOIN membership_locations ml ON ml.membership_id = m.id AND ml.location_id = d.location_id
      WHERE u.email = 'viewer@kessler.example' LIMIT 1`,
  );
  ids.foreignInvoice = await one(`SELECT i.id FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10004' LIMIT 1`);
});

describe("invoice PDF and e-invoice routes", () => {
  it("serves the PDF inline (view) and as attachment (download), audits both with IP and user agent, and answers 304 to its ETag", async () => {
    const cookie = cookies["finance@kessler.example"];
    const view = await request(`/invoices/${ids.invoice}/pdf`, { cookie, ip: "10.1.2.3" });
    expect(view.status).toBe(200);
    expect(view.headers.get("content-type")).toBe("application/pdf");
    expect(view.headers.get("content-disposition")).toMatch(/^inline; filename="INV-/);
    const bytes = new Uint8Array(await view.arrayBuffer());
    expect(view.headers.get("etag")).toBe(`"${sha(bytes)}"`);
    const download = await request(`/invoices/${ids.invoice}/pdf?download=1`, { cookie });
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(sha(new Uint8Array(await download.arrayBuffer()))).toBe(sha(bytes));
    const again = await fetchWithEtag(`/invoices/${ids.invoice}/pdf`, cookie, view.headers.get("etag")!);
    expect(again.status).toBe(304);

    const db = await getDb();
    const { rows } = await db.query<{ action: string; ip: string; format: string }>(
      `SELECT action, ip, details->>'format' AS format FROM audit_events e JOIN users u ON u.id = e.actor_user_id
        WHERE u.email = 'finance@kessler.example' AND e.entity_id = $1 ORDER BY e.id`,
      [ids.invoice],
    );
    expect(rows.map((r) => r.action)).toEqual(["document.view", "document.download", "document.view"]);
    expect(rows[0]).toMatchObject({ ip: "10.1.2.3", format: "pdf" });
  });

  it("refuses XRechnung without a Leitweg-ID with the rule (422), then delivers it once the account has one, and remembers the format", async () => {
    const cookie = cookies["finance@kessler.example"];
    const refused = await request(`/invoices/${ids.invoice}/einvoice/xrechnung-ubl`, { cookie });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { violations: { rule: string; term: string }[] };
    expect(body.violations).toEqual([expect.objectContaining({ rule: "BR-DE-15", term: "BT-10 Buyer reference" })]);
    const formats = (await (await request(`/invoices/${ids.invoice}/formats`, { cookie })).json()) as { formats: { format: string; available: boolean; reasons: { rule: string }[] }[] };
    expect(formats.formats.find((f) => f.format === "xrechnung-ubl")).toMatchObject({ available: false, reasons: [expect.objectContaining({ rule: "BR-DE-15" })] });

    const db = await getDb();
    await db.query(`UPDATE accounts SET buyer_reference = '08111000-12345-67' WHERE number = '10001'`);
    try {
      const ubl = await request(`/invoices/${ids.invoice}/einvoice/xrechnung-ubl`, { cookie });
      expect(ubl.status).toBe(200);
      expect(ubl.headers.get("content-disposition")).toMatch(/_invoice_xrechnung-ubl\.xml"/);
      const xml = await ubl.text();
      expect(xml).toContain("<cbc:BuyerReference>08111000-12345-67</cbc:BuyerReference>");
      const cii = await request(`/invoices/${ids.invoice}/einvoice/xrechnung-cii`, { cookie });
      expect(cii.status).toBe(200);
      expect(await cii.text()).toContain("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0");
      const after = (await (await request(`/invoices/${ids.invoice}/formats`, { cookie })).json()) as { preferred: string };
      expect(after.preferred).toBe("xrechnung-cii");
    } finally {
      await db.query(`UPDATE accounts SET buyer_reference = NULL WHERE number = '10001'`);
    }
  });

  it("embeds in the ZUGFeRD PDF exactly the Factur-X XML the XML download gives", async () => {
    const cookie = cookies["buyer@kessler.example"];
    const pdf = await request(`/invoices/${ids.invoice}/einvoice/zugferd-en16931`, { cookie });
    expect(pdf.status).toBe(200);
    const xml = await (await request(`/invoices/${ids.invoice}/einvoice/facturx-en16931`, { cookie })).text();
    const doc = await PDFDocument.load(new Uint8Array(await pdf.arrayBuffer()), { updateMetadata: false });
    const spec = doc.catalog.lookup(PDFName.of("AF"), PDFArray).lookup(0, PDFDict);
    const file = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F"), PDFStream) as PDFRawStream;
    expect(Buffer.from(decodePDFRawStream(file).decode()).toString("utf8")).toBe(xml);
  });

  it("answers 404 to an unknown format, another account's invoice, and a viewer (no invoice rights)", async () => {
    expect((await request(`/invoices/${ids.invoice}/einvoice/pdf-x`, { cookie: cookies["finance@kessler.example"] })).status).toBe(404);
    expect((await request(`/invoices/${ids.foreignInvoice}/pdf`, { cookie: cookies["finance@kessler.example"] })).status).toBe(404);
    expect((await request(`/invoices/${ids.invoice}/pdf`, { cookie: cookies["buyer@nordhavn.example"] })).status).toBe(404);
    const viewer = cookies["viewer@kessler.example"];
    expect((await request(`/invoices/${ids.viewerInvoice}/pdf`, { cookie: viewer })).status).toBe(404);
    expect((await request(`/invoices/${ids.viewerInvoice}/einvoice/zugferd-en16931`, { cookie: viewer })).status).toBe(404);
    expect((await request(`/invoices/${ids.viewerInvoice}/einvoice/xrechnung-ubl`, { cookie: viewer })).status).toBe(404);
  });
});

async function fetchWithEtag(path: string, cookie: string, etag: string) {
  const { loadBuild } = await import("../../../test/support/portal");
  const { createRequestHandler } = await import("@remix-run/node");
  const handler = createRequestHandler(await loadBuild(), "production") as unknown as (r: Request, c: { clientIp: string }) => Promise<Response>;
  return handler(new Request(`http://portal.test${path}`, { headers: { Cookie: cookie, "If-None-Match": etag } }), { clientIp: "10.0.0.1" });
}

/** POSTs a form with repeated keys (ids=…&ids=…) through the real route. */
async function post(path: string, cookie: string, entries: [string, string][]) {
  const { loadBuild } = await import("../../../test/support/portal");
  const { createRequestHandler } = await import("@remix-run/node");
  const handler = createRequestHandler(await loadBuild(), "production") as unknown as (r: Request, c: { clientIp: string }) => Promise<Response>;
  const body = new URLSearchParams(entries);
  return handler(
    new Request(`http://portal.test${path}`, {
      method: "POST",
      body,
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", Origin: "http://portal.test", Host: "portal.test" },
    }),
    { clientIp: "10.0.0.9" },
  );
}

describe("bulk ZIP download", () => {
  it("streams PDFs and e-invoices with a manifest whose hashes match the entries, and audits every document", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; kind: string; number: string }>(
      `SELECT i.id, i.kind, i.number FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' ORDER BY i.issue_date DESC LIMIT 6`,
    );
    const response = await post("/documents/download", cookies["finance@kessler.example"], [
      ...rows.map((r): [string, string] => ["ids", `${r.kind}:${r.id}`]),
      ["include", "both"],
      ["format", "facturx-en16931"],
      ["job", "job-test-0001"],
    ]);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const manifest = parse(entries.find((e) => e.name === "manifest.csv")!.data.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(manifest).toHaveLength(rows.length * 2);
    // Rendered in parallel, listed in the order of the selection.
    expect(manifest.map((m) => m.number)).toEqual(rows.flatMap((r) => [r.number, r.number]));
    expect(entries).toHaveLength(rows.length * 2 + 1);
    for (const row of manifest) {
      expect(row.status).toBe("ok");
      const entry = entries.find((e) => e.name === row.file)!;
      expect(sha(entry.data)).toBe(row.sha256);
      expect(rows.map((r) => r.number)).toContain(row.number);
    }
    expect(entries.filter((e) => e.name.endsWith(".pdf")).every((e) => e.data.subarray(0, 5).toString() === "%PDF-")).toBe(true);
    const audited = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'document.download' AND details->>'bulk' = 'job-test-0001'`);
    expect(audited.rows[0].count).toBe(rows.length * 2);
    const progress = (await (await request("/documents/download?job=job-test-0001", { cookie: cookies["finance@kessler.example"] })).json()) as { progress: { done: number; total: number; finished: boolean } };
    expect(progress.progress).toMatchObject({ done: rows.length, total: rows.length, finished: true });
    // Going into a ZIP is not opening: those PDFs stay out of the offline cache's "recently opened".
    const opened = await db.query<{ id: string }>(
      `SELECT DISTINCT e.entity_id AS id FROM audit_events e JOIN users u ON u.id = e.actor_user_id
        WHERE u.email = 'finance@kessler.example' AND e.action IN ('document.view', 'document.download') AND NOT (e.details ? 'bulk')`,
    );
    const onlyZipped = rows.filter((r) => !opened.rows.some((o) => o.id === r.id));
    expect(onlyZipped.length).toBeGreaterThan(0);
    const recent = (await (await request("/documents/recent", { cookie: cookies["finance@kessler.example"] })).json()) as { documents: { url: string }[] };
    for (const row of onlyZipped) expect(recent.documents.map((d) => d.url)).not.toContain(`/invoices/${row.id}/pdf`);
    // Nobody else sees the job.
    const other = (await (await request("/documents/download?job=job-test-0001", { cookie: cookies["buyer@kessler.example"] })).json()) as { progress: unknown };
    expect(other.progress).toBeNull();
  });

  it("lists refused e-invoices in the manifest instead of writing an invalid file", async () => {
    const response = await post("/documents/download", cookies["finance@kessler.example"], [
      ["ids", `invoice:${ids.invoice}`],
      ["include", "einvoice"],
      ["format", "xrechnung-ubl"],
    ]);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual(["manifest.csv"]);
    const manifest = parse(entries[0].data.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(manifest[0].status).toMatch(/^refused: BR-DE-15 BT-10 Buyer reference/);
  });

  it("selects every result of a list search when asked for all results", async () => {
    const response = await post("/documents/download", cookies["buyer@kessler.example"], [["list", "invoices"], ["q", "CN-"], ["include", "pdf"]]);
    expect(response.status).toBe(200);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const db = await getDb();
    const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' AND i.number LIKE '%CN-%'`);
    expect(entries.filter((e) => e.name.endsWith(".pdf"))).toHaveLength(rows[0].count);
  });

  it("answers 404 to a viewer whose selection holds an invoice, and to anyone selecting another account's document", async () => {
    const viewer = cookies["viewer@kessler.example"];
    expect((await post("/documents/download", viewer, [["ids", `invoice:${ids.viewerInvoice}`], ["ids", `delivery_note:${ids.viewerDeliveryNote}`]])).status).toBe(404);
    const ok = await post("/documents/download", viewer, [["ids", `delivery_note:${ids.viewerDeliveryNote}`]]);
    expect(ok.status).toBe(200);
    const names = readZip(Buffer.from(await ok.arrayBuffer())).map((e) => e.name);
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/_delivery-note\.pdf$/);
    expect(names[1]).toBe("manifest.csv");
    expect((await post("/documents/download", cookies["finance@kessler.example"], [["ids", `invoice:${ids.foreignInvoice}`]])).status).toBe(404);
    expect((await post("/documents/download", cookies["finance@kessler.example"], [["ids", "invoice:not-a-uuid"]])).status).toBe(400);
    expect((await post("/documents/download", cookies["finance@kessler.example"], [])).status).toBe(400);
  });

  it("ends the job when the client goes away mid-download, and leaves no listener on the stream behind", async () => {
    const db = await getDb();
    const user = (
      await db.query<{ id: string; language: "en" | "de"; accountId: string }>(
        `SELECT u.id, u.language, m.account_id AS "accountId" FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
          WHERE u.email = 'finance@kessler.example' AND a.number = '10001'`,
      )
    ).rows[0];
    const scope = (await buildScope(db, user, user.accountId))!;
    const { rows } = await db.query<{ ref: string }>(
      `SELECT i.kind || ':' || i.id AS ref FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE a.number = '10001' ORDER BY i.issue_date LIMIT 12`,
    );
    const selection = (await resolveSelection(scope, rows.map((r) => r.ref)))!;
    const origin = { userId: scope.userId, accountId: scope.accountId, ip: "127.0.0.1", userAgent: "test" };
    // A whole download first: when it ends, only the stream's own listeners are left ("close" from readable internals at most).
    const whole = streamBulkZip(scope, selection.slice(0, 3), { include: "pdf", format: "zugferd-en16931", job: "job-test-whole" }, origin);
    const chunks: Buffer[] = [];
    for await (const chunk of whole) chunks.push(chunk as Buffer);
    expect(readZip(Buffer.concat(chunks)).map((e) => e.name)).toHaveLength(4);
    expect(whole.listenerCount("close")).toBeLessThanOrEqual(1);
    // Then one the client leaves after the first bytes.
    const out = streamBulkZip(scope, selection, { include: "pdf", format: "zugferd-en16931", job: "job-test-gone" }, origin);
    await new Promise<void>((resolve) => out.once("data", () => resolve()));
    out.destroy();
    await expect.poll(() => getBulkProgress(scope, "job-test-gone")?.failed, { timeout: 20_000 }).toMatch(/the client closed the download/);
    expect(getBulkProgress(scope, "job-test-gone")!.done).toBeLessThan(selection.length);
  }, 60_000);
});

describe("lists, statements, history and staff views", () => {
  it("exports a list as CSV with the page's filters", async () => {
    const response = await request("/documents/export?list=invoices&state=credit_note", { cookie: cookies["finance@kessler.example"] });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = parse((await response.text()).replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.kind === "credit_note")).toBe(true);
    const viewerCsv = parse((await (await request("/documents/export?list=invoices", { cookie: cookies["viewer@kessler.example"] })).text()).replace(/^\uFEFF/, ""), { columns: true });
    expect(viewerCsv).toEqual([]);
  });

  it("shows a statement of account for a date range, and refuses it to a buyer (no statement rights)", async () => {
    const page = await request("/statements?from=2026-01-01&to=2026-06-30", { cookie: cookies["finance@kessler.example"] });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="closing-balance"');
    const pdf = await request("/statements/pdf?from=2026-01-01&to=2026-06-30", { cookie: cookies["finance@kessler.example"] });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect((await request("/statements/pdf?from=2026-07-01&to=2026-01-01", { cookie: cookies["finance@kessler.example"] })).status).toBe(400);
    expect((await request("/statements", { cookie: cookies["buyer@kessler.example"] })).status).toBe(404);
  });

  it("gives contacts their own download history and staff the customer's first view", async () => {
    const history = await request("/documents/history", { cookie: cookies["finance@kessler.example"] });
    expect(await history.text()).toMatch(/INV-\d{4}-\d{5}/);
    const staff = await request(`/admin/documents/invoices/${ids.invoice}`, { cookie: cookies["admin@brandt-soehne.example"] });
    expect(staff.status).toBe(200);
    const html = await staff.text();
    expect(html).toContain("finance@kessler.example");
    expect(html).toMatch(/data-testid="first-view">[^<]*by finance@kessler\.example/);
    expect(html).toContain("BR-DE-15");
    const recent = (await (await request("/documents/recent", { cookie: cookies["finance@kessler.example"] })).json()) as { documents: { url: string }[] };
    expect(recent.documents.map((d) => d.url)).toContain(`/invoices/${ids.invoice}/pdf`);
  });

  it("lets staff set the account's default e-invoice format, which contacts then get offered", async () => {
    const db = await getDb();
    const account = (await db.query<{ id: string }>(`SELECT id FROM accounts WHERE number = '10001'`)).rows[0];
    const response = await post(`/admin/accounts/${account.id}/einvoice-format`, cookies["admin@brandt-soehne.example"], [["format", "xrechnung-cii"]]);
    expect(response.status).toBe(302);
    // A contact who never chose gets the account default; one who chose keeps their own.
    const admin = await signIn("admin@kessler.example");
    const fresh = (await (await request(`/invoices/${ids.invoice}/formats`, { cookie: admin })).json()) as { preferred: string };
    expect(fresh.preferred).toBe("xrechnung-cii");
    const buyer = (await (await request(`/invoices/${ids.invoice}/formats`, { cookie: cookies["buyer@kessler.example"] })).json()) as { preferred: string };
    expect(buyer.preferred).toBe("facturx-en16931");
    expect((await post(`/admin/accounts/${account.id}/einvoice-format`, cookies["admin@brandt-soehne.example"], [["format", "pdf"]])).status).toBe(400);
  });
});
