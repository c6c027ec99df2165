import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { routeAccess } from "~/modules/access/route-access";
import { serveShapeRequest } from "../../electric/server/gateway.server";

// Portal data, but answered for fetch(): 401/403/404 JSON instead of the guards' redirects.
export const handle = routeAccess({ area: "sync" });

/** GET /sync/shapes/:name: the Electric HTTP Shape API for one registry shape, scoped by the session. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return serveShapeRequest(request, params.name ?? "");
}

/** Other methods get a JSON 405 (subset snapshots by POST are not offered). */
export function action({ request, params }: ActionFunctionArgs) {
  return serveShapeRequest(request, params.name ?? "");
}
