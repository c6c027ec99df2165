import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { routeAccess } from "~/modules/access/route-access";
import { serveErpApi } from "~/modules/erp/api/serve.server";

export const handle = routeAccess({ area: "api" });

/** POST /api/erp/v1/:entity/delete — delete a batch by ERP id (and version). */
export function action({ request, params }: ActionFunctionArgs) {
  return serveErpApi(request, params.entity, "delete");
}

export function loader({ request, params }: LoaderFunctionArgs) {
  return serveErpApi(request, params.entity, "delete");
}
