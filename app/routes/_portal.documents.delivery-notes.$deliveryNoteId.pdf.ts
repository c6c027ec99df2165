import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { originOf } from "~/modules/documents/access-log.server";
import { openOrderDocumentPdf } from "~/modules/documents/downloads.server";
import { fileResponse, wantsDownload } from "~/modules/documents/http.server";

/** Delivery note as PDF: inline to view, ?download=1 to save. Both audited. */
export const handle = routeAccess({ area: "portal", permission: "documents.read" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  const download = wantsDownload(request);
  const file = await openOrderDocumentPdf(scope, "delivery_note", params.deliveryNoteId ?? "", originOf(scope, request, context.clientIp), download ? "download" : "view");
  if (!file) notFound();
  return fileResponse(request, file, download ? "attachment" : "inline");
}
