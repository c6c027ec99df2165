import { getDb } from "~/db/connection.server";
import { isUuid } from "~/modules/ids";
import type { Queryable } from "~/db/db.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { mailStaffAboutReturn } from "~/modules/notify/mails.server";
import { attachFiles } from "~/modules/attachments/attachments.server";
import type { CheckedAttachment } from "~/modules/attachments/upload.server";
import { quantityField, quantityThousandths, RETURNABLE_ORDER_STATUSES, thousandthsText, type ReturnRequestInput } from "./schemas";

export interface ReturnableLine {
  id: string;
  lineNo: number;
  sku: string;
  description: string;
  unit: string;
  /** Shipped to the customer (sales_order_lines.quantity_shipped). */
  delivered: string;
  /** Already on return requests that are not rejected or cancelled. */
  requested: string;
  /** delivered − requested, never below 0. */
  returnable: string;
}

export interface ReturnableOrder {
  order: { id: string; number: string; status: string; orderDate: string; customerReference: string | null; locationName: string | null };
  /** false: the order is not shipped yet (nothing to return). */
  returnable: boolean;
  lines: ReturnableLine[];
}

export interface ReturnableOrderRow {
  id: string;
  number: string;
  orderDate: string;
  customerReference: string | null;
  status: string;
  locationName: string | null;
}

