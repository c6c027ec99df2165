import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { routeAccess } from "~/modules/access/route-access";
import { serveErpApi } from "~/modules/erp/api/serve.server";

// The ERP push API: an API key, never a session (401 / 403 / 413 / 429 JSON).
export const handle = routeAccess({ area: "api" });

/** POST /api/erp/v1/:entity — upsert a batch (multipart for document-files with their bytes). */
export function action({ request, params }: ActionFunctionArgs) {
  return serveErpApi(request, params.entity, "upsert");
}

/** Other methods: 401 without a key, else 405. */
export function loader({ request, params }: LoaderFunctionArgs) {
  return serveErpApi(request, params.entity, "upsert");
}
