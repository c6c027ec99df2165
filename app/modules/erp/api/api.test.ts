import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { apiRequest, createTestApiKey, loadOpenApiValidator, type OpenApiValidator } from "../../../../test/support/erp-api";
import { replayRejected } from "../ingest/replay.server";
import { invoiceGrossCents, invoiceRecord, KESSLER, money, pdfBytes } from "../testing/fixtures";
import { LIMITS } from "./http.server";
import { ENTITIES } from "../entities/registry";
import type { RecordResult } from "../ingest/ingest.server";
import type { Counts } from "../runs.server";

interface ApiBody {
  runId: string;
  counts: Counts;
  results: (RecordResult & { rejectedRecordId: string })[];
  error: { code: string; message: string; field?: string };
}

let openapi: OpenApiValidator;
let key: string;

/** Posts a batch, checking request and response against the served OpenAPI document. */
async function post(path: string, body: unknown, apiKey: string | null = key, options: { validRequest?: boolean } = {}) {
  // Records meant to be rejected break the document too (which shows it follows the schemas).
  if (options.validRequest === false) expect(openapi.request(path, body)).not.toEqual([]);
  else expect(openapi.request(path, body)).toEqual([]);
  const response = await apiRequest(`/api/erp/v1${path}`, { key: apiKey, json: body });
  const json = (await response.json()) as ApiBody;
  expect(openapi.response(path, response.status, json)).toEqual([]);
  return { status: response.status, json, headers: response.headers };
}

