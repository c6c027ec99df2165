import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContactPermission } from "~/modules/access/guards.server";
import { contactCan } from "~/modules/access/permissions";
import { routeAccess } from "~/modules/access/route-access";
import { listRecentlyOpened } from "~/modules/documents/access-log.server";

/**
 * For the service worker's offline cache: the PDFs this contact opened in the last 30 days (at most
 * 20, newest first) and their URLs. The worker keeps these and drops the rest; see
 * docs/decisions/010-documents-and-einvoices.md ("Offline").
 */
export const handle = routeAccess({ area: "portal", permission: "documents.read" });

const PATHS: Record<string, (id: string) => string> = {
  invoice: (id) => `/invoices/${id}/pdf`,
  credit_note: (id) => `/invoices/${id}/pdf`,
  delivery_note: (id) => `/documents/delivery-notes/${id}/pdf`,
  order_confirmation: (id) => `/documents/order-confirmations/${id}/pdf`,
  quote: (id) => `/documents/quotes/${id}/pdf`,
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  const seesMoney = contactCan(scope.role, "invoices.read");
  const recent = (await listRecentlyOpened(scope, 20)).filter((r) => PATHS[r.documentType] && (seesMoney || !["invoice", "credit_note"].includes(r.documentType)));
  return Response.json(
    { maxEntries: 20, documents: recent.map((r) => ({ type: r.documentType, id: r.documentId, number: r.number, openedAt: r.at, url: PATHS[r.documentType](r.documentId) })) },
    { headers: { "Cache-Control": "private, no-store", Vary: "Cookie" } },
  );
}
