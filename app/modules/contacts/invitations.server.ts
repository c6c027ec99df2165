import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import type { Queryable } from "~/db/db.server";
import { translate } from "~/i18n/i18n";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { hashPassword } from "~/modules/auth/password.server";
import { createToken, hashToken } from "~/modules/auth/tokens.server";
import { sendMail } from "~/modules/mail/mailer.server";
import { getSupplierSettings, supplierDisplayName } from "~/modules/supplier/supplier.server";
import type { ContactInput } from "./schemas";

const INVITATION_TTL_DAYS = 7;

export interface Actor {
  userId: string;
  name: string;
  ip: string | null;
  userAgent: string | null;
}

export class ContactConflictError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Creates (or reuses) the contact, gives them the membership and mails a 7-day invitation link.
 * The caller has already checked that `actor` may manage contacts of `accountId`.
 */
export async function inviteContact(actor: Actor, accountId: string, input: ContactInput): Promise<{ userId: string }> {
  const db = await getDb();
  const { userId, token } = await db.transaction(async (tx) => {
    const existing = await tx.query<{ id: string; kind: string; status: string }>(
      `SELECT id, kind, status FROM users WHERE email = $1`,
      [input.email],
    );
    const found = existing.rows[0];
    if (found && found.kind !== "contact") {
      throw new ContactConflictError("email", "belongs to a staff sign-in and cannot be a customer contact");
    }
    const id =
      found?.id ??
      (
        await tx.query<{ id: string }>(
          `INSERT INTO users (email, name, kind, language, status) VALUES ($1, $2, 'contact', $3, 'invited') RETURNING id`,
          [input.email, input.name, input.language],
        )
      ).rows[0].id;
    const membership = await tx.query<{ id: string }>(
      `INSERT INTO memberships (user_id, account_id, role, include_subsidiaries) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, account_id) DO UPDATE SET role = EXCLUDED.role, include_subsidiaries = EXCLUDED.include_subsidiaries
       RETURNING id`,
      [id, accountId, input.role, input.includeSubsidiaries],
    );
    await setMembershipLocations(tx, membership.rows[0].id, accountId, input.locationIds);
    const invitationToken = await createInvitation(tx, actor, id, accountId);
    await recordAuditEvent(tx, {
      action: "contact.invited",
      actorUserId: actor.userId,
      accountId,
      entityType: "user",
      entityId: id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { email: input.email, role: input.role },
    });
    return { userId: id, token: invitationToken };
  });
  await mailInvitation(actor, userId, accountId, token);
  return { userId };
}

/** Revokes open invitations of the contact for this account and mails a fresh link. */
export async function reinviteContact(actor: Actor, accountId: string, userId: string): Promise<void> {
  const db = await getDb();
  const token = await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE invitations SET revoked_at = now() WHERE user_id = $1 AND account_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [userId, accountId],
    );
    const invitationToken = await createInvitation(tx, actor, userId, accountId);
    await recordAuditEvent(tx, {
      action: "contact.reinvited",
      actorUserId: actor.userId,
      accountId,
      entityType: "user",
      entityId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return invitationToken;
  });
  await mailInvitation(actor, userId, accountId, token);
}

async function setMembershipLocations(tx: Queryable, membershipId: string, accountId: string, locationIds: string[]) {
  await tx.query(`DELETE FROM membership_locations WHERE membership_id = $1`, [membershipId]);
  if (locationIds.length === 0) return;
  const inserted = await tx.query(
    `INSERT INTO membership_locations (membership_id, location_id)
     SELECT $1, l.id FROM locations l WHERE l.account_id = $2 AND l.id = ANY($3::uuid[])`,
    [membershipId, accountId, locationIds],
  );
  if (inserted.rowCount !== new Set(locationIds).size) {
    throw new ContactConflictError("locationIds", "must be locations of this account");
  }
}

async function createInvitation(tx: Queryable, actor: Actor, userId: string, accountId: string): Promise<string> {
  const { token, tokenHash } = createToken();
  await tx.query(
    `INSERT INTO invitations (token_hash, user_id, account_id, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))`,
    [tokenHash, userId, accountId, actor.userId, INVITATION_TTL_DAYS],
  );
  return token;
}

async function mailInvitation(actor: Actor, userId: string, accountId: string, token: string) {
  const db = await getDb();
  const { rows } = await db.query<{ email: string; name: string; language: "en" | "de"; accountName: string }>(
    `SELECT u.email, u.name, u.language, a.name AS "accountName" FROM users u, accounts a WHERE u.id = $1 AND a.id = $2`,
    [userId, accountId],
  );
  const contact = rows[0];
  const supplier = supplierDisplayName(await getSupplierSettings(db));
  const vars = {
    name: contact.name,
    inviter: actor.name,
    supplier,
    account: contact.accountName,
    link: `${getConfig().publicUrl}/invite/${token}`,
  };
  await sendMail({
    to: contact.email,
    subject: translate(contact.language, "mail.invite.subject", vars),
    text: translate(contact.language, "mail.invite.body", vars),
  });
}

export interface PendingInvitation {
  userId: string;
  email: string;
  name: string;
  language: "en" | "de";
  accountId: string;
  accountName: string;
}

export async function findInvitation(token: string): Promise<PendingInvitation | null> {
  const db = await getDb();
  const { rows } = await db.query<PendingInvitation>(
    `SELECT u.id AS "userId", u.email, u.name, u.language, a.id AS "accountId", a.name AS "accountName"
       FROM invitations i JOIN users u ON u.id = i.user_id JOIN accounts a ON a.id = i.account_id
      WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
        AND u.status <> 'disabled'`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

/** Sets the password, activates the contact and burns the link; null when the link is no longer valid. */
export async function acceptInvitation(
  token: string,
  password: string,
  origin: { ip: string | null; userAgent: string | null },
): Promise<PendingInvitation | null> {
  const invitation = await findInvitation(token);
  if (!invitation) return null;
  const db = await getDb();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const burned = await tx.query(
      `UPDATE invitations SET accepted_at = now() WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL`,
      [hashToken(token)],
    );
    if (burned.rowCount !== 1) return null;
    await tx.query(`UPDATE users SET password_hash = $2, status = 'active' WHERE id = $1 AND status <> 'disabled'`, [
      invitation.userId,
      passwordHash,
    ]);
    await recordAuditEvent(tx, {
      action: "contact.invitation_accepted",
      actorUserId: invitation.userId,
      accountId: invitation.accountId,
      entityType: "user",
      entityId: invitation.userId,
      ...origin,
    });
    return invitation;
  });
}
