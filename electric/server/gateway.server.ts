import type { IncomingMessage, ServerResponse } from "node:http";
import { contactCan } from "~/modules/access/permissions";
import type { Scope } from "~/modules/access/scope.server";
import { syncAccessCache } from "~/modules/access/sync-access.server";
import { findShape, shapeConditions, type ShapeCondition, type ShapeDefinition } from "../shapes/registry";
import { proxyToElectric } from "./electric-proxy.server";
import { getShapeEngine } from "./instance.server";
import { BASE_HEADERS, isEventStream, isParts, toResponse, type EventStreamBody, type ShapeReply } from "./protocol.server";
import { chooseSnapshotEncoding, isLocalClient, writeCompressed, type SnapshotEncoding } from "./snapshot-encoding.server";
import { requestDefinition, type ShapeRequestDefinition } from "./shape-definition.server";

export { activeScope } from "~/modules/access/sync-access.server";

/**
 * GET /sync/shapes/:name — the shape gateway. The browser names a shape (and, as a non-secret
 * discriminator for the client's per-URL state, the account it syncs for); the session decides
 * the scope, the registry the table, columns and filter. Then either real Electric (ELECTRIC_URL)
 * or the built-in engine answers with the same protocol. The client is fetch(), so failures are
 * JSON statuses, never redirects.
 *
 * Two entrances, one path: the Remix route (serveShapeRequest) and, in server.ts, a node:http
 * listener in front of Express (serveShapeHttp, routed by electric/server/shape-route.ts), which
 * writes the engine's answer straight to the node:http response. Long-polls are most of the portal's requests (every
 * live client reconnects after every change), and the Remix stack (fetch Request/Response, route
 * matching) and then Express's own middleware were a large share of their cost.
 */

interface GatewayRequest {
  method: string;
  search: URLSearchParams;
  cookie: string;
  /** Whether the client went away before its answer. */
  gone: () => boolean;
  /** Calls `listener` once when the client goes away; returns the unsubscribe. */
  onGone: (listener: () => void) => () => void;
}

type Authorized =
  | { kind: "reply"; reply: ShapeReply }
  | { kind: "shape"; shape: ShapeDefinition; definition: ShapeRequestDefinition; onRevoke: (listener: () => void) => () => void; release: () => void };

/**
 * One prepared request definition per cached access and shape: a live client's every reconnect
 * reuses the same object, so the conditions are built and the definition hashed
 * (shape-definition.server.ts memoises per object) once per session entry, not per request. The
 * access objects are the sync-access cache's own; a reloaded or dropped entry is a new object.
 */
const prepared = new WeakMap<object, Map<string, ShapeRequestDefinition>>();

function preparedDefinition(access: object, shape: ShapeDefinition, scope: Scope): ShapeRequestDefinition {
  let byShape = prepared.get(access);
  if (!byShape) {
    byShape = new Map();
    prepared.set(access, byShape);
  }
  let definition = byShape.get(shape.name);
  if (!definition) {
    definition = requestDefinition(shape, gatewayConditions(shape, scope));
    byShape.set(shape.name, definition);
  }
  return definition;
}

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
  return { kind: "shape", shape, definition: preparedDefinition(access, shape, access.scope), onRevoke: grant.onRevoke, release: grant.release };
}

/**
 * Serves from the built-in engine. When the session's access is revoked while the request is
 * held (logout, disabled contact, changed membership), the answer is dropped and the request is
 * answered again under the new access: 401/403, or 409 when only the scope changed. One
 * AbortController per answer: it ends the hold when the client goes away or the access is revoked.
 * An SSE answer keeps its hold (and the session grant) for the stream's whole life: a revocation
 * ends the stream, and the client's next request is answered under the new access.
 */
async function serveFromEngine(request: GatewayRequest, shapeName: string): Promise<ShapeReply> {
  for (;;) {
    const authorized = await authorize(request, shapeName);
    if (authorized.kind === "reply") return authorized.reply;
    const hold = holdRequest(request, authorized);
    let handedOver = false;
    try {
      const engine = await getShapeEngine();
      const reply = await guarded(authorized.shape, request, () => engine.serve(request.search, authorized.definition, hold.signal));
      if (isEventStream(reply.body) && !hold.revoked()) {
        handedOver = true;
        return { ...reply, body: heldEventStream(reply.body, hold) };
      }
      if (!hold.revoked() || request.gone()) return reply;
    } finally {
      if (!handedOver) hold.end();
    }
  }
}

interface Hold {
  signal: AbortSignal;
  revoked: () => boolean;
  abort: () => void;
  /** Stops listening and releases the session grant. */
  end: () => void;
}

function holdRequest(request: GatewayRequest, authorized: Extract<Authorized, { kind: "shape" }>): Hold {
  const held = new AbortController();
  let revoked = false;
  const abort = () => held.abort();
  const stopGone = request.onGone(abort);
  const stopRevoke = authorized.onRevoke(() => {
    revoked = true;
    held.abort();
  });
  if (request.gone()) held.abort();
  return {
    signal: held.signal,
    revoked: () => revoked,
    abort,
    end: () => {
      stopGone();
      stopRevoke();
      authorized.release();
    },
  };
}