async function changeLogCount(): Promise<number> {
  const db = await getDb();
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_change_log`);
  return rows[0].n;
}

beforeAll(async () => {
  openapi = await loadOpenApiValidator();
  key = (await createTestApiKey()).key;
});

describe("OpenAPI document", () => {
  it("describes upsert and delete of every entity, from the same schemas", () => {
    const paths = Object.keys(openapi.document.paths as object);
    for (const entity of ENTITIES) {
      expect(paths).toContain(`/${entity.name}`);
      expect(paths).toContain(`/${entity.name}/delete`);
    }
    expect(openapi.document.openapi).toBe("3.1.0");
    // A record the schema rejects, the document rejects too.
    expect(openapi.request("/invoices", { records: [{ ...invoiceRecord("X"), grossAmmount: "1" }] }).length).toBeGreaterThan(0);
  });
});

describe("idempotent upserts", () => {
  it("applies a batch once: the same batch again changes nothing, an older version is ignored", async () => {
    const batch = { records: [invoiceRecord("100", { version: 3 }), invoiceRecord("101", { version: 3, lines: 5 })] };
    const first = await post("/invoices", batch);
    expect(first.status).toBe(200);
    expect(first.json.counts).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 0 });
    expect(first.json.results.map((r) => r.action)).toEqual(["inserted", "inserted"]);

    const db = await getDb();
    const snapshot = async () =>
      (
        await db.query(
          `SELECT i.erp_id, i.erp_version, i.gross_amount, i.updated_at, count(l.id)::int AS lines
             FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id WHERE i.erp_id IN ('T100', 'T101') GROUP BY i.id ORDER BY i.erp_id`,
        )
      ).rows;
    const before = await snapshot();
    expect(before.map((r) => r.lines)).toEqual([3, 5]);
    expect(before[0].gross_amount).toBe(money(invoiceGrossCents(invoiceRecord("100"))));
    const logBefore = await changeLogCount();

    const again = await post("/invoices", batch);
    expect(again.json.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(again.json.results[0].reason).toMatch(/version 3 is already stored/);

    const older = await post("/invoices", { records: [{ ...invoiceRecord("100", { version: 2 }), note: "older" }] });
    expect(older.json.results[0]).toMatchObject({ status: "unchanged", erpId: "T100" });
    expect(await snapshot()).toEqual(before);
    expect(await changeLogCount()).toBe(logBefore);

    const newer = await post("/invoices", { records: [{ ...invoiceRecord("100", { version: 4, lines: 2 }), note: "newer" }] });
    expect(newer.json.results[0]).toMatchObject({ status: "accepted", action: "updated" });
    const after = await snapshot();
    expect(after[0]).toMatchObject({ erp_version: 4, lines: 2 });
  });

  it("accepts erpUpdatedAt as the version", async () => {
    const { erpVersion: _v, ...base } = invoiceRecord("110");
    const newer = { ...base, erpUpdatedAt: "2026-03-02T10:00:00Z" };
    const older = { ...base, erpUpdatedAt: "2026-03-01T10:00:00+01:00", note: "stale" };
    expect((await post("/invoices", { records: [newer] })).json.results[0].action).toBe("inserted");
    expect((await post("/invoices", { records: [older] })).json.results[0].status).toBe("unchanged");
  });
});

describe("a batch with one bad record", () => {
  it("applies the others, keeps the bad one with its reason, and applies it after a fix and replay", async () => {
    const bad = { ...invoiceRecord("201"), issueDate: "2026-02-30", lines: [{ ...invoiceRecord("201").lines[0], quantity: "1,5" }] };
    const { json } = await post("/invoices", { records: [invoiceRecord("200"), bad, invoiceRecord("202")] }, key, { validRequest: false });
    expect(json.counts).toMatchObject({ inserted: 2, rejected: 1 });
    const rejected = json.results[1];
    expect(rejected.status).toBe("rejected");
    expect(rejected.errors).toEqual(
      expect.arrayContaining([
        { path: "issueDate", message: "must be a date in the form YYYY-MM-DD" },
        { path: "lines.0.quantity", message: expect.stringMatching(/must be a number with at most 11 digits before and 3 after/) },
      ]),
    );

    const db = await getDb();
    const stored = await db.query<{ raw_payload: string; erp_id: string; errors: unknown[]; source: string; entity: string }>(
      `SELECT raw_payload, erp_id, errors, source, entity FROM rejected_records WHERE id = $1`,
      [rejected.rejectedRecordId],
    );
    expect(stored.rows[0]).toMatchObject({ erp_id: "T201", source: "api", entity: "invoices" });
    expect(JSON.parse(stored.rows[0].raw_payload)).toEqual(bad);
    expect((await db.query(`SELECT 1 FROM invoices WHERE erp_id = 'T201'`)).rowCount).toBe(0);

    const admin = await db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@brandt-soehne.example'`);
    const stillBad = await replayRejected(db, rejected.rejectedRecordId, { userId: admin.rows[0].id });
    expect(stillBad.ok).toBe(false);
    const fixed = { ...bad, issueDate: "2026-02-28", lines: [{ ...bad.lines[0], quantity: "1.5" }] };
    const replay = await replayRejected(db, rejected.rejectedRecordId, { userId: admin.rows[0].id, editedJson: JSON.stringify(fixed) });
    expect(replay).toMatchObject({ ok: true, result: { status: "accepted", action: "inserted" } });
    const invoice = await db.query(`SELECT issue_date, (SELECT quantity FROM invoice_lines WHERE invoice_id = i.id) AS q FROM invoices i WHERE erp_id = 'T201'`);
    expect(invoice.rows[0]).toEqual({ issue_date: "2026-02-28", q: "1.500" });
    const entry = await db.query(`SELECT resolution, replay_count FROM rejected_records WHERE id = $1`, [rejected.rejectedRecordId]);
    expect(entry.rows[0]).toEqual({ resolution: "replayed", replay_count: 2 });
  });

  it("rolls back only the record the database refuses: the others apply, and the sync log has nothing of it", async () => {
    await post("/invoices", { records: [invoiceRecord("210")] });
    const db = await getDb();
    const logBefore = (await db.query<{ max: string | null }>(`SELECT max(id) AS max FROM sync_change_log`)).rows[0].max ?? "0";
    // Valid for the schema, but its line's ERP id belongs to T210's first line: only the database knows.
    const clash = { ...invoiceRecord("212"), lines: [{ ...invoiceRecord("212").lines[0], erpId: "T210/1" }] };
    const { json } = await post("/invoices", { records: [invoiceRecord("211"), clash, invoiceRecord("213")] });
    expect(json.counts).toMatchObject({ inserted: 2, rejected: 1 });
    expect(json.results.map((r: { status: string }) => r.status)).toEqual(["accepted", "rejected", "accepted"]);
    expect(json.results[1].errors).toEqual([{ path: "erpId", message: '"T210/1" is already used by another record in invoice_lines' }]);
    const stored = await db.query<{ erp_id: string; lines: number }>(
      `SELECT i.erp_id, (SELECT count(*)::int FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines FROM invoices i
        WHERE i.erp_id IN ('T210', 'T211', 'T212', 'T213') ORDER BY i.erp_id`,
    );
    expect(stored.rows).toEqual([
      { erp_id: "T210", lines: 3 },
      { erp_id: "T211", lines: 3 },
      { erp_id: "T213", lines: 3 },
    ]);
    const logged = await db.query<{ erp_id: string; n: number }>(
      `SELECT new_row ->> 'erp_id' AS erp_id, count(*)::int AS n FROM sync_change_log WHERE id > $1 AND table_name = 'invoices' GROUP BY 1 ORDER BY 1`,
      [logBefore],
    );
    expect(logged.rows).toEqual([
      { erp_id: "T211", n: 1 },
      { erp_id: "T213", n: 1 },
    ]);
  });

  it("names unknown fields, bad references and totals that do not add up", async () => {
    const { json } = await post("/invoices", {
      records: [
        { ...invoiceRecord("210"), grossAmount: "1.00" },
        { ...invoiceRecord("211"), accountErpId: "NO-SUCH" },
        { ...invoiceRecord("212"), locationErpId: "0000010004-WE01" },
        { ...invoiceRecord("213"), grossAmmount: "1" },
      ],
    }, key, { validRequest: false });
    expect(json.results.map((r) => r.errors)).toEqual([
      [{ path: "grossAmount", message: `must equal netAmount + taxAmount (${money(invoiceGrossCents(invoiceRecord("210")))})` }],
      [{ path: "accountErpId", message: 'no account with ERP id "NO-SUCH" (send it first)' }],
      [{ path: "locationErpId", message: 'location "0000010004-WE01" belongs to another account' }],
      [{ path: "grossAmmount", message: "is not a field of invoice" }],
    ]);
  });
});

