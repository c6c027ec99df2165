import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { revokeAllSessions } from "~/modules/auth/session.server";
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
