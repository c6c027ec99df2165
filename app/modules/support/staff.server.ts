import { getDb } from "~/db/connection.server";
import { isUuid } from "~/modules/ids";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { mailTicketAnswered, mailTicketAssigned } from "~/modules/notify/mails.server";
import { attachFiles, type AttachmentEventMeta } from "~/modules/attachments/attachments.server";
import type { CheckedAttachment } from "~/modules/attachments/upload.server";
import type { Queryable } from "~/db/db.server";
import { staffCan, type StaffRole } from "~/modules/access/permissions";
import type { StaffTicketInput, TicketAssignInput } from "./schemas";
import { loadRelated, loadTicketMessages, type TicketDetail } from "./ticket.server";

/**
 * Staff's side of support tickets (admin routes only; no customer scope): the queue across
 * accounts, the whole thread including internal notes, answers and status changes.
 */

export interface StaffTicketRow {
  id: string;
  number: string;
  subject: string;
  category: string;
  priority: string;
  status: string;
  updatedAt: Date;
  accountId: string;
  accountNumber: string;
  accountName: string;
  assigneeId: string | null;
  assigneeName: string | null;
}

/**
 * Tickets waiting for the supplier first, then by last change; `status` narrows, "active" = not
 * resolved or closed; `assigneeId` keeps one colleague's tickets, `null` the unassigned ones.
 */
export async function listTicketsForStaff(filters: { status?: string; assigneeId?: string | null }, limit = 200): Promise<StaffTicketRow[]> {
  const db = await getDb();
  const status = filters.status || null;
  const assignee = filters.assigneeId === undefined ? "any" : (filters.assigneeId ?? "none");
  const { rows } = await db.query<StaffTicketRow>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.updated_at AS "updatedAt",
            a.id AS "accountId", a.number AS "accountNumber", a.name AS "accountName",
            t.assigned_to_user_id AS "assigneeId", s.name AS "assigneeName"
       FROM support_tickets t JOIN accounts a ON a.id = t.account_id LEFT JOIN users s ON s.id = t.assigned_to_user_id
      WHERE ($1::text IS NULL OR ($1 = 'active' AND t.status NOT IN ('resolved', 'closed')) OR t.status = $1)
        AND ($3 = 'any' OR ($3 = 'none' AND t.assigned_to_user_id IS NULL) OR t.assigned_to_user_id::text = $3)
      ORDER BY (t.status IN ('open', 'waiting_on_supplier')) DESC, t.updated_at DESC LIMIT $2`,
    [status, limit, assignee],
  );
  return rows;
}

/** The colleagues a ticket can go to: active staff whose role answers tickets, by name. */
export async function listTicketAssignees(db: Queryable): Promise<{ id: string; name: string; email: string }[]> {
  const { rows } = await db.query<{ id: string; name: string | null; email: string; role: StaffRole }>(
    `SELECT id, name, email, staff_role AS role FROM users WHERE kind = 'staff' AND status = 'active' ORDER BY coalesce(name, email)`,
  );
  return rows.filter((r) => staffCan(r.role, "tickets.answer")).map(({ id, name, email }) => ({ id, name: name ?? email, email }));
}

export type TicketAssignResult =
  /** `mailed`: the new assignee gets a mail about it (handed over by a colleague). */
  | { ok: true; number: string; assigneeName: string | null; changed: boolean; mailed: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid"; fieldErrors: Record<string, string> };

/**
 * Hands a ticket to a colleague who answers tickets (or to nobody): internal, so the customer's
 * view does not change; audited as `ticket.assigned` with who had it before. A colleague it is
 * handed to gets a mail (queued in this transaction; decision 037), and customer replies are then
 * mailed to the assignee (mails.server.ts).
 */
export async function assignTicket(
  staff: { userId: string },
  ticketId: string,
  input: TicketAssignInput,
  origin: { ip?: string | null; userAgent?: string | null } = {},
): Promise<TicketAssignResult> {
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  const db = await getDb();
  return db.transaction<TicketAssignResult>(async (tx) => {
    const { rows } = await tx.query<{ id: string; number: string; accountId: string; assigneeId: string | null }>(
      `SELECT id, number, account_id AS "accountId", assigned_to_user_id AS "assigneeId" FROM support_tickets WHERE id = $1 FOR UPDATE`,
      [ticketId],
    );
    const ticket = rows[0];
    if (!ticket) return { ok: false, reason: "not_found" };
    const assignee = input.assignee ? (await listTicketAssignees(tx)).find((a) => a.id === input.assignee) : null;
    if (assignee === undefined) return { ok: false, reason: "invalid", fieldErrors: { assignee: "must be a colleague who answers tickets" } };
    if (ticket.assigneeId === input.assignee) return { ok: true, number: ticket.number, assigneeName: assignee?.name ?? null, changed: false, mailed: false };
    await tx.query(`UPDATE support_tickets SET assigned_to_user_id = $2 WHERE id = $1`, [ticket.id, input.assignee]);
    await recordAuditEvent(tx, {
      action: "ticket.assigned", actorUserId: staff.userId, accountId: ticket.accountId, entityType: "support_ticket", entityId: ticket.id,
      ip: origin.ip, userAgent: origin.userAgent, details: { number: ticket.number, from: ticket.assigneeId, to: input.assignee },
    });
    // Whoever takes a ticket themselves knows; a colleague it is handed to hears it by mail.
    const mailed = assignee && assignee.id !== staff.userId
      ? (await mailTicketAssigned(tx, ticket, { assignerUserId: staff.userId, assigneeId: assignee.id, previousAssigneeId: ticket.assigneeId })) > 0
      : false;
    return { ok: true, number: ticket.number, assigneeName: assignee?.name ?? null, changed: true, mailed };
  });
}

export type StaffTicketDetail = TicketDetail & {
  accountId: string;
  accountNumber: string;
  accountName: string;
  assigneeId: string | null;
  assigneeName: string | null;
};

export async function getTicketForStaff(ticketId: string): Promise<StaffTicketDetail | null> {
  if (!isUuid(ticketId)) return null;
  const db = await getDb();
  const { rows } = await db.query<Omit<StaffTicketDetail, "related" | "messages"> & { relatedType: string | null; relatedId: string | null }>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
            t.closed_at AS "closedAt", u.name AS "createdBy", t.related_entity_type AS "relatedType", t.related_entity_id AS "relatedId",
            a.id AS "accountId", a.number AS "accountNumber", a.name AS "accountName",
            t.assigned_to_user_id AS "assigneeId", s.name AS "assigneeName"
       FROM support_tickets t JOIN accounts a ON a.id = t.account_id LEFT JOIN users u ON u.id = t.created_by_user_id
       LEFT JOIN users s ON s.id = t.assigned_to_user_id
      WHERE t.id = $1`,
    [ticketId],
  );
  const ticket = rows[0];
  if (!ticket) return null;
  const { relatedType, relatedId, ...rest } = ticket;
  return { ...rest, related: await loadRelated(db, relatedType, relatedId), messages: await loadTicketMessages(db, ticket.id, true) };
}

