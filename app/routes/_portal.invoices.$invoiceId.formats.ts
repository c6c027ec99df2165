import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { describeInvoiceDownloads } from "~/modules/documents/invoice-files.server";

/** JSON for the invoice page's download panel: each e-invoice format, whether it is possible, why not. */
export const handle = routeAccess({ area: "portal", permission: "invoices.read" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "invoices.read");
  const downloads = await describeInvoiceDownloads(scope, params.invoiceId ?? "");
  if (!downloads) notFound();
  return Response.json(downloads, { headers: { "Cache-Control": "private, no-store", Vary: "Cookie" } });
}
