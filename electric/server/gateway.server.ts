import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { contactCan } from "~/modules/access/permissions";
import type { Scope } from "~/modules/access/scope.server";
import { syncAccessCache } from "~/modules/access/sync-access.server";
import { findShape, shapeConditions, type ShapeCondition, type ShapeDefinition } from "../shapes/registry";
import { proxyToElectric } from "./electric-proxy.server";
import { getShapeEngine } from "./instance.server";
import { BASE_HEADERS, toResponse, type ShapeReply } from "./protocol.server";
import { requestDefinition } from "./shape-definition.server";

export { activeScope } from "~/modules/access/sync-access.server";

/**
 * GET /sync/shapes/:name — the shape gateway. The browser names a shape (and, as a non-secret
 * discriminator for the client's per-URL state, the account it syncs for); the session decides
 * the scope, the registry the table, columns and filter. Then either real Electric (ELECTRIC_URL)
 * or the built-in engine answers with the same protocol. The client is fetch(), so failures are
 * JSON statuses, never redirects.
 *
 * Two entrances, one path: the Remix route (serveShapeRequest) and, in server.ts, an Express
 * route mounted before Remix and the static files (serveShapeHttp), which writes the engine's
 * answer straight to the node:http response. Long-polls are most of the portal's requests (every
 * live client reconnects after every change), and the Remix stack (fetch Request/Response, route
 * matching) was a large share of their cost.
 */

interface GatewayRequest {
  method: string;
  search: URLSearchParams;
  cookie: string;
  signal: AbortSignal;
}

type Authorized =
  | { kind: "reply"; reply: ShapeReply }
  | { kind: "shape"; shape: ShapeDefinition; conditions: ShapeCondition[]; revoked: AbortSignal; release: () => void };

async function authorize(request: GatewayRequest, shapeName: string): Promise<Authorized> {
  if (request.method !== "GET") return { kind: "reply", reply: jsonError(405, "Only GET is supported.", { allow: "GET" }) };
  const grant = await syncAccessCache().get(request.cookie);
  const { access } = grant;
  const refuse = (status: number, message: string): Authorized => {
    grant.release();
    return { kind: "reply", reply: jsonError(status, message) };
  };
  if (access.kind === "signed-out") return refuse(401, "Sign in to sync data.");
  if (access.kind === "staff") return refuse(403, "Staff accounts do not sync customer data.");
  const shape = findShape(shapeName);
  if (!shape) return refuse(404, "Not Found");
  if (access.kind === "no-account") return refuse(403, "Your sign-in has no active customer account.");
  const requestedAccount = request.search.get("account");
  // Not the account this session acts for: answered like a shape that does not exist.
  if (requestedAccount !== null && requestedAccount !== access.scope.accountId) return refuse(404, "Not Found");
  return { kind: "shape", shape, conditions: gatewayConditions(shape, access.scope), revoked: grant.revoked, release: grant.release };
}

/**
 * Serves from the built-in engine. When the session's access is revoked while the request is
 * held (logout, disabled contact, changed membership), the answer is dropped and the request is
 * answered again under the new access: 401/403, or 409 when only the scope changed.
 */
async function serveFromEngine(request: GatewayRequest, shapeName: string): Promise<ShapeReply> {
  for (;;) {
    const authorized = await authorize(request, shapeName);
    if (authorized.kind === "reply") return authorized.reply;
    const { shape, conditions, revoked } = authorized;
    const held = new AbortController();
    const end = () => held.abort();
    request.signal.addEventListener("abort", end, { once: true });
    revoked.addEventListener("abort", end, { once: true });
    try {
      if (request.signal.aborted || revoked.aborted) held.abort();
      const engine = await getShapeEngine();
      const reply = await guarded(shape, request.signal, () => engine.serve(request.search, requestDefinition(shape, conditions), held.signal));
      if (!revoked.aborted || request.signal.aborted) return reply;
      if (reply.body instanceof ReadableStream) await reply.body.cancel();
    } finally {
      request.signal.removeEventListener("abort", end);
      revoked.removeEventListener("abort", end);
      authorized.release();
    }
  }
}

async function guarded(shape: ShapeDefinition, signal: AbortSignal, serve: () => Promise<ShapeReply>): Promise<ShapeReply> {
  try {
    return await serve();
  } catch (error) {
    return serveFailed(shape, signal, error);
  }
}

function serveFailed(shape: ShapeDefinition, signal: AbortSignal, error: unknown): ShapeReply {
  if (signal.aborted) return jsonError(499, "Client closed request.");
  console.error(`shape gateway (${shape.name}):`, error);
  // 5xx: the client retries with backoff.
  return jsonError(500, "The shape could not be served.");
}

/** The Remix route's entrance (also the only one with ELECTRIC_URL: the proxy forwards fetch Requests). */
export async function serveShapeRequest(request: Request, shapeName: string): Promise<Response> {
  const gatewayRequest: GatewayRequest = {
    method: request.method,
    search: new URL(request.url).searchParams,
    cookie: request.headers.get("cookie") ?? "",
    signal: request.signal,
  };
  const electricUrl = process.env.ELECTRIC_URL;
  if (!electricUrl) return toResponse(await serveFromEngine(gatewayRequest, shapeName));
  const authorized = await authorize(gatewayRequest, shapeName);
  if (authorized.kind === "reply") return toResponse(authorized.reply);
  authorized.release();
  const { shape, conditions } = authorized;
  try {
    return await proxyToElectric(request, { electricUrl, secret: process.env.ELECTRIC_SECRET, shape, conditions });
  } catch (error) {
    return toResponse(serveFailed(shape, request.signal, error));
  }
}

/**
 * The Express entrance: answers GET /sync/shapes/:name on node:http objects. Returns false, having
 * written nothing, for what the Remix route handles instead (other methods, ELECTRIC_URL).
 */
export async function serveShapeHttp(req: IncomingMessage, res: ServerResponse, shapeName: string): Promise<boolean> {
  if (req.method !== "GET" || process.env.ELECTRIC_URL) return false;
  const closed = new AbortController();
  // The client went away before its answer: releases a held long-poll. (Not after a normal end:
  // an abort builds a DOMException with a stack, measurable at 1,000 answers per change.)
  res.once("close", () => {
    if (!res.writableFinished) closed.abort();
  });
  const reply = await serveFromEngine(
    { method: "GET", search: new URL(req.url ?? "/", "http://gateway.local").searchParams, cookie: req.headers.cookie ?? "", signal: closed.signal },
    shapeName,
  );
  writeReply(res, reply);
  return true;
}

function writeReply(res: ServerResponse, reply: ShapeReply): void {
  if (res.destroyed) {
    if (reply.body instanceof ReadableStream) void reply.body.cancel();
    return;
  }
  const { body } = reply;
  if (body instanceof ReadableStream) {
    res.writeHead(reply.status, reply.headers);
    res.flushHeaders();
    const stream = Readable.fromWeb(body as NodeReadableStream);
    stream.on("error", () => res.destroy());
    stream.pipe(res);
    return;
  }
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(length) });
  res.end(body);
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

function jsonError(status: number, message: string, headers: Record<string, string> = {}): ShapeReply {
  return {
    status,
    headers: { "content-type": BASE_HEADERS["content-type"], "cache-control": "private, no-store", ...headers },
    body: JSON.stringify({ message }),
  };
}
