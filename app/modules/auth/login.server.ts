import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { getDb } from "~/db/connection.server";
import { recordAuditEvent } from "~/modules/audit/audit.server";
import { parseForm, type FieldErrors } from "~/modules/forms";
import { hashPassword, verifyPassword } from "./password.server";
import { LoginSchema } from "./schemas";
import { assertNotThrottled, clearFailedLogins, recordFailedLogin } from "./throttle.server";

export interface AuthenticatedUser {
  id: string;
  kind: "contact" | "staff";
  redirectTo: string | undefined;
}

/** Wrong email and wrong password read the same, so sign-in cannot tell which emails exist. */
export class InvalidCredentialsError extends Error {
  constructor(readonly fieldErrors: FieldErrors = {}) {
    super("Email or password is incorrect.");
  }
}

// Verifying against a real hash when the email is unknown keeps both paths equally slow.
let dummyHash: Promise<string> | undefined;

export const authenticator = new Authenticator<AuthenticatedUser>();

authenticator.use(
  new FormStrategy(async ({ form, request }) => {
    const clientIp = request.headers.get("x-ledgerlight-client-ip") ?? "unknown";
    const parsed = parseForm(LoginSchema, form);
    if (!parsed.ok) throw new InvalidCredentialsError(parsed.fieldErrors);
    const { email, password, redirectTo } = parsed.data;
    await assertNotThrottled(email, clientIp);
    const db = await getDb();
    const { rows } = await db.query<{ id: string; kind: "contact" | "staff"; passwordHash: string | null; status: string }>(
      `SELECT id, kind, password_hash AS "passwordHash", status FROM users WHERE email = $1`,
      [email],
    );
    const user = rows[0];
    dummyHash ??= hashPassword("no user has this password");
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
    if (!user || !valid || user.status !== "active") {
      await recordFailedLogin(email, clientIp);
      await recordAuditEvent(db, {
        action: "auth.login_failed",
        actorUserId: user?.id ?? null,
        ip: clientIp,
        userAgent: request.headers.get("user-agent"),
        details: { email },
      });
      throw new InvalidCredentialsError();
    }
    await clearFailedLogins(email);
    await db.query(`UPDATE users SET previous_login_at = last_login_at, last_login_at = now() WHERE id = $1`, [user.id]);
    return { id: user.id, kind: user.kind, redirectTo };
  }),
  "form",
);

/**
 * remix-auth strategies only see the Request; the client IP comes from the load context, so it
 * travels in a header that this server sets itself (any client-sent copy is overwritten).
 */
export function withClientIp(request: Request, clientIp: string): Request {
  const headers = new Headers(request.headers);
  headers.set("x-ledgerlight-client-ip", clientIp);
  return new Request(request.url, { method: request.method, headers, body: request.body, duplex: "half" } as RequestInit);
}
