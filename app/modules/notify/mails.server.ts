import { getConfig } from "~/config.server";
import type { Queryable } from "~/db/db.server";
import { codeLabel, translate, type Language, type MessageKey } from "~/i18n/i18n";
import { formatQuantity } from "~/i18n/units";
import { queueMails, type QueuedMail } from "~/modules/mail/queue.server";
import { loadReturnLines, type ReturnRequestDetail } from "~/modules/returns/returns.server";
import { loadReturnAttachments } from "~/modules/attachments/attachments.server";
import { formatBytes } from "~/modules/attachments/limits";
import { getSupplierSettings, supplierDisplayName } from "~/modules/supplier/supplier.server";
import type { TicketRow } from "~/modules/support/tickets.server";
import { colleagueRecipient, contactWhoSees, staffRecipients, type MailRecipient } from "./recipients.server";

/**
 * Notification mails about tickets and return requests (decisions 031, 032). Each `mail…` function is
 * called by the module that makes the change, inside its transaction: it composes the mails from the
 * transaction's rows and queues them (queueMails), and the mail sender sends them in the background
 * with retries, so a slow or failing SMTP server never fails or delays the contact's or staff
 * member's action, and a committed change cannot lose its mails. Contacts get mail about their own
 * records only while they can still see them (recipients.server.ts) and never see internal notes: the
 * callers pass only the text the customer reads. Plain text, in the recipient's language, with a
 * link to the record's page under PUBLIC_URL.
 */

/** A ticket status after which the contact hears from us even without an answer. */
const FINAL_TICKET_STATUSES = ["resolved", "closed"];

const link = (path: string) => `${getConfig().publicUrl}${path}`;

/** A file attached to what the mail is about: named with its size, never sent along (decision 033). */
type FileFacts = { name: string; size: number };

/** "\n\nAttachments (in the portal): a.png (5 kB), b.pdf (18 kB)", or nothing. */
function attachmentsLine(lang: Language, files: readonly FileFacts[] = []): string {
  if (files.length === 0) return "";
  return translate(lang, "mail.attachments", { files: files.map((f) => `${f.name} (${formatBytes(f.size, lang)})`).join(", ") });
}

/** A return request's files from the contact (`fromSupplier` false) or from staff, for the mail's line. */
async function returnFiles(db: Queryable, returnId: string, fromSupplier: boolean): Promise<FileFacts[]> {
  return (await loadReturnAttachments(db, returnId)).filter((a) => a.fromSupplier === fromSupplier).map((a) => ({ name: a.fileName, size: a.byteSize }));
}

async function supplierName(db: Queryable): Promise<string> {
  return supplierDisplayName(await getSupplierSettings(db));
}

/** A contact's mail: greeting, body, and the footer saying how to turn these mails off. */
function contactMail(to: MailRecipient, supplier: string, subject: string, body: string): QueuedMail {
  const lang = to.language;
  const greeting = translate(lang, "mail.notify.greeting", { name: to.name ?? "" });
  const footer = translate(lang, "mail.notify.footer", { supplier, settings: link("/settings") });
  return { to: to.email, language: lang, subject, text: `${greeting}\n\n${body}\n\n-- \n${footer}\n` };
}

/** The ticket list's row (without its dates), who opened it and whose account it is. */
interface TicketFacts extends Omit<TicketRow, "createdAt" | "updatedAt"> {
  createdBy: string | null;
  assigneeId: string | null;
  accountName: string;
  accountNumber: string;
}

async function loadTicket(db: Queryable, ticketId: string): Promise<TicketFacts> {
  const { rows } = await db.query<TicketFacts>(
    `SELECT t.id, t.number, t.subject, t.category, t.priority, t.status, t.created_by_user_id AS "createdBy",
            t.assigned_to_user_id AS "assigneeId", a.name AS "accountName", a.number AS "accountNumber"
       FROM support_tickets t JOIN accounts a ON a.id = t.account_id WHERE t.id = $1`,
    [ticketId],
  );
  if (!rows[0]) throw new Error(`ticket ${ticketId} is gone`);
  return rows[0];
}

async function loadAuthor(db: Queryable, userId: string): Promise<{ name: string; email: string }> {
  const { rows } = await db.query<{ name: string; email: string }>(`SELECT name, email FROM users WHERE id = $1`, [userId]);
  return rows[0] ?? { name: "?", email: "?" };
}

