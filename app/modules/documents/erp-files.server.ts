import { z } from "zod";
import type { Queryable } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { BlobRejectedError, getBlobStore, sniffType, type BlobType } from "~/modules/blobs/blob-store.server";
import { safeFileName } from "~/modules/einvoice/formats";
import { isUuid } from "~/modules/ids";
import type { DocumentFile } from "./invoice-files.server";

/**
 * Files the ERP supplies (original invoice PDFs, statements, certificates, data sheets): the bytes
 * go into the blob store (size-limited, type-checked against their content), the metadata into
 * document_files. An ERP original of an invoice is served instead of a rendering.
 */

export const ERP_FILE_MAX_BYTES = 20 * 1024 * 1024;
const ACCEPTED: BlobType[] = ["application/pdf", "application/xml", "image/png", "image/jpeg"];

export const ErpFileSchema = z.object({
  erpId: z.string().min(1).max(200),
  erpVersion: z.number().int().min(0).default(0),
  accountId: z.string().uuid(),
  locationId: z.string().uuid().nullable().default(null),
  documentType: z.enum(["invoice", "credit_note", "delivery_note", "order_confirmation", "quote", "statement", "certificate", "data_sheet", "other"]),
  documentId: z.string().uuid().nullable().default(null),
  title: z.string().min(1).max(300),
  fileName: z.string().min(1).max(200),
  contentType: z.enum(ACCEPTED as [BlobType, ...BlobType[]]),
  issuedAt: z.coerce.date().nullable().default(null),
});
export type ErpFileInput = z.input<typeof ErpFileSchema>;

/** Stores an ERP file; a newer erp_version replaces the metadata, an older one is ignored. Throws BlobRejectedError. */
export async function storeErpFile(db: Queryable, input: ErpFileInput, bytes: Uint8Array): Promise<{ id: string; sha256: string; byteSize: number }> {
  const meta = ErpFileSchema.parse(input);
  const stored = await getBlobStore().put(bytes, { contentType: meta.contentType, allowed: ACCEPTED, maxBytes: ERP_FILE_MAX_BYTES });
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO document_files (erp_id, erp_version, account_id, location_id, document_type, document_id, title, file_name, content_type, byte_size, sha256, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (erp_id) DO UPDATE SET erp_version = EXCLUDED.erp_version, account_id = EXCLUDED.account_id, location_id = EXCLUDED.location_id,
            document_type = EXCLUDED.document_type, document_id = EXCLUDED.document_id, title = EXCLUDED.title, file_name = EXCLUDED.file_name,
            content_type = EXCLUDED.content_type, byte_size = EXCLUDED.byte_size, sha256 = EXCLUDED.sha256, issued_at = EXCLUDED.issued_at
      WHERE document_files.erp_version <= EXCLUDED.erp_version
     RETURNING id`,
    [meta.erpId, meta.erpVersion, meta.accountId, meta.locationId, meta.documentType, meta.documentId, meta.title, meta.fileName, stored.contentType, stored.byteSize, stored.sha256, meta.issuedAt],
  );
  const id = rows[0]?.id ?? (await db.query<{ id: string }>(`SELECT id FROM document_files WHERE erp_id = $1`, [meta.erpId])).rows[0].id;
  return { id, sha256: stored.sha256, byteSize: stored.byteSize };
}

export class ErpFileUnavailableError extends Error {}

/** A document file in scope (finance files only with invoice rights); null: not found. Throws ErpFileUnavailableError when the bytes never arrived. */
export async function getErpFile(scope: Scope, fileId: string): Promise<{ file: DocumentFile; title: string; documentType: string } | null> {
  if (!isUuid(fileId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "df", 2);
  const { rows } = await db.query<{ id: string; title: string; file_name: string; content_type: string; sha256: string; document_type: string }>(
    `SELECT df.id, df.title, df.file_name, df.content_type, df.sha256, df.document_type FROM document_files df WHERE df.id = $1 AND ${where.sql}`,
    [fileId, ...where.params],
  );
  const row = rows[0];
  if (!row) return null;
  if (["invoice", "credit_note", "statement"].includes(row.document_type) && !contactCan(scope.role, "invoices.read")) return null;
  const bytes = await getBlobStore().read(row.sha256);
  if (!bytes) throw new ErpFileUnavailableError(`The file "${row.title}" has not been transferred from the ERP yet.`);
  const actual = sniffType(bytes);
  if (actual !== row.content_type) throw new BlobRejectedError("wrong_type", `Stored file ${row.sha256} is ${actual ?? "of unknown type"}, not ${row.content_type}.`);
  return { file: { fileName: safeFileName(row.file_name), contentType: row.content_type, bytes, sha256: row.sha256, source: "erp" }, title: row.title, documentType: row.document_type };
}

/** The ERP files of the scope (finance files only with invoice rights), newest first. */
export async function listErpFiles(scope: Scope, limit = 500): Promise<{ id: string; title: string; documentType: string; fileName: string; byteSize: number; issuedAt: Date | null }[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "df", 1);
  const money = contactCan(scope.role, "invoices.read");
  const { rows } = await db.query<{ id: string; title: string; documentType: string; fileName: string; byteSize: number; issuedAt: Date | null }>(
    `SELECT df.id, df.title, df.document_type AS "documentType", df.file_name AS "fileName", df.byte_size AS "byteSize", df.issued_at AS "issuedAt"
       FROM document_files df
      WHERE ${where.sql} AND (${money ? "true" : "false"} OR df.document_type NOT IN ('invoice', 'credit_note', 'statement'))
      ORDER BY df.issued_at DESC NULLS LAST LIMIT ${Number(limit)}`,
    where.params,
  );
  return rows;
}
