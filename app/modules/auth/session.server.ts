import { createCookie, redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { announceSessionChange } from "./session-events.server";
import { createToken, hashToken } from "./tokens.server";

const SESSION_TTL_DAYS = 14;
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SessionUser {
  sessionId: string;
  activeAccountId: string | null;
  id: string;
  email: string;
  name: string;
  kind: "contact" | "staff";
  staffRole: "admin" | "sales" | "support" | "finance" | null;
  language: "en" | "de";
  /** The sign-in before the current one ("what changed since your last visit"). */
  previousLoginAt: Date | null;
  /**
   * Set while a staff member views the portal as this contact (decision 035): the session is the
   * staff member's, everything else above is the contact's, and every non-GET request is refused.
   */
  viewAs?: ViewAs | null;
}

/** Who is looking through a contact's eyes, and since when. */
export interface ViewAs {
  staffUserId: string;
  staffName: string;
  staffEmail: string;
  accountId: string;
  accountName: string;
  startedAt: Date;
  reason: string | null;
}

/** Viewing as a contact ends by itself this long after it started. */
export const VIEW_AS_MINUTES = 60;

function sessionCookie() {
  const config = getConfig();
  return createCookie("__ll_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: config.NODE_ENV === "production",
    path: "/",
    maxAge: SESSION_TTL_DAYS * 24 * 3600,
    secrets: [config.sessionSecret],
  });
}

/** Opens a server-side session and returns the Set-Cookie header that carries its token. */
export async function createUserSession(
  userId: string,
  activeAccountId: string | null,
  origin: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const db = await getDb();
  const { token, tokenHash } = createToken();
  await db.query(
    `INSERT INTO sessions (id, user_id, active_account_id, ip, user_agent, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, now(), now() + make_interval(days => $6))`,
    [tokenHash, userId, activeAccountId, origin.ip, origin.userAgent?.slice(0, 500) ?? null, SESSION_TTL_DAYS],
  );
  return sessionCookie().serialize(token);
}

/**
 * The signed-in user, or null. A tampered, unknown, expired or revoked cookie and a user who is no
 * longer active all read as "signed out", never as an error.
 */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await readSessionToken(request);
  if (!token) return null;
  const db = await getDb();
  const { rows } = await db.query<SessionRow>(
    `SELECT s.id AS "sessionId", s.active_account_id AS "activeAccountId", s.last_seen_at AS "lastSeenAt",
            u.id, u.email, u.name, u.kind, u.staff_role AS "staffRole", u.language,
            u.previous_login_at AS "previousLoginAt",
            s.view_as_user_id AS "viewAsUserId", s.view_as_started_at AS "viewAsStartedAt",
            s.view_as_started_at <= now() - make_interval(mins => $2) AS "viewAsExpired",
            s.view_as_reason AS "viewAsReason",
            c.email AS "contactEmail", c.name AS "contactName", c.language AS "contactLanguage",
            c.previous_login_at AS "contactPreviousLoginAt",
            a.id AS "viewAsAccountId", a.name AS "viewAsAccountName"
       FROM sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN users c ON c.id = s.view_as_user_id AND c.kind = 'contact' AND c.status = 'active'
            LEFT JOIN accounts a ON a.id = s.view_as_account_id AND a.status = 'active'
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active'`,
    [hashToken(token), VIEW_AS_MINUTES],
  );
  const row = rows[0];
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.query(
      `UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(days => $2) WHERE id = $1`,
      [row.sessionId, SESSION_TTL_DAYS],
    );
  }
  const staff: SessionUser = {
    sessionId: row.sessionId,
    activeAccountId: row.activeAccountId,
    id: row.id,
    email: row.email,
    name: row.name,
    kind: row.kind,
    staffRole: row.staffRole,
    language: row.language,
    previousLoginAt: row.previousLoginAt,
  };
  if (!row.viewAsUserId) return staff;
  // Over the hour, the contact disabled or the account closed meanwhile: the view ends here.
  if (row.viewAsExpired || row.kind !== "staff" || !row.contactEmail || !row.viewAsAccountId) {
    await endViewAs(row.sessionId, row.viewAsExpired ? "expired" : "contact or account no longer active");
    return staff;
  }
  return {
    sessionId: row.sessionId,
    activeAccountId: row.viewAsAccountId,
    id: row.viewAsUserId,
    email: row.contactEmail,
    name: row.contactName ?? row.contactEmail,
    kind: "contact",
    staffRole: null,
    language: row.contactLanguage ?? row.language,
    previousLoginAt: row.contactPreviousLoginAt,
    viewAs: {
      staffUserId: row.id,
      staffName: row.name,
      staffEmail: row.email,
      accountId: row.viewAsAccountId,
      accountName: row.viewAsAccountName ?? "",
      startedAt: row.viewAsStartedAt as Date,
      reason: row.viewAsReason,
    },
  };
}