/**
 * Staff answered a ticket: a public answer (`answer`, never an internal note) and/or a new status.
 * The contact who opened it hears about the answer, or about the ticket being resolved or closed.
 */
export async function mailTicketAnswered(
  db: Queryable,
  ticket: { id: string; number: string },
  change: { answer: string | null; newStatus: string | null; attachments?: readonly FileFacts[] },
): Promise<void> {
  const final = change.newStatus !== null && FINAL_TICKET_STATUSES.includes(change.newStatus);
  if (!change.answer && !final) return;
  await queueMails(db, { kind: change.answer ? "ticket.answered" : "ticket.status", reference: ticket.number }, async () => {
    const t = await loadTicket(db, ticket.id);
    const to = await contactWhoSees(db, t.createdBy, "support_tickets", t.id);
    if (!to) return [];
    const supplier = await supplierName(db);
    const lang = to.language;
    const vars = { supplier, number: t.number, subject: t.subject, status: codeLabel(lang, "status", t.status), link: link(`/support/${t.id}`) };
    const [subject, body] = change.answer
      ? [translate(lang, "mail.ticket.answer.subject", vars), translate(lang, "mail.ticket.answer.body", { ...vars, message: change.answer + attachmentsLine(lang, change.attachments) })]
      : [translate(lang, "mail.ticket.status.subject", vars), translate(lang, "mail.ticket.status.body", vars)];
    return [contactMail(to, supplier, subject, body)];
  });
}

/**
 * A contact opened a ticket or replied on one: the staff who answer tickets hear about it, with the
 * message; a reply on an assigned ticket goes to the assignee alone (staff.server.ts assignTicket).
 */
export async function mailStaffAboutTicket(
  db: Queryable,
  ticket: { id: string; number: string },
  event: "created" | "reply",
  message: { authorUserId: string; body: string; attachments?: readonly FileFacts[] },
): Promise<void> {
  await queueMails(db, { kind: `staff.ticket.${event}`, reference: ticket.number }, async () => {
    const t = await loadTicket(db, ticket.id);
    const recipients = await staffRecipients(db, "tickets.answer", event === "reply" ? t.assigneeId : null);
    if (recipients.length === 0) return [];
    const author = await loadAuthor(db, message.authorUserId);
    const keys: [MessageKey, MessageKey] =
      event === "created" ? ["mail.staff.ticketCreated.subject", "mail.staff.ticketCreated.body"] : ["mail.staff.ticketReply.subject", "mail.staff.ticketReply.body"];
    return recipients.map((to) => {
      const lang = to.language;
      const vars = {
        number: t.number, subject: t.subject, account: `${t.accountName} (${t.accountNumber})`, contact: author.name, email: author.email,
        category: codeLabel(lang, "support.category", t.category), priority: codeLabel(lang, "support.priority", t.priority),
        message: message.body + attachmentsLine(lang, message.attachments), link: link(`/admin/tickets/${t.id}`),
      };
      return { to: to.email, language: lang, subject: translate(lang, keys[0], vars), text: `${translate(lang, keys[1], vars)}\n` };
    });
  });
}

/**
 * A colleague handed a ticket to another (staff.server.ts assignTicket; never taking it themselves,
 * unassigning, or re-choosing the same person): the new assignee hears who gave it to them, whose
 * ticket it is and who had it before, with a link to its admin page. Internal like the assignment.
 * Answers how many mails were queued (0: SUPPORT_MAIL_TO=off, or the composition failed).
 */
export async function mailTicketAssigned(
  db: Queryable,
  ticket: { id: string; number: string },
  change: { assignerUserId: string; assigneeId: string; previousAssigneeId: string | null },
): Promise<number> {
  return queueMails(db, { kind: "staff.ticket.assigned", reference: ticket.number }, async () => {
    const to = await colleagueRecipient(db, change.assigneeId, "tickets.answer");
    if (!to) return [];
    const t = await loadTicket(db, ticket.id);
    const assigner = await loadAuthor(db, change.assignerUserId);
    const lang = to.language;
    const previous =
      change.previousAssigneeId && change.previousAssigneeId !== change.assignerUserId
        ? translate(lang, "mail.staff.ticketAssigned.previous", { name: (await loadAuthor(db, change.previousAssigneeId)).name })
        : "";
    const vars = {
      assigner: assigner.name, number: t.number, subject: t.subject, account: `${t.accountName} (${t.accountNumber})`, previous,
      category: codeLabel(lang, "support.category", t.category), priority: codeLabel(lang, "support.priority", t.priority),
      link: link(`/admin/tickets/${t.id}`),
    };
    return [{ to: to.email, language: lang, subject: translate(lang, "mail.staff.ticketAssigned.subject", vars), text: `${translate(lang, "mail.staff.ticketAssigned.body", vars)}\n` }];
  });
}

