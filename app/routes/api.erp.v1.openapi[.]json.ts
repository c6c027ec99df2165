import { routeAccess } from "~/modules/access/route-access";
import { json } from "~/modules/erp/api/http.server";
import { buildOpenApiDocument } from "~/modules/erp/api/openapi.server";

// The API's description is public: integrators read it before they have a key.
export const handle = routeAccess({ area: "public" });

/** GET /api/erp/v1/openapi.json — OpenAPI 3.1, generated from the entity schemas. */
export function loader() {
  return json(buildOpenApiDocument(), 200, { "Cache-Control": "public, max-age=300" });
}