interface SessionRow {
  sessionId: string;
  activeAccountId: string | null;
  lastSeenAt: Date;
  id: string;
  email: string;
  name: string;
  kind: "contact" | "staff";
  staffRole: SessionUser["staffRole"];
  language: "en" | "de";
  previousLoginAt: Date | null;
  viewAsUserId: string | null;
  viewAsStartedAt: Date | null;
  viewAsExpired: boolean | null;
  viewAsReason: string | null;
  contactEmail: string | null;
  contactName: string | null;
  contactLanguage: "en" | "de" | null;
  contactPreviousLoginAt: Date | null;
  viewAsAccountId: string | null;
  viewAsAccountName: string | null;
}

/** Stores "this staff session views the portal as `contactId` in `accountId`" on the session. */
export async function beginViewAs(sessionId: string, contactId: string, accountId: string, reason: string | null): Promise<void> {
  const db = await getDb();
  await db.query(
    `UPDATE sessions SET view_as_user_id = $2, view_as_account_id = $3, view_as_started_at = now(), view_as_reason = $4 WHERE id = $1`,
    [sessionId, contactId, accountId, reason],
  );
  announceSessionChange({ sessionId });
}

/**
 * Ends the session's view-as, if any, and audits `impersonation.ended` (actor: the staff member).
 * Returns what ended (null: nothing was going on). Only one caller wins when two race.
 */
export async function endViewAs(
  sessionId: string,
  why: string,
  origin: { ip?: string | null; userAgent?: string | null } = {},
): Promise<{ contactId: string; accountId: string | null } | null> {
  const db = await getDb();
  const { rows } = await db.query<{ staffUserId: string; contactId: string; accountId: string | null; startedAt: Date }>(
    `UPDATE sessions s SET view_as_user_id = NULL, view_as_account_id = NULL, view_as_started_at = NULL, view_as_reason = NULL
       FROM sessions old
      WHERE s.id = $1 AND old.id = s.id AND s.view_as_user_id IS NOT NULL AND old.view_as_user_id IS NOT NULL
      RETURNING s.user_id AS "staffUserId", old.view_as_user_id AS "contactId", old.view_as_account_id AS "accountId",
                old.view_as_started_at AS "startedAt"`,
    [sessionId],
  );
  const ended = rows[0];
  if (!ended) return null;
  await recordAuditEvent(db, {
    action: "impersonation.ended",
    actorUserId: ended.staffUserId,
    accountId: ended.accountId,
    entityType: "user",
    entityId: ended.contactId,
    ip: origin.ip ?? null,
    userAgent: origin.userAgent ?? null,
    details: { contactId: ended.contactId, accountId: ended.accountId, why, startedAt: ended.startedAt },
  });
  announceSessionChange({ sessionId });
  return { contactId: ended.contactId, accountId: ended.accountId };
}

async function readSessionToken(request: Request): Promise<string | null> {
  try {
    const value = await sessionCookie().parse(request.headers.get("Cookie"));
    return typeof value === "string" && value.length > 0 ? value : null;
  } catch {
    return null;
  }
}

export async function setActiveAccount(sessionId: string, accountId: string): Promise<void> {
  const db = await getDb();
  await db.query(`UPDATE sessions SET active_account_id = $2 WHERE id = $1`, [sessionId, accountId]);
  announceSessionChange({ sessionId });
}

/** Ends this session and returns the headers that clear its cookie. */
export async function destroyUserSession(request: Request): Promise<Headers> {
  const token = await readSessionToken(request);
  if (token) {
    const db = await getDb();
    await db.query(`UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, [hashToken(token)]);
    announceSessionChange({ sessionId: hashToken(token) });
  }
  return new Headers({ "Set-Cookie": await sessionCookie().serialize("", { maxAge: 0 }) });
}

export async function revokeAllSessions(userId: string): Promise<void> {
  const db = await getDb();
  await db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  announceSessionChange({ userId });
}

/** Redirects to the login page, remembering where the user wanted to go. */
export function redirectToLogin(request: Request): never {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

/** Only same-site relative paths; anything else becomes the default. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
