import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { announceSessionChange } from "~/modules/auth/session-events.server";
import { revokeAllSessions } from "~/modules/auth/session.server";
import type { Scope } from "~/modules/access/scope.server";
import type { Actor } from "./invitations.server";

/**
 * Disables or re-enables a contact of `accountId`. Disabling ends every session at once (the
 * session check also requires an active user, so even a racing request is refused).
 * Returns false when the user is not a contact of that account.
 */
export async function setContactStatus(
  actor: Actor,
  accountId: string,
  userId: string,
  status: "active" | "disabled",
): Promise<boolean> {
  const db = await getDb();
  const changed = await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE users u SET status = CASE WHEN $3 = 'active' AND u.password_hash IS NULL THEN 'invited' ELSE $3 END
        WHERE u.id = $1 AND u.kind = 'contact'
          AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.account_id = $2)`,
      [userId, accountId, status],
    );
    if (rowCount !== 1) return false;
    await recordAuditEvent(tx, {
      action: status === "disabled" ? "contact.disabled" : "contact.enabled",
      actorUserId: actor.userId,
      accountId,
      entityType: "user",
      entityId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return true;
  });
  if (changed && status === "disabled") await revokeAllSessions(userId);
  return changed;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  role: string;
  status: "invited" | "active" | "disabled";
  lastLoginAt: Date | null;
  isSelf: boolean;
}

/** The contacts of the scope's active account, for its contact admins. */
export async function listTeam(scope: Scope): Promise<TeamMember[]> {
  const db = await getDb();
  const { rows } = await db.query<TeamMember>(
    `SELECT u.id AS "userId", u.email, u.name, m.role, u.status, u.last_login_at AS "lastLoginAt", u.id = $2 AS "isSelf"
       FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.account_id = $1 AND u.kind = 'contact' ORDER BY u.name`,
    [scope.accountId, scope.userId],
  );
  return rows;
}

/**
 * A contact admin removes someone's access to their account. Disabling the person would also lock
 * them out of other companies' accounts, which is not this admin's to decide; removing the
 * membership ends their access here at their next request.
 */
export async function removeTeamMember(scope: Scope, actor: Actor, userId: string): Promise<boolean> {
  if (userId === scope.userId) return false;
  const db = await getDb();
  const removed = await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `DELETE FROM memberships m USING users u
        WHERE m.user_id = u.id AND u.kind = 'contact' AND m.user_id = $1 AND m.account_id = $2`,
      [userId, scope.accountId],
    );
    if (rowCount !== 1) return false;
    await tx.query(
      `UPDATE invitations SET revoked_at = now() WHERE user_id = $1 AND account_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [userId, scope.accountId],
    );
    await recordAuditEvent(tx, {
      action: "contact.membership_removed",
      actorUserId: actor.userId,
      accountId: scope.accountId,
      entityType: "user",
      entityId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return true;
  });
  // The shape gateway caches session → scope for a few seconds; this makes the removal immediate.
  if (removed) announceSessionChange({ userId });
  return removed;
}

export async function listAccountLocations(scope: Scope): Promise<{ id: string; name: string }[]> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT id, name FROM locations WHERE account_id = $1 ORDER BY name`,
    [scope.accountId],
  );
  return rows;
}
