import { RateLimiterMemory } from "rate-limiter-flexible";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import { translate } from "~/i18n/i18n";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { sendMail } from "~/modules/mail/mailer.server";
import { hashPassword } from "./password.server";
import { revokeAllSessions } from "./session.server";
import { createToken, hashToken } from "./tokens.server";

const RESET_TTL_MINUTES = 60;
// Caps reset mails per address, so the form cannot be used to flood someone's inbox.
const resetMailsPerEmail = new RateLimiterMemory({ keyPrefix: "reset-mail", points: 3, duration: 3600 });

interface Origin {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Sends a single-use reset link when the email belongs to an active user. Answers the same either
 * way, so the form does not reveal which emails have access.
 */
export async function requestPasswordReset(email: string, origin: Origin): Promise<void> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; name: string; language: "en" | "de" }>(
    `SELECT id, name, language FROM users WHERE email = $1 AND status = 'active'`,
    [email],
  );
  const user = rows[0];
  if (!user) return;
  try {
    await resetMailsPerEmail.consume(email);
  } catch {
    return;
  }
  const { token, tokenHash } = createToken();
  await db.query(
    `INSERT INTO password_reset_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`,
    [tokenHash, user.id, RESET_TTL_MINUTES],
  );
  const link = `${getConfig().publicUrl}/reset-password/${token}`;
  await sendMail({
    to: email,
    subject: translate(user.language, "mail.reset.subject"),
    text: translate(user.language, "mail.reset.body", { name: user.name, email, link }),
  });
  await recordAuditEvent(db, { action: "auth.password_reset_requested", actorUserId: user.id, ...origin });
}

/** The user a still-valid reset token belongs to, or null. */
export async function findPasswordResetUser(token: string): Promise<{ id: string; email: string } | null> {
  const db = await getDb();
  const { rows } = await db.query<{ id: string; email: string }>(
    `SELECT u.id, u.email FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.status = 'active'`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

/** Sets the new password, burns the token and signs the user out everywhere. */
export async function completePasswordReset(token: string, password: string, origin: Origin): Promise<string | null> {
  const db = await getDb();
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ userId: string }>(
      `UPDATE password_reset_tokens t SET used_at = now()
         FROM users u
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.id = t.user_id AND u.status = 'active'
        RETURNING t.user_id AS "userId"`,
      [hashToken(token)],
    );
    const id = rows[0]?.userId;
    if (!id) return null;
    await tx.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, passwordHash]);
    await tx.query(`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, [id]);
    await recordAuditEvent(tx, { action: "auth.password_reset", actorUserId: id, ...origin });
    return id;
  });
  if (userId) await revokeAllSessions(userId);
  return userId;
}
