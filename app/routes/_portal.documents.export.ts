import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { originOf } from "~/modules/documents/access-log.server";
import { ExportQuerySchema, exportListCsv } from "~/modules/documents/csv-export.server";

/** CSV export of a list with the page's filters: /documents/export?list=invoices&q=…&state=… */
export const handle = routeAccess({ area: "portal", permission: "documents.read" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "documents.read");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = ExportQuerySchema.safeParse({ list: params.list ?? "documents", q: params.q || undefined, state: params.state || undefined, status: params.status || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: `${issue.path.join(".")} ${issue.message}` }, { status: 400 });
  }
  const { csv, fileName } = await exportListCsv(scope, parsed.data, originOf(scope, request, context.clientIp));
  return new Response(csv, {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${fileName}"`, "Cache-Control": "no-store" },
  });
}
