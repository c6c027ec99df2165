import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { apiRequest } from "../../../../test/support/erp-api";
import { request, signIn } from "../../../../test/support/portal";
import { invoiceRecord } from "../testing/fixtures";

/** The ERP admin pages through the production build, as a staff admin uses them. */

let cookie: string;
const browser = (extra: Record<string, string> = {}) => ({ Cookie: cookie, Origin: "http://portal.test", Host: "portal.test", ...extra });

beforeAll(async () => {
  cookie = await signIn("admin@brandt-soehne.example");
});

async function waitForRun(runId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const page = await (await request(`/admin/erp/runs?run=${runId}`, { cookie })).text();
    if (!/<strong>running<\/strong>/.test(page)) return page;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the import did not finish");
}

describe("ERP admin pages", () => {
  it("shows a new API key once, lists it by prefix with its last use, and revokes it", async () => {
    const created = await request("/admin/erp/keys", { cookie, form: { intent: "create", name: "Page key", scope: "erp:write", rateLimitPerMinute: "600" } });
    expect(created.status).toBe(200);
    const html = await created.text();
    const key = /(llk_[A-Za-z0-9_-]{32})/.exec(html)?.[1];
    expect(key).toBeTruthy();

    const ingest = await apiRequest("/api/erp/v1/invoices", { key, json: { records: [invoiceRecord("PG1")] } });
    expect(ingest.status).toBe(200);
    const list = await (await request("/admin/erp/keys", { cookie })).text();
    expect(list).not.toContain(key);
    expect(list).toContain(key!.slice(0, 12));
    expect(list).not.toMatch(/Page key[\s\S]{0,400}never/); // last used is shown

    const db = await getDb();
    const { rows } = await db.query<{ id: string; key_hash: string }>(`SELECT id, key_hash FROM api_keys WHERE name = 'Page key'`);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    await request("/admin/erp/keys", { cookie, form: { intent: "revoke", keyId: rows[0].id } });
    const refused = await apiRequest("/api/erp/v1/invoices", { key, json: { records: [invoiceRecord("PG2")] } });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("revoked_api_key");
  });

  it("imports an uploaded CSV in the background and shows its run with progress and rejected rows", async () => {
    const csv = [
      "erpId,erpVersion,accountErpId,number,issueDate,currency,lines.lineNo,lines.description,lines.quantity,lines.unitPrice,lines.vatCategory,lines.vatRate",
      "UP-1,1,0000010001,UP-INV-1,2026-02-01,EUR,1,Pumpe,2,10.00,S,19",
      "UP-1,1,0000010001,UP-INV-1,2026-02-01,EUR,2,Motor,1,99.00,S,19",
      "UP-2,1,0000010001,UP-INV-2,2026-02-30,EUR,1,Pumpe,2,10.00,S,19",
    ].join("\n");
    const form = new FormData();
    form.set("entity", "invoices");
    form.set("preset", "standard");
    form.set("file", new Blob([csv], { type: "text/csv" }), "upload.csv");
    const response = await apiRequest("/admin/erp/upload", { body: form, headers: browser() });
    expect(response.status).toBe(302);
    const runId = /run=([0-9a-f-]{36})/.exec(response.headers.get("location") ?? "")?.[1];
    expect(runId).toBeTruthy();
    const page = await waitForRun(runId!);
    expect(page).toContain("<progress");
    expect(page).toContain("inserted <!-- -->1");
    expect(page).toContain("issueDate: must be a date in the form YYYY-MM-DD");
    expect(page).toContain(`/admin/erp/rejected-rows.csv?run=${runId}`);

    const report = await request(`/admin/erp/rejected-rows.csv?run=${runId}`, { cookie });
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    expect(await report.text()).toContain("UP-2,1,0000010001,UP-INV-2,2026-02-30");

    const history = await (await request("/admin/erp/runs?source=csv", { cookie })).text();
    expect(history).toContain("upload.csv");
  });

  it("lets staff fix a dead-letter record and replay it", async () => {
    const db = await getDb();
    const { rows } = await db.query<{ id: string; record: Record<string, unknown> }>(
      `SELECT id, record FROM rejected_records WHERE erp_id = 'UP-2' AND resolved_at IS NULL`,
    );
    const detail = await (await request(`/admin/erp/rejected?id=${rows[0].id}`, { cookie })).text();
    expect(detail).toContain("must be a date in the form YYYY-MM-DD");
    const fixed = { ...rows[0].record, issueDate: "2026-02-28" };
    const replay = await request("/admin/erp/rejected", { cookie, form: { intent: "replay", id: rows[0].id, record: JSON.stringify(fixed) } });
    expect(await replay.text()).toContain("Applied (inserted).");
    const invoice = await db.query(`SELECT issue_date FROM invoices WHERE erp_id = 'UP-2'`);
    expect(invoice.rows[0]).toEqual({ issue_date: "2026-02-28" });
  });

  it("adds a webhook endpoint and a SQL source from their pages", async () => {
    const hook = await request("/admin/erp/webhooks", { cookie, form: { intent: "create", name: "ERP hook", url: "https://erp.example/hooks", events: "contact.*", enabled: "on" } });
    expect(await hook.text()).toContain("whsec_");
    const source = await request("/admin/erp/sources", {
      cookie,
      form: { intent: "create-source", name: "ERP DB", kind: "mysql", connectionUrl: "mysql://reader:secret@erp-db:3306/erp", schedule: "every minute", batchSize: "500" },
    });
    expect(source.status).toBe(400);
    expect(await source.text()).toContain("schedule is not a cron expression");
    const ok = await request("/admin/erp/sources", {
      cookie,
      form: { intent: "create-source", name: "ERP DB", kind: "mysql", connectionUrl: "mysql://reader:secret@erp-db:3306/erp", schedule: "*/15 * * * *", batchSize: "500", enabled: "on" },
    });
    const page = await ok.text();
    expect(page).toContain("mysql://reader:***@erp-db:3306/erp");
    expect(page).not.toContain("secret@");
  });
});