/** The engine's event stream, ended by the hold (client gone, access revoked) as well as by its writer. */
function heldEventStream(body: EventStreamBody, hold: Hold): EventStreamBody {
  return {
    kind: "event-stream",
    pump: async (write, signal) => {
      signal.addEventListener("abort", hold.abort, { once: true });
      if (signal.aborted) hold.abort();
      try {
        await body.pump(write, hold.signal);
      } finally {
        signal.removeEventListener("abort", hold.abort);
        hold.end();
      }
    },
  };
}

async function guarded(shape: ShapeDefinition, request: Pick<GatewayRequest, "gone">, serve: () => Promise<ShapeReply>): Promise<ShapeReply> {
  try {
    return await serve();
  } catch (error) {
    return serveFailed(shape, request.gone(), error);
  }
}

function serveFailed(shape: ShapeDefinition, clientGone: boolean, error: unknown): ShapeReply {
  if (clientGone) return jsonError(499, "Client closed request.");
  console.error(`shape gateway (${shape.name}):`, error);
  // 5xx: the client retries with backoff.
  return jsonError(500, "The shape could not be served.");
}

/** The Remix route's entrance (also the only one with ELECTRIC_URL: the proxy forwards fetch Requests). */
export async function serveShapeRequest(request: Request, shapeName: string): Promise<Response> {
  const { signal } = request;
  const gatewayRequest: GatewayRequest = {
    method: request.method,
    search: new URL(request.url).searchParams,
    cookie: request.headers.get("cookie") ?? "",
    gone: () => signal.aborted,
    onGone: (listener) => {
      signal.addEventListener("abort", listener, { once: true });
      return () => signal.removeEventListener("abort", listener);
    },
  };
  const electricUrl = process.env.ELECTRIC_URL;
  if (!electricUrl) return toResponse(await serveFromEngine(gatewayRequest, shapeName));
  const authorized = await authorize(gatewayRequest, shapeName);
  if (authorized.kind === "reply") return toResponse(authorized.reply);
  authorized.release();
  const { shape, definition } = authorized;
  try {
    return await proxyToElectric(request, { electricUrl, secret: process.env.ELECTRIC_SECRET, shape, conditions: definition.conditions });
  } catch (error) {
    return toResponse(serveFailed(shape, signal.aborted, error));
  }
}

/**
 * The node:http entrance (server.ts answers GET /sync/shapes/<name> with it before Express):
 * writes the engine's answer straight to the response. Returns false, having written nothing,
 * for what the Remix route handles instead (other methods, ELECTRIC_URL).
 */
export async function serveShapeHttp(req: IncomingMessage, res: ServerResponse, shapeName: string): Promise<boolean> {
  if (req.method !== "GET" || process.env.ELECTRIC_URL) return false;
  let gone = false;
  let onGone: (() => void) | null = null;
  // The client went away before its answer: releases a held long-poll. (Not after a normal end:
  // an abort builds a DOMException with a stack, measurable at 1,000 answers per change.)
  res.once("close", () => {
    if (res.writableFinished) return;
    gone = true;
    onGone?.();
  });
  const reply = await serveFromEngine(
    {
      method: "GET",
      search: new URL(req.url ?? "/", "http://gateway.local").searchParams,
      cookie: req.headers.cookie ?? "",
      gone: () => gone,
      onGone: (listener) => {
        onGone = listener;
        return () => {
          if (onGone === listener) onGone = null;
        };
      },
    },
    shapeName,
  );
  writeReply(res, reply, (byteLength) => chooseSnapshotEncoding(req.headers["accept-encoding"], byteLength, isLocalClient(req)));
  return true;
}

function writeReply(res: ServerResponse, reply: ShapeReply, encodingFor: (byteLength: number) => SnapshotEncoding | null): void {
  const { body } = reply;
  // An SSE answer not pumped yet holds its session grant: pumping a gone client's ends at once.
  if (res.destroyed && !isEventStream(body)) return;
  // A flat [name, value, name, value, …] list: no merged header object per answer.
  const headers: string[] = [];
  for (const name in reply.headers) headers.push(name, reply.headers[name]);
  if (isEventStream(body)) {
    writeEventStream(res, reply.status, headers, body);
    return;
  }
  if (isParts(body)) {
    // A snapshot's pieces, each written as is: no body-sized Buffer (see snapshotResponse). A large
    // one goes compressed when the client accepts it (snapshot-encoding.server.ts).
    const encoding = reply.status === 200 ? encodingFor(body.byteLength) : null;
    if (encoding) {
      headers.push("content-encoding", encoding, "vary", "accept-encoding");
      res.writeHead(reply.status, headers);
      writeCompressed(res, encoding, body.parts, body.byteLength);
      return;
    }
    headers.push("content-length", String(body.byteLength));
    res.writeHead(reply.status, headers);
    for (const part of body.parts) res.write(part);
    res.end();
    return;
  }
  // A live body is one Buffer shared by every waiter of its (definition, offset): written as is.
  const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  headers.push("content-length", String(length));
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** Headers at once (the client's onopen), then each frame Buffer as the engine hands it over (shared by all streams of one batch). */
function writeEventStream(res: ServerResponse, status: number, headers: string[], body: EventStreamBody): void {
  const closed = new AbortController();
  res.once("close", () => closed.abort());
  if (res.destroyed) closed.abort();
  else {
    res.writeHead(status, headers);
    res.flushHeaders();
  }
  body
    .pump((chunk) => {
      if (!res.destroyed) res.write(chunk);
    }, closed.signal)
    .then(
      () => res.end(),
      () => res.destroy(),
    );
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