export type ReturnRequestResult =
  | { ok: true; id: string; number: string; replayed: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid"; fieldErrors: Record<string, string> };

type Origin = { ip?: string | null; userAgent?: string | null };

const ACTIVE_RETURN = `r.status NOT IN ('rejected', 'cancelled')`;

async function loadLines(db: Queryable, orderId: string): Promise<ReturnableLine[]> {
  const { rows } = await db.query<ReturnableLine>(
    `SELECT l.id, l.line_no AS "lineNo", l.sku, l.description, l.unit,
            l.quantity_shipped::text AS delivered, coalesce(req.quantity, 0)::text AS requested,
            greatest(l.quantity_shipped - coalesce(req.quantity, 0), 0)::text AS returnable
       FROM sales_order_lines l
       LEFT JOIN LATERAL (
         SELECT sum(rl.quantity) AS quantity FROM return_request_lines rl JOIN return_requests r ON r.id = rl.return_request_id
          WHERE rl.sales_order_line_id = l.id AND ${ACTIVE_RETURN}
       ) req ON true
      WHERE l.sales_order_id = $1 ORDER BY l.line_no`,
    [orderId],
  );
  return rows;
}

/** The order's lines with what may still be returned; null for an order outside the scope (404). */
export async function getReturnableOrder(scope: Scope, orderId: string): Promise<ReturnableOrder | null> {
  if (!isUuid(orderId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "o", 2);
  const { rows } = await db.query<ReturnableOrder["order"]>(
    `SELECT o.id, o.number, o.status, o.order_date::text AS "orderDate", o.customer_reference AS "customerReference", loc.name AS "locationName"
       FROM sales_orders o LEFT JOIN locations loc ON loc.id = o.location_id
      WHERE o.id = $1 AND ${where.sql}`,
    [orderId, ...where.params],
  );
  const order = rows[0];
  if (!order) return null;
  const returnable = (RETURNABLE_ORDER_STATUSES as readonly string[]).includes(order.status);
  return { order, returnable, lines: await loadLines(db, order.id) };
}

/** Shipped orders with something left to return, newest first (the Returns page's "new request" picker). */
export async function listReturnableOrders(scope: Scope, limit = 300): Promise<ReturnableOrderRow[]> {
  const db = await getDb();
  const where = scopeFilter(scope, "o", 1);
  const { rows } = await db.query<ReturnableOrderRow>(
    `SELECT o.id, o.number, o.order_date::text AS "orderDate", o.customer_reference AS "customerReference", o.status, loc.name AS "locationName"
       FROM sales_orders o LEFT JOIN locations loc ON loc.id = o.location_id
      WHERE ${where.sql} AND o.status = ANY($${where.params.length + 1}::text[])
        AND EXISTS (SELECT 1 FROM sales_order_lines l WHERE l.sales_order_id = o.id AND l.quantity_shipped > 0)
      ORDER BY o.order_date DESC, o.number DESC LIMIT $${where.params.length + 2}`,
    [...where.params, RETURNABLE_ORDER_STATUSES, limit],
  );
  return rows;
}

/**
 * Files a return request for lines of a shipped order. The server decides: the order must be in the
 * scope and the role must hold returns.request (otherwise not found), each quantity at most what was
 * delivered minus what other open requests already return. The order row is locked, so two
 * colleagues cannot both return the same pieces; header and lines are written in one transaction
 * with the audit event `return.requested`, which the audit trigger turns into the ERP's webhook
 * event. The same clientMutationId again (a double click, a replayed outbox entry) answers the
 * request it created the first time. `files` (checked: photos of the damage, a delivery note with
 * remarks) are attached to the request and named in the audit event, never with their bytes.
 */
export async function requestReturn(scope: Scope, input: ReturnRequestInput, origin: Origin = {}, files: readonly CheckedAttachment[] = []): Promise<ReturnRequestResult> {
  if (!contactCan(scope.role, "returns.request")) return { ok: false, reason: "not_found" };
  const db = await getDb();
  return db.transaction<ReturnRequestResult>(async (tx) => {
    const where = scopeFilter(scope, "o", 2);
    const { rows: orders } = await tx.query<{ id: string; accountId: string; locationId: string | null; number: string; status: string }>(
      `SELECT o.id, o.account_id AS "accountId", o.location_id AS "locationId", o.number, o.status
         FROM sales_orders o WHERE o.id = $1 AND ${where.sql} FOR UPDATE`,
      [input.orderId, ...where.params],
    );
    const order = orders[0];
    if (!order) return { ok: false, reason: "not_found" };

    const { rows: earlier } = await tx.query<{ id: string; number: string; accountId: string }>(
      `SELECT id, number, account_id AS "accountId" FROM return_requests WHERE client_mutation_id = $1`,
      [input.clientMutationId],
    );
    if (earlier[0]) {
      if (!scope.accountIds.includes(earlier[0].accountId)) return { ok: false, reason: "not_found" };
      return { ok: true, id: earlier[0].id, number: earlier[0].number, replayed: true };
    }

    const fieldErrors: Record<string, string> = {};
    if (!(RETURNABLE_ORDER_STATUSES as readonly string[]).includes(order.status)) fieldErrors.orderId = "is not shipped yet";
    const lines = await loadLines(tx, order.id);
    const byId = new Map(lines.map((l) => [l.id, l]));
    const picked: { line: ReturnableLine; thousandths: number }[] = [];
    for (const wanted of input.lines) {
      const line = byId.get(wanted.orderLineId);
      if (!line) {
        fieldErrors[quantityField(wanted.orderLineId)] = "is not a line of this order";
        continue;
      }
      const max = quantityThousandths(line.returnable) ?? 0;
      if (wanted.thousandths > max) {
        fieldErrors[quantityField(line.id)] =
          `must be at most ${thousandthsText(max)} (delivered ${thousandthsText(quantityThousandths(line.delivered) ?? 0)}, already requested ${thousandthsText(quantityThousandths(line.requested) ?? 0)})`;
        continue;
      }
      picked.push({ line, thousandths: wanted.thousandths });
    }
    if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid", fieldErrors };

    const { rows: created } = await tx.query<{ id: string; number: string }>(
      `INSERT INTO return_requests (account_id, location_id, number, sales_order_id, requested_by_user_id, reason, comment, client_mutation_id)
       VALUES ($1, $2, 'RMA-' || nextval('return_request_number_seq'), $3, $4, $5, $6, $7) RETURNING id, number`,
      [order.accountId, order.locationId, order.id, scope.userId, input.reason, input.comment, input.clientMutationId],
    );
    const request = created[0];
    picked.sort((a, b) => a.line.lineNo - b.line.lineNo);
    for (const [index, { line, thousandths }] of picked.entries()) {
      await tx.query(
        `INSERT INTO return_request_lines (account_id, location_id, return_request_id, line_no, sales_order_line_id, sku, description, quantity, unit)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [order.accountId, order.locationId, request.id, index + 1, line.id, line.sku, line.description, thousandthsText(thousandths), line.unit],
      );
    }
    const attachments = await attachFiles(
      tx, { accountId: order.accountId, locationId: order.locationId, returnRequestId: request.id, uploadedBy: scope.userId, fromSupplier: false }, files,
    );
    await recordAuditEvent(tx, {
      action: "return.requested",
      actorUserId: scope.userId,
      accountId: order.accountId,
      entityType: "return_request",
      entityId: request.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: {
        number: request.number,
        orderNumber: order.number,
        reason: input.reason,
        comment: input.comment,
        lines: picked.map(({ line, thousandths }, index) => ({ lineNo: index + 1, orderLineNo: line.lineNo, sku: line.sku, quantity: thousandthsText(thousandths), unit: line.unit })),
        attachments,
      },
    });
    await mailStaffAboutReturn(tx, request, "requested", scope.userId);
    return { ok: true, id: request.id, number: request.number, replayed: false };
  });
}

export type ReturnCancelResult =
  | { ok: true; number: string; replayed: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_open"; number: string; status: string };

/**
 * The contact withdraws a return request nobody has decided yet (status `submitted`): it becomes
 * `cancelled`, which frees its quantities for a new request (loadLines counts only open requests).
 * Same rules as filing one: in the scope and with returns.request, otherwise not found. Locked, so a
 * staff decision and a cancel cannot both win; a second cancel (a double submit) answers ok again
 * without a second audit event. Audited as `return.cancelled`, which the audit trigger sends to the
 * ERP as a webhook event like the other return.* events; staff who decide returns get a mail.
 */
export async function cancelReturnRequest(scope: Scope, returnId: string, origin: Origin = {}): Promise<ReturnCancelResult> {
  if (!contactCan(scope.role, "returns.request") || !isUuid(returnId)) return { ok: false, reason: "not_found" };
  const db = await getDb();
  return db.transaction<ReturnCancelResult>(async (tx) => {
    const where = scopeFilter(scope, "r", 2);
    const { rows } = await tx.query<{ id: string; number: string; status: string; accountId: string }>(
      `SELECT r.id, r.number, r.status, r.account_id AS "accountId" FROM return_requests r WHERE r.id = $1 AND ${where.sql} FOR UPDATE`,
      [returnId, ...where.params],
    );
    const request = rows[0];
    if (!request) return { ok: false, reason: "not_found" };
    if (request.status === "cancelled") return { ok: true, number: request.number, replayed: true };
    if (request.status !== "submitted") return { ok: false, reason: "not_open", number: request.number, status: request.status };
    await tx.query(`UPDATE return_requests SET status = 'cancelled', updated_at = now() WHERE id = $1`, [request.id]);
    await recordAuditEvent(tx, {
      action: "return.cancelled",
      actorUserId: scope.userId,
      accountId: request.accountId,
      entityType: "return_request",
      entityId: request.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: { number: request.number, previousStatus: request.status },
    });
    await mailStaffAboutReturn(tx, request, "cancelled", scope.userId);
    return { ok: true, number: request.number, replayed: false };
  });
}
