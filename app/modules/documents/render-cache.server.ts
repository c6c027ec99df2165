import type { Queryable } from "~/db/db.server";
import { getBlobStore, type BlobType } from "~/modules/blobs/blob-store.server";
import { TEMPLATE_VERSION } from "~/modules/pdf/template-version";

/**
 * Issued documents are immutable, so a rendered file is kept under (document type, id, version,
 * template version, language, format) and served from the blob store on every later request.
 * A new ERP version of the document or a new template version renders anew.
 */

export type RenderedType = "invoice" | "credit_note" | "delivery_note" | "order_confirmation" | "quote";

export interface RenderKey {
  documentType: RenderedType;
  documentId: string;
  documentVersion: string;
  language: "en" | "de";
  format: "pdf" | "zugferd-en16931" | "zugferd-xrechnung";
}

export interface RenderedFile {
  bytes: Buffer;
  sha256: string;
  byteSize: number;
  contentType: BlobType;
  cached: boolean;
}

const inFlight = new Map<string, Promise<RenderedFile>>();

export async function renderCached(db: Queryable, key: RenderKey, produce: () => Promise<Uint8Array>): Promise<RenderedFile> {
  const id = [key.documentType, key.documentId, key.documentVersion, TEMPLATE_VERSION, key.language, key.format].join("|");
  const hit = await lookup(db, key);
  if (hit) return hit;
  // Two requests for the same new document render it once.
  let pending = inFlight.get(id);
  if (!pending) {
    pending = renderAndStore(db, key, produce).finally(() => inFlight.delete(id));
    inFlight.set(id, pending);
  }
  return pending;
}

async function lookup(db: Queryable, key: RenderKey): Promise<RenderedFile | null> {
  const { rows } = await db.query<{ sha256: string; byte_size: number; content_type: BlobType }>(
    `SELECT sha256, byte_size, content_type FROM rendered_documents
      WHERE document_type = $1 AND document_id = $2 AND document_version = $3 AND template_version = $4 AND language = $5 AND format = $6`,
    [key.documentType, key.documentId, key.documentVersion, TEMPLATE_VERSION, key.language, key.format],
  );
  const row = rows[0];
  if (!row) return null;
  const bytes = await getBlobStore().read(row.sha256);
  // The row outlived its file (a wiped data directory): render again rather than fail the download.
  if (!bytes) return null;
  return { bytes, sha256: row.sha256, byteSize: Number(row.byte_size), contentType: row.content_type, cached: true };
}

async function renderAndStore(db: Queryable, key: RenderKey, produce: () => Promise<Uint8Array>): Promise<RenderedFile> {
  const started = performance.now();
  // A view of the rendered bytes, not a copy: the worker transferred them, nobody else holds them.
  // (Each copy is one more dead buffer on the main thread until its next GC — see decision 011.)
  const bytes = asBuffer(await produce());
  const renderMs = performance.now() - started;
  const stored = await getBlobStore().put(bytes, { contentType: "application/pdf", allowed: ["application/pdf"], maxBytes: 50 * 1024 * 1024 });
  await db.query(
    `INSERT INTO rendered_documents (document_type, document_id, document_version, template_version, language, format, sha256, byte_size, content_type, render_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (document_type, document_id, document_version, template_version, language, format)
     DO UPDATE SET sha256 = EXCLUDED.sha256, byte_size = EXCLUDED.byte_size, render_ms = EXCLUDED.render_ms`,
    [key.documentType, key.documentId, key.documentVersion, TEMPLATE_VERSION, key.language, key.format, stored.sha256, stored.byteSize, stored.contentType, renderMs.toFixed(1)],
  );
  return { bytes, sha256: stored.sha256, byteSize: stored.byteSize, contentType: stored.contentType, cached: false };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
