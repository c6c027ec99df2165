import { getDb } from "~/db/connection.server";
import type { Queryable } from "~/db/db.server";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { getBlobStore } from "~/modules/blobs/blob-store.server";
import { isUuid } from "~/modules/ids";
import { INLINE_IMAGE_TYPES, type AttachmentMeta } from "./limits";
import type { CheckedAttachment } from "./upload.server";

/**
 * Attachments of ticket messages and return requests (decision 033): rows in `attachments`, bytes in
 * the blob store. Contacts reach one only through the record it belongs to, scoped like that record
 * (DESIGN rule 1): the ticket or return request in their scope, and never a staff-only note's file.
 */

/** Which record the files belong to, and who attached them. */
export type AttachmentOwner = {
  accountId: string;
  locationId: string | null;
  uploadedBy: string;
  fromSupplier: boolean;
} & ({ ticketMessageId: string } | { returnRequestId: string });

/** What the audit event (and so the ERP's webhook event) says of each file: never the bytes. */
export interface AttachmentEventMeta {
  id: string;
  name: string;
  type: string;
  size: number;
}

/**
 * Stores checked files in the blob store and their rows in the caller's transaction (the record and
 * its audit event commit or roll back with them); returns the metadata for the audit event.
 */
export async function attachFiles(tx: Queryable, owner: AttachmentOwner, files: readonly CheckedAttachment[]): Promise<AttachmentEventMeta[]> {
  const meta: AttachmentEventMeta[] = [];
  for (const file of files) {
    const sha256 = await getBlobStore().write(file.bytes);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO attachments (account_id, location_id, ticket_message_id, return_request_id, from_supplier, file_name, media_type, byte_size,
                                blob_sha256, uploaded_by_user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        owner.accountId, owner.locationId, "ticketMessageId" in owner ? owner.ticketMessageId : null, "returnRequestId" in owner ? owner.returnRequestId : null,
        owner.fromSupplier, file.fileName, file.mediaType, file.bytes.byteLength, sha256, owner.uploadedBy,
      ],
    );
    meta.push({ id: rows[0].id, name: file.fileName, type: file.mediaType, size: file.bytes.byteLength });
  }
  return meta;
}

const META_COLUMNS = `a.id, a.file_name AS "fileName", a.media_type AS "mediaType", a.byte_size::int AS "byteSize", a.from_supplier AS "fromSupplier",
                      u.name AS "uploadedBy", a.created_at AS "createdAt"`;

/** The attachments of these ticket messages by message id (the messages were already found in the caller's scope). */
export async function loadMessageAttachments(db: Queryable, messageIds: readonly string[]): Promise<Map<string, AttachmentMeta[]>> {
  const byMessage = new Map<string, AttachmentMeta[]>();
  if (messageIds.length === 0) return byMessage;
  const { rows } = await db.query<AttachmentMeta & { messageId: string }>(
    `SELECT ${META_COLUMNS}, a.ticket_message_id AS "messageId" FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by_user_id
      WHERE a.ticket_message_id = ANY($1::uuid[]) ORDER BY a.created_at, a.file_name, a.id`,
    [messageIds],
  );
  for (const { messageId, ...meta } of rows) {
    const list = byMessage.get(messageId) ?? [];
    list.push(meta);
    byMessage.set(messageId, list);
  }
  return byMessage;
}

/** A return request's attachments, the contact's first (the request itself was already found in the caller's scope). */
export async function loadReturnAttachments(db: Queryable, returnId: string): Promise<AttachmentMeta[]> {
  const { rows } = await db.query<AttachmentMeta>(
    `SELECT ${META_COLUMNS} FROM attachments a LEFT JOIN users u ON u.id = a.uploaded_by_user_id
      WHERE a.return_request_id = $1 ORDER BY a.from_supplier, a.created_at, a.file_name, a.id`,
    [returnId],
  );
  return rows;
}

export interface AttachmentFile {
  id: string;
  fileName: string;
  mediaType: string;
  sha256: string;
}

const FILE_COLUMNS = `a.id, a.file_name AS "fileName", a.media_type AS "mediaType", a.blob_sha256 AS sha256`;

/**
 * One attachment a contact may open: its ticket (and the message is no internal note) or its return
 * request is in the scope. Everything else, another account's or another location's, is null (404).
 */
export async function getAttachment(scope: Scope, attachmentId: string): Promise<AttachmentFile | null> {
  if (!isUuid(attachmentId)) return null;
  const db = await getDb();
  const tickets = scopeFilter(scope, "t", 2);
  const returns = scopeFilter(scope, "r", 2 + tickets.params.length);
  const { rows } = await db.query<AttachmentFile>(
    `SELECT ${FILE_COLUMNS} FROM attachments a
       LEFT JOIN ticket_messages m ON m.id = a.ticket_message_id
       LEFT JOIN support_tickets t ON t.id = m.ticket_id
       LEFT JOIN return_requests r ON r.id = a.return_request_id
      WHERE a.id = $1
        AND ((t.id IS NOT NULL AND NOT m.is_internal AND ${tickets.sql}) OR (r.id IS NOT NULL AND ${returns.sql}))`,
    [attachmentId, ...tickets.params, ...returns.params],
  );
  return rows[0] ?? null;
}

/** Any attachment, for staff (admin routes only; internal notes' files included). */
export async function getAttachmentForStaff(attachmentId: string): Promise<AttachmentFile | null> {
  if (!isUuid(attachmentId)) return null;
  const db = await getDb();
  const { rows } = await db.query<AttachmentFile>(`SELECT ${FILE_COLUMNS} FROM attachments a WHERE a.id = $1`, [attachmentId]);
  return rows[0] ?? null;
}

/** `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<the real name>` (RFC 6266 / 8187). */
export function contentDisposition(disposition: "inline" | "attachment", fileName: string): string {
  const ascii = fileName.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's bytes with its sniffed type, `nosniff`, and its own name: images a browser shows open
 * inline, everything else (and `?download=1`) downloads. Text says its charset (UTF-8, or
 * Windows-1252 for the spreadsheet exports that are not UTF-8).
 */
export async function attachmentResponse(request: Request, file: AttachmentFile): Promise<Response> {
  const bytes = await getBlobStore().read(file.sha256);
  if (!bytes) throw new Error(`attachment ${file.id}: blob ${file.sha256} is missing from the blob store`);
  const etag = `"${file.sha256}"`;
  const download = ["1", "true"].includes(new URL(request.url).searchParams.get("download") ?? "");
  const inline = !download && INLINE_IMAGE_TYPES.includes(file.mediaType);
  const contentType = file.mediaType.startsWith("text/") ? `${file.mediaType}; charset=${isUtf8(bytes) ? "utf-8" : "windows-1252"}` : file.mediaType;
  const headers = new Headers({
    "Content-Type": contentType,
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.fileName),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "private, max-age=0, must-revalidate",
    ETag: etag,
    Vary: "Cookie",
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(bytes.byteLength));
  return new Response(new Uint8Array(bytes), { status: 200, headers });
}
