import { getConfig } from "~/config.server";
import type { Queryable } from "~/db/db.server";
import type { Language } from "~/i18n/i18n";
import { staffCan, type StaffPermission, type StaffRole } from "~/modules/access/permissions";
import { buildScope, listMemberships, scopeFilter } from "~/modules/access/scope.server";
import { getSupplierSettings } from "~/modules/supplier/supplier.server";

export interface MailRecipient {
  email: string;
  /** null for a configured address (SUPPORT_MAIL_TO): no one to greet by name. */
  name: string | null;
  language: Language;
}

/** The customer records a notification is about; each carries account_id and location_id. */
export type NotifiedTable = "support_tickets" | "return_requests";

/**
 * The contact who opened a ticket or requested a return, when a mail about it may still go to them:
 * an active contact who keeps "Email me about my tickets and returns" on and who can still see the
 * record through one of their memberships (the same scope as every read: account, subsidiaries,
 * location restriction; DESIGN rule 1). null otherwise: removed from the account, moved to another
 * location, disabled, or switched off.
 */
export async function contactWhoSees(db: Queryable, userId: string | null, table: NotifiedTable, recordId: string): Promise<MailRecipient | null> {
  if (!userId) return null;
  const { rows } = await db.query<{ id: string; email: string; name: string; language: Language }>(
    `SELECT id, email, name, language FROM users WHERE id = $1 AND kind = 'contact' AND status = 'active' AND notify_by_email`,
    [userId],
  );
  const user = rows[0];
  if (!user) return null;
  for (const membership of await listMemberships(db, user.id)) {
    const scope = await buildScope(db, user, membership.accountId);
    if (!scope) continue;
    const where = scopeFilter(scope, "r", 2);
    const seen = await db.query(`SELECT 1 FROM ${table} r WHERE r.id = $1 AND ${where.sql}`, [recordId, ...where.params]);
    if (seen.rowCount > 0) return { email: user.email, name: user.name, language: user.language };
  }
  return null;
}

/**
 * Who on the supplier's side hears about customer activity: the addresses in SUPPORT_MAIL_TO (a
 * shared inbox, in the supplier's default language), or, when it is unset, every active staff user
 * whose role holds `permission` (admin, sales, support answer tickets and decide returns), each in
 * their own language. SUPPORT_MAIL_TO=off: nobody. `assigneeId` (a ticket's assignee) narrows the
 * unset case to that colleague, while they are active and hold `permission`; otherwise all of them.
 */
export async function staffRecipients(db: Queryable, permission: StaffPermission, assigneeId: string | null = null): Promise<MailRecipient[]> {
  const configured = getConfig().supportMailTo;
  if (configured === "off") return [];
  if (configured) {
    const { defaultLanguage } = await getSupplierSettings(db);
    return configured.map((email) => ({ email, name: null, language: defaultLanguage }));
  }
  const { rows } = await db.query<{ id: string; email: string; name: string; language: Language; role: StaffRole }>(
    `SELECT id, email, name, language, staff_role AS role FROM users WHERE kind = 'staff' AND status = 'active' ORDER BY email`,
  );
  const entitled = rows.filter((r) => staffCan(r.role, permission));
  const assignee = assigneeId ? entitled.filter((r) => r.id === assigneeId) : [];
  return (assignee.length > 0 ? assignee : entitled).map(({ email, name, language }) => ({ email, name, language }));
}

/**
 * One colleague a mail is addressed to in person (a ticket handed to them), at their own address and
 * in their language, while they are active staff whose role holds `permission`. A shared inbox in
 * SUPPORT_MAIL_TO does not take their place: it receives customer activity, and a handover concerns
 * one person (decision 037). SUPPORT_MAIL_TO=off still means no staff mails at all.
 */
export async function colleagueRecipient(db: Queryable, userId: string, permission: StaffPermission): Promise<MailRecipient | null> {
  if (getConfig().supportMailTo === "off") return null;
  const { rows } = await db.query<{ email: string; name: string; language: Language; role: StaffRole }>(
    `SELECT email, name, language, staff_role AS role FROM users WHERE id = $1 AND kind = 'staff' AND status = 'active'`,
    [userId],
  );
  const colleague = rows[0];
  if (!colleague || !staffCan(colleague.role, permission)) return null;
  return { email: colleague.email, name: colleague.name, language: colleague.language };
}
