import { getDb } from "~/db/connection.server";
import { LIST_LIMIT } from "~/modules/lists";
import type { Queryable } from "~/db/db.server";
import { isUuid } from "~/modules/ids";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { loadReturnAttachments } from "~/modules/attachments/attachments.server";
import type { AttachmentMeta } from "~/modules/attachments/limits";

export interface ReturnRequestRow {
  id: string;
  number: string;
  reason: string;
  status: string;
  createdAt: Date;
  orderId: string | null;
  orderNumber: string | null;
}

/** The scope's return requests, newest first; `orderId` keeps one order's. */
export async function listReturnRequests(scope: Scope, filters: { orderId?: string } = {}): Promise<ReturnRequestRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "r", 2);
  const { rows } = await db.query<ReturnRequestRow>(
    `SELECT r.id, r.number, r.reason, r.status, r.created_at AS "createdAt", o.id AS "orderId", o.number AS "orderNumber"
       FROM return_requests r LEFT JOIN sales_orders o ON o.id = r.sales_order_id
      WHERE ($1::uuid IS NULL OR r.sales_order_id = $1::uuid) AND ${where.sql} ORDER BY r.created_at DESC, r.number DESC LIMIT ${LIST_LIMIT}`,
    [filters.orderId ?? null, ...where.params],
  );
  return rows;
}

export interface ReturnRequestDetail extends ReturnRequestRow {
  comment: string | null;
  decisionNote: string | null;
  decidedAt: Date | null;
  requestedBy: string | null;
  locationName: string | null;
  lines: { lineNo: number; sku: string | null; description: string; quantity: string; unit: string }[];
  /** The contact's files with the request, then staff's with the decision (decision 033). */
  attachments: AttachmentMeta[];
}

/** One return request with its lines; null when it is not in the scope (404). */
export async function getReturnRequest(scope: Scope, returnId: string): Promise<ReturnRequestDetail | null> {
  if (!isUuid(returnId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "r", 2);
  const { rows } = await db.query<Omit<ReturnRequestDetail, "lines" | "attachments">>(
    `SELECT r.id, r.number, r.reason, r.status, r.created_at AS "createdAt", o.id AS "orderId", o.number AS "orderNumber",
            r.comment, r.decision_note AS "decisionNote", r.decided_at AS "decidedAt", u.name AS "requestedBy", loc.name AS "locationName"
       FROM return_requests r LEFT JOIN sales_orders o ON o.id = r.sales_order_id
       LEFT JOIN users u ON u.id = r.requested_by_user_id LEFT JOIN locations loc ON loc.id = r.location_id
      WHERE r.id = $1 AND ${where.sql}`,
    [returnId, ...where.params],
  );
  const request = rows[0];
  if (!request) return null;
  return { ...request, lines: await loadReturnLines(db, request.id), attachments: await loadReturnAttachments(db, request.id) };
}

/** A return request's lines (the request itself was already found in the caller's scope). */
export async function loadReturnLines(db: Queryable, returnId: string): Promise<ReturnRequestDetail["lines"]> {
  const { rows } = await db.query<ReturnRequestDetail["lines"][number]>(
    `SELECT line_no AS "lineNo", sku, description, quantity::text AS quantity, unit FROM return_request_lines WHERE return_request_id = $1 ORDER BY line_no`,
    [returnId],
  );
  return rows;
}
