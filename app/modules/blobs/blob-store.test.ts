import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db/connection.server";
import { storeErpFile } from "~/modules/documents/erp-files.server";
import { invoicePdfFile } from "~/modules/documents/invoice-files.server";
import { loadInvoiceDocumentForStaff } from "~/modules/einvoice/load.server";
import { BlobRejectedError, BlobStore, getBlobStore, sniffType } from "./blob-store.server";

const PDF = Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("blob store", () => {
  const store = new BlobStore(mkdtempSync(path.join(os.tmpdir(), "ll-blobs-")));

  it("stores content under its sha256 once, and reads it back verified", async () => {
    const a = await store.put(PDF);
    const b = await store.put(Buffer.from(PDF));
    expect(a.sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
    expect(b).toEqual(a);
    expect(store.pathOf(a.sha256)).toContain(`${a.sha256.slice(0, 2)}/${a.sha256.slice(2, 4)}/${a.sha256}`);
    expect(await store.read(a.sha256)).toEqual(PDF);
    expect(await store.read("0".repeat(64))).toBeNull();
  });

  it("refuses files over the size limit and files whose content is not the declared or an accepted type", async () => {
    await expect(store.put(PDF, { maxBytes: 10 })).rejects.toMatchObject({ reason: "too_large" });
    await expect(store.put(Buffer.from("MZ\x90\x00 an executable"))).rejects.toMatchObject({ reason: "unknown_type" });
    await expect(store.put(Buffer.from("<?xml version='1.0'?><a/>"), { contentType: "application/pdf" })).rejects.toBeInstanceOf(BlobRejectedError);
    await expect(store.put(PDF, { allowed: ["image/png"] })).rejects.toMatchObject({ reason: "wrong_type" });
    expect(sniffType(Buffer.from("\uFEFF<Invoice/>"))).toBe("application/xml");
  });

  it("notices a file changed on disk", async () => {
    const { sha256 } = await store.put(Buffer.from("%PDF-1.4 other"));
    writeFileSync(store.pathOf(sha256), "%PDF-1.4 tampered");
    await expect(store.read(sha256)).rejects.toThrow(/corrupt/);
  });
});

describe("ERP-supplied files", () => {
  it("serves the ERP's original invoice PDF instead of rendering one", async () => {
    const db = await getDb();
    const invoice = (await db.query<{ id: string; account_id: string }>(`SELECT id, account_id FROM invoices WHERE kind = 'invoice' ORDER BY number LIMIT 1`)).rows[0];
    const stored = await storeErpFile(db, { erpId: "DMS-TEST-1", erpVersion: 1, accountId: invoice.account_id, documentType: "invoice", documentId: invoice.id, title: "Original", fileName: "original.pdf", contentType: "application/pdf" }, PDF);
    expect(await getBlobStore().read(stored.sha256)).toEqual(PDF);
    const doc = (await loadInvoiceDocumentForStaff(db, invoice.id))!;
    const file = await invoicePdfFile(db, doc);
    expect(file.source).toBe("erp");
    expect(file.bytes).toEqual(PDF);
    // An older ERP version never replaces a newer one.
    await storeErpFile(db, { erpId: "DMS-TEST-1", erpVersion: 0, accountId: invoice.account_id, documentType: "invoice", documentId: invoice.id, title: "Old", fileName: "old.pdf", contentType: "application/pdf" }, Buffer.from("%PDF-1.4 old"));
    expect((await db.query<{ title: string }>(`SELECT title FROM document_files WHERE erp_id = 'DMS-TEST-1'`)).rows[0].title).toBe("Original");
    await expect(
      storeErpFile(db, { erpId: "DMS-TEST-2", accountId: invoice.account_id, documentType: "data_sheet", title: "x", fileName: "x.pdf", contentType: "application/pdf" }, Buffer.from(readFileSync("package.json"))),
    ).rejects.toBeInstanceOf(BlobRejectedError);
  });
});
