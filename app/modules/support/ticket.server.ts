import { getDb } from "~/db/connection.server";
import { isUuid } from "~/modules/ids";
import type { Queryable } from "~/db/db.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { contactCan } from "~/modules/access/permissions";
import { scopeFilter, type Scope } from "~/modules/access/scope.server";
import { mailStaffAboutTicket } from "~/modules/notify/mails.server";
import { attachFiles, loadMessageAttachments } from "~/modules/attachments/attachments.server";
import type { AttachmentMeta } from "~/modules/attachments/limits";
import type { CheckedAttachment } from "~/modules/attachments/upload.server";
import type { NewTicketInput, TicketActionInput } from "./schemas";
import type { TicketRow } from "./tickets.server";

type Origin = { ip?: string | null; userAgent?: string | null };

export interface TicketMessage {
  id: string;
  body: string;
  createdAt: Date;
  authorName: string | null;
  /** Written by the supplier's staff (shown as the supplier's answer). */
  fromSupplier: boolean;
  /** Staff-only note: never in a contact's answer (getTicket leaves them out). */
  isInternal: boolean;
  /** Files attached to this message (decision 033). */
  attachments: AttachmentMeta[];
}

/** A list row (tickets.server.ts) plus what the ticket's page shows. */
export interface TicketDetail extends TicketRow {
  closedAt: Date | null;
  createdBy: string | null;
  related: { type: "sales_order" | "invoice"; id: string; number: string } | null;
  messages: TicketMessage[];
}

export type RelatedRecord = { type: "sales_order" | "invoice"; id: string; number: string; locationId: string | null };

/**
 * An order or invoice of the scope by its number (or id), for a ticket's "related to". Invoices only
 * for roles that read invoices. null: no such record for this contact.
 */
export async function findRelatedRecord(scope: Scope, reference: string): Promise<RelatedRecord | null> {
  const db = await getDb();
  const value = reference.trim();
  const isId = isUuid(value);
  const match = (alias: string) => (isId ? `${alias}.id::text = lower($1)` : `upper(${alias}.number) = upper($1)`);
  const orders = scopeFilter(scope, "o", 2);
  const order = await db.query<RelatedRecord>(
    `SELECT 'sales_order' AS type, o.id, o.number, o.location_id AS "locationId" FROM sales_orders o WHERE ${match("o")} AND ${orders.sql} LIMIT 1`,
    [value, ...orders.params],
  );
  if (order.rows[0]) return order.rows[0];
  if (!contactCan(scope.role, "invoices.read")) return null;
  const invoices = scopeFilter(scope, "i", 2);
  const invoice = await db.query<RelatedRecord>(
    `SELECT 'invoice' AS type, i.id, i.number, i.location_id AS "locationId" FROM invoices i WHERE ${match("i")} AND ${invoices.sql} LIMIT 1`,
    [value, ...invoices.params],
  );
  return invoice.rows[0] ?? null;
}