describe("refusals", () => {
  it("answers 401 without a key and with an unknown or revoked key", async () => {
    const noKey = await post("/invoices", { records: [invoiceRecord("300")] }, null);
    expect(noKey.status).toBe(401);
    expect(noKey.json.error.code).toBe("missing_api_key");
    expect(noKey.headers.get("www-authenticate")).toMatch(/Bearer/);
    const unknown = await post("/invoices", { records: [invoiceRecord("300")] }, "llk_not-a-real-key");
    expect(unknown).toMatchObject({ status: 401, json: { error: { code: "unknown_api_key" } } });

    const revoked = await createTestApiKey();
    const db = await getDb();
    await db.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [revoked.id]);
    const answer = await post("/invoices", { records: [invoiceRecord("300")] }, revoked.key);
    expect(answer).toMatchObject({ status: 401, json: { error: { code: "revoked_api_key" } } });
    expect((await db.query(`SELECT 1 FROM invoices WHERE erp_id = 'T300'`)).rowCount).toBe(0);
  });

  it("answers 403 when the key's scopes do not cover the entity", async () => {
    const paymentsOnly = await createTestApiKey(["erp:write:payments"]);
    const answer = await post("/invoices", { records: [invoiceRecord("301")] }, paymentsOnly.key);
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/may not write invoices/) });
  });

  it("answers 413 for a body over the limit and for too many records", async () => {
    const big = "x".repeat(LIMITS.maxBodyBytes + 10);
    const response = await apiRequest("/api/erp/v1/invoices", { key, body: JSON.stringify({ records: [{ note: big }] }), headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.error.code).toBe("payload_too_large");
    expect(openapi.response("/invoices", 413, body)).toEqual([]);

    const many = Array.from({ length: LIMITS.maxRecords + 1 }, (_, i) => ({ erpId: `M${i}` }));
    const tooMany = await apiRequest("/api/erp/v1/invoices/delete", { key, json: { records: many } });
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).error).toMatchObject({ code: "too_many_records", field: "records" });
  });

  it("answers 429 with Retry-After when the key's rate is spent", async () => {
    const slow = await createTestApiKey(["erp:write"], 2);
    const body = { records: [{ erpId: "nothing-here" }] };
    expect((await post("/invoices/delete", body, slow.key)).status).toBe(200);
    expect((await post("/invoices/delete", body, slow.key)).status).toBe(200);
    const third = await post("/invoices/delete", body, slow.key);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(third.json.error.code).toBe("rate_limited");
  });

  it("answers 400 naming what is wrong with the envelope", async () => {
    const notJson = await apiRequest("/api/erp/v1/invoices", { key, body: "{records:", headers: { "Content-Type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("invalid_json");
    const noRecords = await apiRequest("/api/erp/v1/invoices", { key, json: { items: [] } });
    expect((await noRecords.json()).error).toMatchObject({ code: "invalid_request", field: "records" });
    const unknownEntity = await apiRequest("/api/erp/v1/widgets", { key, json: { records: [{}] } });
    expect(unknownEntity.status).toBe(404);
  });
});

describe("deletes and document files", () => {
  it("deletes by ERP id, keeps a tombstone against older replays, and lets a newer version back", async () => {
    await post("/invoices", { records: [invoiceRecord("400", { version: 5 })] });
    const stale = await post("/invoices/delete", { records: [{ erpId: "T400", erpVersion: 4 }] });
    expect(stale.json.results[0]).toMatchObject({ status: "unchanged", reason: "a newer version (5) is stored" });
    const gone = await post("/invoices/delete", { records: [{ erpId: "T400", erpVersion: 6 }] });
    expect(gone.json.results[0]).toMatchObject({ status: "accepted", action: "deleted" });
    const replayed = await post("/invoices", { records: [invoiceRecord("400", { version: 5 })] });
    expect(replayed.json.results[0]).toMatchObject({ status: "unchanged", reason: expect.stringMatching(/deleted at version 6/) });
    const back = await post("/invoices", { records: [invoiceRecord("400", { version: 7 })] });
    expect(back.json.results[0]).toMatchObject({ status: "accepted", action: "inserted" });
  });

  it("takes an original PDF as multipart and links it to its invoice", async () => {
    await post("/invoices", { records: [invoiceRecord("500")] });
    const form = new FormData();
    form.set("file", new Blob([pdfBytes("T500")], { type: "application/pdf" }), "T-INV-500.pdf");
    const record = { erpId: "F500", erpVersion: 1, accountErpId: KESSLER, documentType: "invoice", documentErpId: "T500", title: "Invoice T-INV-500" };
    expect(openapi.document.components).toBeTruthy();
    const response = await apiRequest("/api/erp/v1/document-files", { key, body: (form.set("record", JSON.stringify(record)), form) });
    const body = await response.json();
    expect(openapi.response("/document-files", response.status, body)).toEqual([]);
    expect(body.results[0]).toMatchObject({ status: "accepted", action: "inserted" });
    const db = await getDb();
    const file = await db.query(
      `SELECT f.file_name, f.content_type, f.byte_size, f.sha256, i.erp_id FROM document_files f JOIN invoices i ON i.id = f.document_id WHERE f.erp_id = 'F500'`,
    );
    expect(file.rows[0]).toMatchObject({ file_name: "T-INV-500.pdf", content_type: "application/pdf", byte_size: pdfBytes("T500").byteLength, erp_id: "T500" });

    const notPdf = new FormData();
    notPdf.set("file", new Blob(["just text"]), "x.pdf");
    notPdf.set("record", JSON.stringify({ ...record, erpId: "F501" }));
    const refused = await apiRequest("/api/erp/v1/document-files", { key, body: notPdf });
    expect(refused.status).toBe(415);
    expect((await refused.json()).error.field).toBe("file");
  });
});
