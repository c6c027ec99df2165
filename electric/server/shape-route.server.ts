import type { Express } from "express";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/**
 * The portal's node:http listener in front of Express: GET /sync/shapes/<name> goes straight to
 * the shape gateway's node:http entrance (serveShapeHttp); everything else, and whatever the
 * gateway declines (other methods, ELECTRIC_URL), goes to the Express app unchanged.
 *
 * Every live client reconnects after every change, so with 1,000 live clients one commit means
 * 1,000 long-polls waking at once and 1,000 new ones arriving; Express's router, its request and
 * response setup and its middleware chain were a large share of the portal's CPU per commit
 * (bench/sync.bench.ts, docs/decisions/007). This listener answers exactly what the Express route
 * `app.get("/sync/shapes/:name")` answered before it: the same gateway call, so the same auth,
 * scope, headers, statuses and JSON errors (electric/server/gateway.test.ts compares the two).
 */

export type ServeShapeHttp = (req: IncomingMessage, res: ServerResponse, shapeName: string) => Promise<boolean>;
/** The Express app; called with `error` when the gateway failed (Express's own error handling answers). */
export type Fallback = (req: IncomingMessage, res: ServerResponse) => void;

// Express 4's `/sync/shapes/:name` (path-to-regexp 0.1): case-insensitive, one segment, an optional
// trailing slash, matched on the path without the query.
const SHAPE_PATH = /^\/sync\/shapes\/([^/]+?)\/?$/i;

/** The decoded `:name` Express would give for this request URL, or null when its route would not match. */
export function shapeNameFromUrl(url: string): string | null {
  const query = url.indexOf("?");
  const match = SHAPE_PATH.exec(query === -1 ? url : url.slice(0, query));
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null; // Express answers 400 for an undecodable parameter: let it
  }
}

const failures = new WeakMap<IncomingMessage, unknown>();

/**
 * Mount first in the Express app, before anything else the listener hands over:
 * - a failure of the fast path goes to Express's error handling, so the answer is the one the
 *   Express route gave for it (its 500);
 * - the route itself stays, answering nothing: a name Express cannot decode fails in its matching
 *   with Express's own 400, as before.
 */
export function mountShapeRoute(app: Express): void {
  app.use(shapeFailureHandoff);
  app.get("/sync/shapes/:name", (_req, _res, next) => next());
}

function shapeFailureHandoff(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  if (!failures.has(req)) return next();
  const error = failures.get(req);
  failures.delete(req);
  next(error);
}

export function shapeFastPath(serve: ServeShapeHttp, fallback: Fallback): RequestListener {
  return (req, res) => {
    const name = req.method === "GET" && req.url ? shapeNameFromUrl(req.url) : null;
    if (name === null) return fallback(req, res);
    serve(req, res, name).then(
      (handled) => {
        if (!handled) fallback(req, res);
      },
      (error: unknown) => {
        if (res.headersSent) return void res.destroy();
        failures.set(req, error ?? new Error("shape gateway failed"));
        fallback(req, res);
      },
    );
  };
}
