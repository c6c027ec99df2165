import type { Queryable } from "~/db/db.server";
import { getDb } from "~/db/connection.server";
import type { Scope } from "~/modules/access/scope.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { isUuid } from "~/modules/ids";

/**
 * Every view and download of a document lands in audit_events (user, document, format, time, IP,
 * user agent). Staff read, per document, whether and when the customer first opened it; a contact
 * reads their own download history.
 */

export type DocumentType = "invoice" | "credit_note" | "delivery_note" | "order_confirmation" | "quote" | "statement" | "file";

export interface AccessOrigin {
  userId: string;
  /** Staff viewing as the contact (decision 035): the event is the contact's, marked as theirs. */
  impersonatorUserId?: string | null;
  accountId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface AccessedDocument {
  type: DocumentType;
  id: string;
  number: string;
  format: string;
  fileName: string;
  sha256?: string;
  source?: string;
}

export function originOf(scope: Scope, request: Request, clientIp: string | undefined): AccessOrigin {
  return { userId: scope.userId, impersonatorUserId: scope.impersonatorUserId ?? null, accountId: scope.accountId, ip: clientIp ?? null, userAgent: request.headers.get("user-agent") };
}

/** One event per document; a bulk download writes them in batches within the caller's stream. */
export async function recordDocumentAccess(db: Queryable, origin: AccessOrigin, action: "document.view" | "document.download", documents: AccessedDocument[], extra: Record<string, unknown> = {}): Promise<void> {
  if (documents.length === 0) return;
  const payload = documents.map((d) => ({
    action,
    actor_user_id: origin.userId,
    impersonator_user_id: origin.impersonatorUserId ?? null,
    account_id: origin.accountId,
    entity_type: d.type,
    entity_id: d.id,
    ip: origin.ip,
    user_agent: origin.userAgent?.slice(0, 500) ?? null,
    details: { number: d.number, format: d.format, fileName: d.fileName, sha256: d.sha256, source: d.source, ...extra },
  }));
  await db.query(
    `INSERT INTO audit_events (action, actor_user_id, impersonator_user_id, account_id, entity_type, entity_id, ip, user_agent, details)
     SELECT action, actor_user_id, impersonator_user_id, account_id, entity_type, entity_id, ip, user_agent, details
       FROM json_populate_recordset(NULL::audit_events, $1::json)`,
    [JSON.stringify(payload)],
  );
}

/** Bulk downloads and exports as one summary event besides the per-document ones. */
export async function recordDocumentEvent(db: Queryable, origin: AccessOrigin, action: "document.bulk_download" | "document.export", details: Record<string, unknown>): Promise<void> {
  await recordAuditEvent(db, { action, actorUserId: origin.userId, impersonatorUserId: origin.impersonatorUserId, accountId: origin.accountId, ip: origin.ip, userAgent: origin.userAgent, details });
}

export interface DownloadHistoryRow {
  at: Date;
  action: string;
  documentType: string | null;
  documentId: string | null;
  number: string | null;
  format: string | null;
  fileName: string | null;
  count: number | null;
}

/** The contact's own views and downloads in the accounts of the scope, newest first (staff viewing as them are not the contact). */
export async function listDownloadHistory(scope: Scope, options: { limit?: number } = {}): Promise<DownloadHistoryRow[]> {
  const db = await getDb();
  const { rows } = await db.query<DownloadHistoryRow>(
    `SELECT at, action, entity_type AS "documentType", entity_id AS "documentId", details->>'number' AS number,
            details->>'format' AS format, details->>'fileName' AS "fileName", (details->>'count')::int AS count
       FROM audit_events
      WHERE actor_user_id = $1 AND account_id = ANY($2::uuid[])
        AND action IN ('document.view', 'document.download', 'document.bulk_download', 'document.export')
        AND NOT (action = 'document.download' AND details ? 'bulk') AND impersonator_user_id IS NULL
      ORDER BY at DESC, id DESC LIMIT $3`,
    [scope.userId, scope.accountIds, options.limit ?? 200],
  );
  return rows;
}

/**
 * The documents this contact opened recently (the offline cache keeps these PDFs). Documents that
 * only went into a bulk ZIP were not opened: 50 of them would push the ones the contact did open
 * out of the 20-PDF cache (an e2e run showed the offline copy of a just-opened PDF evicted so).
 */
export async function listRecentlyOpened(scope: Scope, limit = 20): Promise<{ documentType: string; documentId: string; number: string; at: Date }[]> {
  const db = await getDb();
  const { rows } = await db.query<{ documentType: string; documentId: string; number: string; at: Date }>(
    `SELECT DISTINCT ON (entity_type, entity_id) entity_type AS "documentType", entity_id AS "documentId", details->>'number' AS number, at
       FROM audit_events
      WHERE actor_user_id = $1 AND account_id = ANY($2::uuid[]) AND action IN ('document.view', 'document.download')
        AND details->>'format' = 'pdf' AND at > now() - interval '30 days' AND impersonator_user_id IS NULL AND NOT (details ? 'bulk')
      ORDER BY entity_type, entity_id, at DESC`,
    [scope.userId, scope.accountIds],
  );
  return rows.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit);
}

export interface FirstView {
  firstViewedAt: Date | null;
  firstViewedBy: string | null;
  views: number;
  downloads: number;
  lastAt: Date | null;
}

/** Staff: per document, whether and when a customer contact first opened it (staff access does not count). */
export async function firstCustomerViews(entityType: string, entityIds: string[]): Promise<Map<string, FirstView>> {
  const ids = entityIds.filter(isUuid);
  const result = new Map<string, FirstView>();
  if (ids.length === 0) return result;
  const db = await getDb();
  const { rows } = await db.query<FirstView & { entityId: string }>(
    `SELECT e.entity_id AS "entityId",
            min(e.at) AS "firstViewedAt",
            (array_agg(u.email ORDER BY e.at))[1] AS "firstViewedBy",
            count(*) FILTER (WHERE e.action = 'document.view')::int AS views,
            count(*) FILTER (WHERE e.action = 'document.download')::int AS downloads,
            max(e.at) AS "lastAt"
       FROM audit_events e JOIN users u ON u.id = e.actor_user_id AND u.kind = 'contact'
      WHERE e.entity_type = $1 AND e.entity_id = ANY($2::text[]) AND e.action IN ('document.view', 'document.download')
        AND e.impersonator_user_id IS NULL
      GROUP BY e.entity_id`,
    [entityType, ids],
  );
  for (const row of rows) result.set(row.entityId, row);
  return result;
}

export interface AccessEvent {
  at: Date;
  action: string;
  email: string | null;
  kind: string | null;
  format: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** Staff: the full access trail of one document. */
export async function listDocumentAccess(entityType: string, entityId: string, limit = 200): Promise<AccessEvent[]> {
  if (!isUuid(entityId)) return [];
  const db = await getDb();
  const { rows } = await db.query<AccessEvent>(
    `SELECT e.at, e.action, u.email, u.kind, e.details->>'format' AS format, e.ip, e.user_agent AS "userAgent"
       FROM audit_events e LEFT JOIN users u ON u.id = e.actor_user_id
      WHERE e.entity_type = $1 AND e.entity_id = $2 AND e.action IN ('document.view', 'document.download')
      ORDER BY e.at DESC LIMIT $3`,
    [entityType, entityId, limit],
  );
  return rows;
}
