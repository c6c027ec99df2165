import { getDb } from "~/db/connection.server";
import { isUuid } from "~/modules/ids";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { mailReturnDecided } from "~/modules/notify/mails.server";
import { attachFiles, loadReturnAttachments } from "~/modules/attachments/attachments.server";
import type { CheckedAttachment } from "~/modules/attachments/upload.server";
import type { ReturnDecisionInput } from "./schemas";
import { loadReturnLines, type ReturnRequestDetail } from "./returns.server";

/**
 * Staff's side of return requests (admin routes only; no customer scope): the queue across accounts
 * and the approve / reject decision with a note the customer reads.
 */

export interface StaffReturnRow {
  id: string;
  number: string;
  status: string;
  reason: string;
  createdAt: Date;
  accountId: string;
  accountNumber: string;
  accountName: string;
  orderNumber: string | null;
  requestedBy: string | null;
}

export async function listReturnRequestsForStaff(filters: { status?: string }, limit = 200): Promise<StaffReturnRow[]> {
  const db = await getDb();
  const { rows } = await db.query<StaffReturnRow>(
    `SELECT r.id, r.number, r.status, r.reason, r.created_at AS "createdAt", a.id AS "accountId", a.number AS "accountNumber",
            a.name AS "accountName", o.number AS "orderNumber", u.name AS "requestedBy"
       FROM return_requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN sales_orders o ON o.id = r.sales_order_id
       LEFT JOIN users u ON u.id = r.requested_by_user_id
      WHERE $1::text IS NULL OR r.status = $1
      ORDER BY (r.status = 'submitted') DESC, r.created_at DESC LIMIT $2`,
    [filters.status || null, limit],
  );
  return rows;
}

export type StaffReturnDetail = ReturnRequestDetail & { accountId: string; accountNumber: string; accountName: string; decidedBy: string | null };

export async function getReturnRequestForStaff(returnId: string): Promise<StaffReturnDetail | null> {
  if (!isUuid(returnId)) return null;
  const db = await getDb();
  const { rows } = await db.query<Omit<StaffReturnDetail, "lines" | "attachments">>(
    `SELECT r.id, r.number, r.reason, r.status, r.created_at AS "createdAt", o.id AS "orderId", o.number AS "orderNumber",
            r.comment, r.decision_note AS "decisionNote", r.decided_at AS "decidedAt", u.name AS "requestedBy", loc.name AS "locationName",
            a.id AS "accountId", a.number AS "accountNumber", a.name AS "accountName", d.name AS "decidedBy"
       FROM return_requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN sales_orders o ON o.id = r.sales_order_id
       LEFT JOIN users u ON u.id = r.requested_by_user_id LEFT JOIN users d ON d.id = r.decided_by_user_id
       LEFT JOIN locations loc ON loc.id = r.location_id
      WHERE r.id = $1`,
    [returnId],
  );
  const request = rows[0];
  if (!request) return null;
  return { ...request, lines: await loadReturnLines(db, request.id), attachments: await loadReturnAttachments(db, request.id) };
}

export type ReturnDecisionResult =
  | { ok: true; number: string; status: "approved" | "rejected" }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_open"; number: string; status: string };

/**
 * Approves or rejects a submitted return request (locked, so two staff members cannot both decide).
 * The audit event `return.approved` / `return.rejected` also becomes the ERP's webhook event. `files`
 * (checked: a return label, a document) go with the decision; the contact sees them on the request.
 */
export async function decideReturnRequest(
  staff: { userId: string },
  input: ReturnDecisionInput,
  origin: { ip?: string | null; userAgent?: string | null } = {},
  files: readonly CheckedAttachment[] = [],
): Promise<ReturnDecisionResult> {
  const db = await getDb();
  return db.transaction<ReturnDecisionResult>(async (tx) => {
    const { rows } = await tx.query<{ id: string; number: string; status: string; accountId: string; locationId: string | null }>(
      `SELECT id, number, status, account_id AS "accountId", location_id AS "locationId" FROM return_requests WHERE id = $1 FOR UPDATE`,
      [input.returnId],
    );
    const request = rows[0];
    if (!request) return { ok: false, reason: "not_found" };
    if (request.status !== "submitted") return { ok: false, reason: "not_open", number: request.number, status: request.status };
    const status = input.intent === "approve" ? "approved" : "rejected";
    await tx.query(
      `UPDATE return_requests SET status = $2, decided_by_user_id = $3, decided_at = now(), decision_note = $4, updated_at = now() WHERE id = $1`,
      [request.id, status, staff.userId, input.note],
    );
    const attachments = await attachFiles(
      tx, { accountId: request.accountId, locationId: request.locationId, returnRequestId: request.id, uploadedBy: staff.userId, fromSupplier: true }, files,
    );
    await recordAuditEvent(tx, {
      action: `return.${status}`,
      actorUserId: staff.userId,
      accountId: request.accountId,
      entityType: "return_request",
      entityId: request.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { number: request.number, note: input.note, attachments },
    });
    await mailReturnDecided(tx, request);
    return { ok: true, number: request.number, status };
  });
}
