import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { beginViewAs, endViewAs } from "~/modules/auth/session.server";
import { isUuid } from "~/modules/ids";
import type { ViewAsInput } from "./schemas";

/**
 * Staff view the portal as one of an account's contacts, read-only (decision 035). The view lives on
 * the staff member's own session (auth/session.server.ts resolves it into the contact's identity,
 * the guards refuse every write); starting and ending it are audited with the staff member as actor.
 */

export interface ViewAsActor {
  userId: string;
  sessionId: string;
  ip: string | null;
  userAgent: string | null;
}

/** The contact staff may view as: an active contact with a membership in this active account. */
export interface ViewAsContact {
  id: string;
  name: string;
  email: string;
}

export async function findViewableContact(accountId: string, contactId: string): Promise<ViewAsContact | null> {
  if (!isUuid(accountId) || !isUuid(contactId)) return null;
  const db = await getDb();
  const { rows } = await db.query<ViewAsContact>(
    `SELECT u.id, u.name, u.email
       FROM users u JOIN memberships m ON m.user_id = u.id JOIN accounts a ON a.id = m.account_id
      WHERE u.id = $1 AND m.account_id = $2 AND u.kind = 'contact' AND u.status = 'active' AND a.status = 'active'`,
    [contactId, accountId],
  );
  return rows[0] ?? null;
}

/**
 * Starts viewing as `input.contactId` in `accountId`. Null (the route answers 404) when that is not
 * an active contact of the account: another account's contact, a staff user, an invited or disabled one.
 */
export async function startViewAs(actor: ViewAsActor, accountId: string, input: ViewAsInput): Promise<ViewAsContact | null> {
  const contact = await findViewableContact(accountId, input.contactId);
  if (!contact) return null;
  await beginViewAs(actor.sessionId, contact.id, accountId, input.reason);
  await recordAuditEvent(await getDb(), {
    action: "impersonation.started",
    actorUserId: actor.userId,
    accountId,
    entityType: "user",
    entityId: contact.id,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { contactId: contact.id, contactEmail: contact.email, accountId, reason: input.reason },
  });
  return contact;
}

/** "Exit": ends the session's view-as; returns the account to go back to (null: none was going on). */
export async function exitViewAs(sessionId: string, origin: { ip: string | null; userAgent: string | null }): Promise<{ accountId: string | null } | null> {
  return endViewAs(sessionId, "exit", origin);
}
