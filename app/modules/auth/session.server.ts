import { createCookie, redirect } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDb } from "~/db/connection.server";
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
}

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
  const { rows } = await db.query<SessionUser & { lastSeenAt: Date }>(
    `SELECT s.id AS "sessionId", s.active_account_id AS "activeAccountId", s.last_seen_at AS "lastSeenAt",
            u.id, u.email, u.name, u.kind, u.staff_role AS "staffRole", u.language,
            u.previous_login_at AS "previousLoginAt"
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active'`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.query(
      `UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(days => $2) WHERE id = $1`,
      [row.sessionId, SESSION_TTL_DAYS],
    );
  }
  const { lastSeenAt: _lastSeenAt, ...user } = row;
  return user;
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
