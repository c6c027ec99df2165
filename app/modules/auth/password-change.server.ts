import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { hashPassword, verifyPassword } from "./password.server";
import { announceSessionChange } from "./session-events.server";
import { assertNotThrottled, clearFailedLogins, recordFailedLogin } from "./throttle.server";
import type { ChangePasswordInput } from "./schemas";

interface Origin {
  ip: string | null;
  userAgent: string | null;
}

export type ChangePasswordResult = { ok: true } | { ok: false; fieldErrors: Record<string, string> };

/**
 * A signed-in user sets a new password, proving the current one. A wrong current password counts
 * as a failed sign-in (the same per-email and per-IP throttle: an open session must not become a
 * way to guess it). Every other session of the user ends; this one stays signed in.
 */
export async function changePassword(
  user: { id: string; email: string; sessionId: string },
  input: ChangePasswordInput,
  origin: Origin,
): Promise<ChangePasswordResult> {
  await assertNotThrottled(user.email, origin.ip ?? "unknown");
  const db = await getDb();
  const { rows } = await db.query<{ hash: string | null }>(`SELECT password_hash AS hash FROM users WHERE id = $1 AND status = 'active'`, [user.id]);
  const hash = rows[0]?.hash;
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    await recordFailedLogin(user.email, origin.ip ?? "unknown");
    await recordAuditEvent(db, { action: "auth.password_change_failed", actorUserId: user.id, ...origin });
    return { ok: false, fieldErrors: { currentPassword: "is not your current password" } };
  }
  await clearFailedLogins(user.email);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [user.id, passwordHash]);
    await tx.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`, [user.id, user.sessionId]);
    await tx.query(`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
    await recordAuditEvent(tx, { action: "auth.password_changed", actorUserId: user.id, ...origin });
  });
  announceSessionChange({ userId: user.id });
  return { ok: true };
}
