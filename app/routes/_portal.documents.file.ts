import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { getDb } from "~/db/connection.server";
import { originOf, recordDocumentAccess } from "~/modules/documents/access-log.server";
import { ErpFileUnavailableError, getErpFile, listErpFiles } from "~/modules/documents/erp-files.server";
import { fileResponse, wantsDownload } from "~/modules/documents/http.server";

/** A file the ERP supplied (data sheet, certificate, statement): /documents/file?id=…; without id, the list as JSON. */
export const handle = routeAccess({ area: "portal", permission: "documents.read" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  const id = new URL(request.url).searchParams.get("id");
  if (!id) return Response.json({ files: await listErpFiles(scope) }, { headers: { "Cache-Control": "private, no-store", Vary: "Cookie" } });
  let found;
  try {
    found = await getErpFile(scope, id);
  } catch (error) {
    if (error instanceof ErpFileUnavailableError) return new Response(error.message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw error;
  }
  if (!found) notFound();
  const download = wantsDownload(request);
  await recordDocumentAccess(await getDb(), originOf(scope, request, context.clientIp), download ? "document.download" : "document.view", [
    { type: "file", id, number: found.title, format: found.file.contentType, fileName: found.file.fileName, sha256: found.file.sha256, source: "erp" },
  ]);
  return fileResponse(request, found.file, download ? "attachment" : "inline");
}
