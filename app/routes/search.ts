import type { LoaderFunctionArgs } from "@remix-run/node";
import { DOCUMENT_TYPES, type DocumentType } from "../../electric/replica/search-sources";
import { requireContact } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { searchDocumentsOnServer } from "~/modules/search/search.server";

export const handle = routeAccess({ area: "portal" });

/** GET /search?q=…&type=invoice&type=order: the server-side search, JSON (palette fallback). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContact(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const types = url.searchParams.getAll("type").filter((t): t is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(t));
  const limit = Number(url.searchParams.get("limit") ?? 20);
  const isoDate = (name: string) => {
    const value = url.searchParams.get(name) ?? "";
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  };
  const text = (name: string) => url.searchParams.get(name)?.slice(0, 64) || undefined;
  const results = await searchDocumentsOnServer(scope, q, {
    types: types.length > 0 ? types : undefined,
    dateFrom: isoDate("from"),
    dateTo: isoDate("to"),
    status: text("status"),
    locationId: text("location"),
    costCenterId: text("costCenter"),
    limit: Number.isFinite(limit) && limit > 0 ? limit : 20,
  });
  return Response.json({ results }, { headers: { "Cache-Control": "private, no-store" } });
}