export type CreateTicketResult =
  | { ok: true; id: string; number: string; replayed: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid"; fieldErrors: Record<string, string> };

/**
 * Opens a ticket with its first message in one transaction: number from the sequence, the location
 * of the related order or invoice (a location-restricted contact's own location otherwise, so they
 * can see it), audited as `ticket.created` (also the ERP's webhook event). The same
 * clientMutationId again answers the ticket it created the first time. `files` (already checked,
 * upload.server.ts) are attached to the first message; the audit event names them (never the bytes).
 */
export async function createTicket(scope: Scope, input: NewTicketInput, origin: Origin = {}, files: readonly CheckedAttachment[] = []): Promise<CreateTicketResult> {
  if (!contactCan(scope.role, "tickets.create")) return { ok: false, reason: "not_found" };
  const related = input.related ? await findRelatedRecord(scope, input.related) : null;
  if (input.related && !related) return { ok: false, reason: "invalid", fieldErrors: { related: "is not an order or invoice number of this account" } };
  const db = await getDb();
  return db.transaction<CreateTicketResult>(async (tx) => {
    const earlier = await tx.query<{ id: string; number: string; accountId: string }>(
      `SELECT id, number, account_id AS "accountId" FROM support_tickets WHERE client_mutation_id = $1`,
      [input.clientMutationId],
    );
    if (earlier.rows[0]) {
      if (!scope.accountIds.includes(earlier.rows[0].accountId)) return { ok: false, reason: "not_found" };
      return { ok: true, id: earlier.rows[0].id, number: earlier.rows[0].number, replayed: true };
    }
    const locationId = related?.locationId ?? scope.locationIds?.[0] ?? null;
    const { rows } = await tx.query<{ id: string; number: string }>(
      `INSERT INTO support_tickets (account_id, location_id, number, subject, category, priority, related_entity_type, related_entity_id,
                                    created_by_user_id, client_mutation_id)
       VALUES ($1, $2, 'T-' || nextval('support_ticket_number_seq'), $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (client_mutation_id) DO NOTHING RETURNING id, number`,
      [scope.accountId, locationId, input.subject, input.category, input.priority, related?.type ?? null, related?.id ?? null, scope.userId, input.clientMutationId],
    );
    const ticket = rows[0];
    if (!ticket) throw new Error("A ticket with this clientMutationId was created at the same moment; submit again to see it.");
    const { rows: message } = await tx.query<{ id: string }>(
      `INSERT INTO ticket_messages (account_id, location_id, ticket_id, author_user_id, body, client_mutation_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [scope.accountId, locationId, ticket.id, scope.userId, input.message, input.clientMutationId],
    );
    const attachments = await attachFiles(tx, { accountId: scope.accountId, locationId, ticketMessageId: message[0].id, uploadedBy: scope.userId, fromSupplier: false }, files);
    await recordAuditEvent(tx, {
      action: "ticket.created",
      actorUserId: scope.userId,
      accountId: scope.accountId,
      entityType: "support_ticket",
      entityId: ticket.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      details: {
        number: ticket.number, subject: input.subject, category: input.category, priority: input.priority, message: input.message,
        related: related ? { type: related.type, number: related.number } : null, attachments,
      },
    });
    await mailStaffAboutTicket(tx, ticket, "created", { authorUserId: scope.userId, body: input.message, attachments });
    return { ok: true, id: ticket.id, number: ticket.number, replayed: false };
  });
}

/** The thread of a ticket, oldest first; internal notes only when `withInternal` (staff). */
export async function loadTicketMessages(db: Queryable, ticketId: string, withInternal: boolean): Promise<TicketMessage[]> {
  const { rows } = await db.query<Omit<TicketMessage, "attachments">>(
    `SELECT m.id, m.body, m.created_at AS "createdAt", u.name AS "authorName", coalesce(u.kind = 'staff', false) AS "fromSupplier", m.is_internal AS "isInternal"
       FROM ticket_messages m LEFT JOIN users u ON u.id = m.author_user_id
      WHERE m.ticket_id = $1 AND ($2::boolean OR NOT m.is_internal) ORDER BY m.created_at, m.id`,
    [ticketId, withInternal],
  );
  const attachments = await loadMessageAttachments(db, rows.map((m) => m.id));
  return rows.map((m) => ({ ...m, attachments: attachments.get(m.id) ?? [] }));
}

/** The related order's or invoice's number (scope-free: the ticket itself was already scoped). */
export async function loadRelated(db: Queryable, type: string | null, id: string | null): Promise<TicketDetail["related"]> {
  if (!id || (type !== "sales_order" && type !== "invoice")) return null;
  const table = type === "sales_order" ? "sales_orders" : "invoices";
  const { rows } = await db.query<{ number: string }>(`SELECT number FROM ${table} WHERE id = $1`, [id]);
  return rows[0] ? { type, id, number: rows[0].number } : null;
}

/** A ticket of the scope with its thread as contacts see it (never internal notes); null → 404. */
export async function getTicket(scope: Scope, ticketId: string): Promise<TicketDetail | null> {
  if (!isUuid(ticketId)) return null;
  const db = await getDb();
  const where = scopeFilter(scope, "t", 2);
  const { rows } = await db.query<Omit<TicketDetail, "related" | "messages"> & { relatedType: string | null; relatedId: string | null }>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
            t.closed_at AS "closedAt", u.name AS "createdBy", t.related_entity_type AS "relatedType", t.related_entity_id AS "relatedId"
       FROM support_tickets t LEFT JOIN users u ON u.id = t.created_by_user_id
      WHERE t.id = $1 AND ${where.sql}`,
    [ticketId, ...where.params],
  );
  const ticket = rows[0];
  if (!ticket) return null;
  const { relatedType, relatedId, ...rest } = ticket;
  return { ...rest, related: await loadRelated(db, relatedType, relatedId), messages: await loadTicketMessages(db, ticket.id, false) };
}

export type TicketActionResult =
  | { ok: true; number: string; status: string; replayed?: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; number: string; status: string };

/**
 * A contact's reply, close or reopen on a ticket of the scope (locked). A reply to an open or
 * resolved ticket puts it back with the supplier (`waiting_on_supplier`); a closed ticket is reopened
 * first. Audited as `ticket.message`, `ticket.closed`, `ticket.reopened` (the ERP hears all three).
 * `files` (checked) are attached to the reply and named in its audit event.
 */
export async function actOnTicket(
  scope: Scope,
  ticketId: string,
  input: TicketActionInput,
  origin: Origin = {},
  files: readonly CheckedAttachment[] = [],
): Promise<TicketActionResult> {
  if (!contactCan(scope.role, "tickets.create")) return { ok: false, reason: "not_found" };
  if (!isUuid(ticketId)) return { ok: false, reason: "not_found" };
  const db = await getDb();
  return db.transaction<TicketActionResult>(async (tx) => {
    const where = scopeFilter(scope, "t", 2);
    const { rows } = await tx.query<{ id: string; number: string; status: string; accountId: string; locationId: string | null }>(
      `SELECT t.id, t.number, t.status, t.account_id AS "accountId", t.location_id AS "locationId" FROM support_tickets t
        WHERE t.id = $1 AND ${where.sql} FOR UPDATE`,
      [ticketId, ...where.params],
    );
    const ticket = rows[0];
    if (!ticket) return { ok: false, reason: "not_found" };
    const audit = (action: string, details: Record<string, unknown>) =>
      recordAuditEvent(tx, {
        action, actorUserId: scope.userId, accountId: ticket.accountId, entityType: "support_ticket", entityId: ticket.id,
        ip: origin.ip, userAgent: origin.userAgent, details: { number: ticket.number, ...details },
      });
    if (input.intent === "reply") {
      const earlier = await tx.query<{ ticketId: string }>(`SELECT ticket_id AS "ticketId" FROM ticket_messages WHERE client_mutation_id = $1`, [input.clientMutationId]);
      if (earlier.rows[0]) {
        if (earlier.rows[0].ticketId !== ticket.id) return { ok: false, reason: "not_found" };
        return { ok: true, number: ticket.number, status: ticket.status, replayed: true };
      }
      if (ticket.status === "closed") return { ok: false, reason: "conflict", number: ticket.number, status: ticket.status };
      const { rows: message } = await tx.query<{ id: string }>(
        `INSERT INTO ticket_messages (account_id, location_id, ticket_id, author_user_id, body, client_mutation_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [ticket.accountId, ticket.locationId, ticket.id, scope.userId, input.body, input.clientMutationId],
      );
      const attachments = await attachFiles(
        tx, { accountId: ticket.accountId, locationId: ticket.locationId, ticketMessageId: message[0].id, uploadedBy: scope.userId, fromSupplier: false }, files,
      );
      await tx.query(`UPDATE support_tickets SET status = 'waiting_on_supplier', updated_at = now() WHERE id = $1`, [ticket.id]);
      await audit("ticket.message", { messageId: message[0].id, body: input.body, from: "customer", attachments });
      await mailStaffAboutTicket(tx, ticket, "reply", { authorUserId: scope.userId, body: input.body, attachments });
      return { ok: true, number: ticket.number, status: "waiting_on_supplier" };
    }
    if (input.intent === "close") {
      if (ticket.status === "closed") return { ok: false, reason: "conflict", number: ticket.number, status: ticket.status };
      await tx.query(`UPDATE support_tickets SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1`, [ticket.id]);
      await audit("ticket.closed", { previousStatus: ticket.status });
      return { ok: true, number: ticket.number, status: "closed" };
    }
    if (ticket.status !== "closed" && ticket.status !== "resolved") return { ok: false, reason: "conflict", number: ticket.number, status: ticket.status };
    await tx.query(`UPDATE support_tickets SET status = 'open', closed_at = NULL, updated_at = now() WHERE id = $1`, [ticket.id]);
    await audit("ticket.reopened", { previousStatus: ticket.status });
    return { ok: true, number: ticket.number, status: "open" };
  });
}