/** What the return request's page shows that a mail needs, with the requester's id and the account. */
interface ReturnFacts extends Pick<ReturnRequestDetail, "id" | "number" | "status" | "reason" | "comment" | "decisionNote" | "orderNumber"> {
  requestedBy: string | null;
  accountName: string;
  accountNumber: string;
}

async function loadReturn(db: Queryable, returnId: string): Promise<ReturnFacts> {
  const { rows } = await db.query<ReturnFacts>(
    `SELECT r.id, r.number, r.status, r.reason, r.comment, r.decision_note AS "decisionNote", o.number AS "orderNumber",
            r.requested_by_user_id AS "requestedBy", a.name AS "accountName", a.number AS "accountNumber"
       FROM return_requests r JOIN accounts a ON a.id = r.account_id LEFT JOIN sales_orders o ON o.id = r.sales_order_id
      WHERE r.id = $1`,
    [returnId],
  );
  if (!rows[0]) throw new Error(`return request ${returnId} is gone`);
  return rows[0];
}

/** Staff approved or rejected a return request: the contact who requested it reads the decision and the note meant for them. */
export async function mailReturnDecided(db: Queryable, request: { id: string; number: string }): Promise<void> {
  await queueMails(db, { kind: "return.decided", reference: request.number }, async () => {
    const r = await loadReturn(db, request.id);
    if (r.status !== "approved" && r.status !== "rejected") return [];
    const files = await returnFiles(db, r.id, true);
    const to = await contactWhoSees(db, r.requestedBy, "return_requests", r.id);
    if (!to) return [];
    const supplier = await supplierName(db);
    const lang = to.language;
    const vars = {
      supplier, number: r.number, order: r.orderNumber ?? "–", status: codeLabel(lang, "status", r.status), link: link(`/returns/${r.id}`),
      note: (r.decisionNote ? translate(lang, "mail.return.note", { note: r.decisionNote }) : "") + attachmentsLine(lang, files),
    };
    const body = translate(lang, r.status === "approved" ? "mail.return.approved.body" : "mail.return.rejected.body", vars);
    return [contactMail(to, supplier, translate(lang, "mail.return.decided.subject", vars), body)];
  });
}

/** A contact requested or cancelled a return: the staff who decide returns hear about it (lines and comment on a new one). */
export async function mailStaffAboutReturn(db: Queryable, request: { id: string; number: string }, event: "requested" | "cancelled", actorUserId: string): Promise<void> {
  await queueMails(db, { kind: `staff.return.${event}`, reference: request.number }, async () => {
    const recipients = await staffRecipients(db, "returns.decide");
    if (recipients.length === 0) return [];
    const r = await loadReturn(db, request.id);
    const author = await loadAuthor(db, actorUserId);
    const lines = await loadReturnLines(db, r.id);
    const files = event === "requested" ? await returnFiles(db, r.id, false) : [];
    return recipients.map((to) => {
      const lang: Language = to.language;
      const vars = {
        number: r.number, order: r.orderNumber ?? "–", account: `${r.accountName} (${r.accountNumber})`, contact: author.name, email: author.email,
        reason: codeLabel(lang, "returns.reason", r.reason), link: link(`/admin/returns/${r.id}`),
        lines: lines.map((l) => `- ${l.lineNo}. ${l.sku ? `${l.sku} ` : ""}${l.description}: ${formatQuantity(lang, l.quantity, l.unit)}`).join("\n"),
        comment: (r.comment ? translate(lang, "mail.staff.comment", { comment: r.comment }) : "") + attachmentsLine(lang, files),
      };
      const [subject, body]: [MessageKey, MessageKey] =
        event === "requested" ? ["mail.staff.returnRequested.subject", "mail.staff.returnRequested.body"] : ["mail.staff.returnCancelled.subject", "mail.staff.returnCancelled.body"];
      return { to: to.email, language: lang, subject: translate(lang, subject, vars), text: `${translate(lang, body, vars)}\n` };
    });
  });
}
