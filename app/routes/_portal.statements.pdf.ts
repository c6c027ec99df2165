import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireContactPermission } from "~/modules/access/guards.server";
import { routeAccess } from "~/modules/access/route-access";
import { originOf } from "~/modules/documents/access-log.server";
import { openStatementPdf } from "~/modules/documents/downloads.server";
import { fileResponse, wantsDownload } from "~/modules/documents/http.server";
import { defaultStatementRange } from "~/modules/documents/statement-range";
import { StatementRangeSchema } from "~/modules/documents/statement.server";

/** Statement of account as PDF for ?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the last three months). */
export const handle = routeAccess({ area: "portal", permission: "statements.read" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireContactPermission(request, "statements.read");
  const url = new URL(request.url);
  const fallback = defaultStatementRange(new Date());
  const parsed = StatementRangeSchema.safeParse({ from: url.searchParams.get("from") || fallback.from, to: url.searchParams.get("to") || fallback.to });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Response.json({ error: `${issue.path.join(".")} ${issue.message}` }, { status: 400 });
  }
  const download = wantsDownload(request);
  const file = await openStatementPdf(scope, parsed.data, originOf(scope, request, context.clientIp), download ? "download" : "view");
  if (!file) notFound();
  return fileResponse(request, file, download ? "attachment" : "inline");
}
