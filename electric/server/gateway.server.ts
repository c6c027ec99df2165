import { getDb } from "~/db/connection.server";
import type { Queryable } from "~/db/db.server";
import { currentUser } from "~/modules/access/guards.server";
import { contactCan } from "~/modules/access/permissions";
import { buildScope, listMemberships, type Scope } from "~/modules/access/scope.server";
import type { SessionUser } from "~/modules/auth/session.server";
import { findShape, shapeConditions, type ShapeCondition, type ShapeDefinition } from "../shapes/registry";
import { proxyToElectric } from "./electric-proxy.server";
import { getShapeEngine } from "./instance.server";
import { requestDefinition } from "./shape-definition.server";

/**
 * GET /sync/shapes/:name — the shape gateway. The browser names a shape (and, as a non-secret
 * discriminator for the client's per-URL state, the account it syncs for); the session decides
 * the scope, the registry the table, columns and filter. Then either real Electric (ELECTRIC_URL)
 * or the built-in engine answers with the same protocol. The client is fetch(), so failures are
 * JSON statuses, never redirects.
 */
export async function serveShapeRequest(request: Request, shapeName: string): Promise<Response> {
  if (request.method !== "GET") return jsonError(405, "Only GET is supported.", { allow: "GET" });
  const user = await currentUser(request);
  if (!user) return jsonError(401, "Sign in to sync data.");
  if (user.kind !== "contact") return jsonError(403, "Staff accounts do not sync customer data.");
  const shape = findShape(shapeName);
  if (!shape) return jsonError(404, "Not Found");

  const db = await getDb();
  const scope = await activeScope(db, user);
  if (!scope) return jsonError(403, "Your sign-in has no active customer account.");
  const requestedAccount = new URL(request.url).searchParams.get("account");
  // Not the account this session acts for: answered like a shape that does not exist.
  if (requestedAccount !== null && requestedAccount !== scope.accountId) return jsonError(404, "Not Found");

  const conditions = gatewayConditions(shape, scope);
  try {
    const electricUrl = process.env.ELECTRIC_URL;
    if (electricUrl) {
      return await proxyToElectric(request, { electricUrl, secret: process.env.ELECTRIC_SECRET, shape, conditions });
    }
    const engine = await getShapeEngine();
    return await engine.handle(request, requestDefinition(shape, conditions));
  } catch (error) {
    if (request.signal.aborted) return jsonError(499, "Client closed request.");
    console.error(`shape gateway (${shape.name}):`, error);
    // 5xx: the client retries with backoff.
    return jsonError(500, "The shape could not be served.");
  }
}

/**
 * The scope requireContact() would build, without its redirects and without switching the
 * session's active account (a sync request must not change what the pages show).
 */
export async function activeScope(db: Queryable, user: SessionUser): Promise<Scope | null> {
  const memberships = await listMemberships(db, user.id);
  const active = memberships.find((m) => m.accountId === user.activeAccountId) ?? memberships[0];
  if (!active) return null;
  return buildScope(db, user, active.accountId);
}

/**
 * The registry's conditions for the scope. A shape the contact's role may not read (statements for
 * buyers and viewers) is served empty rather than refused: the replica syncs every shape and treats
 * a refusal as lost access to the whole account.
 */
export function gatewayConditions(shape: ShapeDefinition, scope: Scope): ShapeCondition[] {
  const conditions = shapeConditions(shape, scope);
  if (shape.permission && !contactCan(scope.role, shape.permission)) {
    return [{ column: shape.accountColumn, values: [] }, ...conditions.slice(1)];
  }
  return conditions;
}

function jsonError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ message }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "private, no-store", ...headers },
  });
}
