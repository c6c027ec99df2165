import { redirect } from "@remix-run/node";
import { getDb } from "~/db/connection.server";
import { getSessionUser, redirectToLogin, setActiveAccount, type SessionUser } from "~/modules/auth/session.server";
import { contactCan, staffCan, type ContactPermission, type StaffPermission, type StaffRole } from "./permissions";
import { buildScope, sessionMemberships, type Membership, type Scope } from "./scope.server";

export interface ContactContext {
  user: SessionUser;
  scope: Scope;
  memberships: Membership[];
}

export interface StaffContext {
  user: SessionUser & { staffRole: StaffRole };
}

// Layout and page loaders of one request each call a guard; resolve the session once per request.
const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

export function currentUser(request: Request): Promise<SessionUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = getSessionUser(request);
    perRequest.set(request, pending);
  }
  return pending;
}

/** Not yours and not there answer the same. */
export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export interface GuardOptions {
  /**
   * This POST only reads: the bulk ZIP download takes its selection as a form body. Such an action
   * stays allowed while staff view as a contact (decision 038). The route declares it in its handle
   * too (`actionReadsOnly`), and test/view-as.test.ts holds the two together: a route that declares
   * it must answer, every other action must be refused.
   */
  readsOnly?: boolean;
}

/**
 * The signed-in user. While staff view the portal as a contact (decision 035) that is the contact,
 * read-only: every request that is not a GET or HEAD is refused here, for every route that resolves
 * its user through this guard (all portal routes, /preferences, the account switch), unless the
 * route says its action only reads (`readsOnly`).
 */
export async function requireUser(request: Request, options: GuardOptions = {}): Promise<SessionUser> {
  const user = (await currentUser(request)) ?? redirectToLogin(request);
  if (user.viewAs && request.method !== "GET" && request.method !== "HEAD" && !options.readsOnly) readOnlyWhileViewingAs(user);
  return user;
}

/** 403 with the reason, for a write while viewing as a contact. */
export function readOnlyWhileViewingAs(user: SessionUser): never {
  throw new Response(`Read-only while viewing as ${user.name} (${user.email}). Exit "view as" to make changes.`, {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Ledgerlight-Read-Only": "view-as" },
  });
}

/** A signed-in contact acting for one of their accounts, with the scope every data read takes. */
export async function requireContact(request: Request, options: GuardOptions = {}): Promise<ContactContext> {
  const user = await requireUser(request, options);
  if (user.kind !== "contact") throw redirect("/admin");
  const db = await getDb();
  const memberships = await sessionMemberships(db, user);
  const active = memberships.find((m) => m.accountId === user.activeAccountId) ?? memberships[0];
  if (!active) throw new Response("Your sign-in has no active customer account. Ask your supplier to check your access.", { status: 403 });
  if (active.accountId !== user.activeAccountId && !user.viewAs) {
    await setActiveAccount(user.sessionId, active.accountId);
  }
  const scope = await buildScope(db, user, active.accountId);
  if (!scope) notFound();
  return { user: { ...user, activeAccountId: active.accountId }, scope, memberships };
}

/** A signed-in staff member; contacts get 404 (the admin area does not exist for them). */
export async function requireStaff(request: Request, permission?: StaffPermission): Promise<StaffContext> {
  const user = await requireUser(request);
  // One identity at a time: while viewing as a contact the admin area waits until "Exit" (decision 035).
  if (user.viewAs) throw redirect("/overview");
  if (user.kind !== "staff" || !user.staffRole) notFound();
  if (permission && !staffCan(user.staffRole, permission)) {
    throw new Response("Your staff role does not allow this.", { status: 403 });
  }
  return { user: user as StaffContext["user"] };
}

/**
 * A contact whose role in the active account grants `permission`. Others get 404: for them the
 * records behind the permission do not exist (DESIGN rule 1), like another account's.
 */
export async function requireContactPermission(request: Request, permission: ContactPermission, options: GuardOptions = {}): Promise<ContactContext> {
  const context = await requireContact(request, options);
  if (!contactCan(context.scope.role, permission)) notFound();
  return context;
}