export type StaffTicketResult = { ok: true; number: string; status: string } | { ok: false; reason: "not_found" };

/**
 * A staff answer: a reply the customer reads (the ticket then waits on the customer unless a status
 * is chosen), or an internal note the customer never sees, and/or a status change. Replies are
 * audited as `ticket.message` and status changes as `ticket.status_changed` (both reach the ERP);
 * internal notes as `support.internal_note` (audit trail only). `files` (checked) are attached to the
 * answer or note and named in its audit event; a note's files stay as hidden from contacts as the note.
 */
export async function answerTicket(
  staff: { userId: string },
  ticketId: string,
  input: StaffTicketInput,
  origin: { ip?: string | null; userAgent?: string | null } = {},
  files: readonly CheckedAttachment[] = [],
): Promise<StaffTicketResult> {
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  if (files.length > 0 && !input.body) throw new Error("answerTicket: files need an answer or note to belong to (the form asks for one)");
  const db = await getDb();
  return db.transaction<StaffTicketResult>(async (tx) => {
    const { rows } = await tx.query<{ id: string; number: string; status: string; accountId: string; locationId: string | null }>(
      `SELECT id, number, status, account_id AS "accountId", location_id AS "locationId" FROM support_tickets WHERE id = $1 FOR UPDATE`,
      [ticketId],
    );
    const ticket = rows[0];
    if (!ticket) return { ok: false, reason: "not_found" };
    const audit = (action: string, details: Record<string, unknown>) =>
      recordAuditEvent(tx, {
        action, actorUserId: staff.userId, accountId: ticket.accountId, entityType: "support_ticket", entityId: ticket.id,
        ip: origin.ip, userAgent: origin.userAgent, details: { number: ticket.number, ...details },
      });
    let status = input.status && input.status !== ticket.status ? input.status : ticket.status;
    let attached: AttachmentEventMeta[] = [];
    if (input.body) {
      const { rows: message } = await tx.query<{ id: string }>(
        `INSERT INTO ticket_messages (account_id, location_id, ticket_id, author_user_id, body, is_internal) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [ticket.accountId, ticket.locationId, ticket.id, staff.userId, input.body, input.internal],
      );
      const attachments = await attachFiles(
        tx, { accountId: ticket.accountId, locationId: ticket.locationId, ticketMessageId: message[0].id, uploadedBy: staff.userId, fromSupplier: true }, files,
      );
      if (!input.internal) attached = attachments;
      if (input.internal) await audit("support.internal_note", { messageId: message[0].id, attachments });
      else {
        await audit("ticket.message", { messageId: message[0].id, body: input.body, from: "supplier", attachments });
        // A public answer hands the ticket to the customer unless staff chose a status themselves.
        if (status === ticket.status && (status === "open" || status === "waiting_on_supplier")) status = "waiting_on_customer";
      }
    }
    if (status !== ticket.status) {
      await tx.query(
        `UPDATE support_tickets SET status = $2, updated_at = now(),
                closed_at = CASE WHEN $2 IN ('resolved', 'closed') THEN coalesce(closed_at, now()) ELSE NULL END
          WHERE id = $1`,
        [ticket.id, status],
      );
      await audit("ticket.status_changed", { from: ticket.status, to: status });
    } else if (input.body && !input.internal) {
      await tx.query(`UPDATE support_tickets SET updated_at = now() WHERE id = $1`, [ticket.id]);
    }
    await mailTicketAnswered(tx, ticket, {
      answer: input.body && !input.internal ? input.body : null, newStatus: status !== ticket.status ? status : null, attachments: attached,
    });
    return { ok: true, number: ticket.number, status };
  });
}
